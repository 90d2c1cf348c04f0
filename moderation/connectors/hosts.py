"""Where a channel's platform calls may go: the platform's own hosts, and nowhere else.

Every call a connector makes carries the channel's bearer token (and, for Meta, a proof made
with the app secret). An API address that an admin could point anywhere would send those to
any server the admin, or someone who took over an admin's session, chose: an internal address
such as `http://127.0.0.1:8799/` or a cloud metadata service, or a server that collects tokens.

So a channel's API address is either blank (the platform's own address) or:

- on a platform with fixed hosts (Facebook, Instagram, Threads, YouTube, X, LinkedIn, TikTok),
  an `https` address on one of that platform's documented API hosts (`OFFICIAL_HOSTS`);
- on a federated platform (Mastodon; Bluesky, whose accounts may live on any PDS), any `https`
  address whose host is a DNS name. A name is only half the check: the address it resolves to
  is checked when the call is made, and the connection goes to the address that was checked
  (`public_address_session`), so a name that resolves to a public address when the form is saved
  and to 127.0.0.1 a minute later (DNS rebinding) is refused at the second resolution;
- under the deployment's `PLATFORM_BASE_URL`, the emulator for the demo and the tests, only
  when that setting is set.

This module is plain Python: the Django side passes the emulator address in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

import requests
from requests_hardened import Config, Manager
from requests_hardened.ip_filter_adapter import IPFilterAdapter

# Documented API hosts (see `platform-apis.md` and each connector's module docstring).
OFFICIAL_HOSTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "facebook": frozenset({"graph.facebook.com"}),
        # Instagram with Facebook Login is served by graph.facebook.com, with Instagram Login
        # by graph.instagram.com.
        "instagram": frozenset({"graph.facebook.com", "graph.instagram.com"}),
        # Meta's newer documentation names graph.threads.com beside graph.threads.net.
        "threads": frozenset({"graph.threads.net", "graph.threads.com"}),
        "youtube": frozenset({"www.googleapis.com", "youtube.googleapis.com"}),
        "x": frozenset({"api.x.com", "api.twitter.com"}),
        "linkedin": frozenset({"api.linkedin.com"}),
        "tiktok": frozenset({"business-api.tiktok.com"}),
    }
)
# Platforms where each account lives on a server of its own choosing.
FEDERATED = frozenset({"mastodon", "bluesky"})
# Names that never mean a public server, whatever DNS says.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")


class AddressRefused(ValueError):
    """An API address the channel's token must not be sent to; the message says why."""


def check_api_address(platform: str, url: str, *, emulator_base: str = "") -> None:
    """Raise AddressRefused unless ``url`` is an address this platform's calls may go to."""
    url = url.strip()
    if not url:
        return
    if emulator_base and _under(url, emulator_base):
        return
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused("That is not a web address.") from None
    host = (parts.hostname or "").rstrip(".").lower()
    if platform in OFFICIAL_HOSTS and host not in OFFICIAL_HOSTS[platform]:
        allowed = ", ".join(sorted(OFFICIAL_HOSTS[platform]))
        raise AddressRefused(
            f"Calls to this platform go only to its own API ({allowed}). Leave the address "
            "blank to use it."
        )
    if parts.scheme != "https":
        raise AddressRefused("The API address must start with https://.")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("The API address must not contain a user name or password.")
    if port not in (None, 443):
        raise AddressRefused("The API address must use the standard https port.")
    if parts.query or parts.fragment:
        raise AddressRefused("The API address must not contain ? or #.")
    if platform in OFFICIAL_HOSTS:
        return
    if platform not in FEDERATED:
        raise AddressRefused("This kind of channel makes no platform calls.")
    if not host or _is_ip_literal(host) or "." not in host or host.endswith(_LOCAL_SUFFIXES):
        raise AddressRefused(
            "The address must name the instance's public server, e.g. https://mastodon.social."
        )


def is_federated(platform: str) -> bool:
    return platform in FEDERATED


def public_address_session() -> requests.Session:
    """A requests session that resolves each host when it connects, refuses private, loopback,
    link-local, shared and multicast addresses, connects to the address it checked (certificate
    and SNI still checked against the name) and never follows redirects (requests-hardened)."""
    return Manager(
        Config(
            ip_filter_enable=True,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=(3.05, 10),
        )
    ).get_session()


def guard_public_addresses(session: requests.Session) -> None:
    """Give an existing session (an OAuth client's) the same address check at connect time."""
    session.mount("http://", IPFilterAdapter(is_https_proto=False, allow_loopback=False))
    session.mount("https://", IPFilterAdapter(is_https_proto=True, allow_loopback=False))


def _under(url: str, base: str) -> bool:
    base = base.rstrip("/")
    return url == base or url.startswith(base + "/")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
