"""Who is on the other end of a request: the client's address, and whether a trusted proxy sent it.

``X-Forwarded-For`` and ``X-Request-ID`` are written by whoever sends the request, so they are
believed only when the request comes from a reverse proxy listed in ``TRUSTED_PROXIES``
(addresses or networks). Otherwise the client is ``REMOTE_ADDR``, as the socket says.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def from_trusted_proxy(request: HttpRequest) -> bool:
    return _is_trusted(str(request.META.get("REMOTE_ADDR", "")))


def client_address(request: HttpRequest) -> str:
    """The client's address: the nearest hop in X-Forwarded-For that is not one of our proxies,
    when a trusted proxy sent the request; else the connection's own address."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not _is_trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed(hops):
        if not hop or _is_trusted(hop):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return remote  # a malformed hop: nothing to the left of it can be believed
    return remote
