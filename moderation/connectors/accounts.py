"""Which accounts a freshly granted token may connect, and the credentials each channel keeps.

After the person approves the console on the platform, the console asks the platform which
Pages, channels, organisations or accounts that person manages, so the admin can choose. One
function per way of connecting; each returns `Account`s whose `credentials` are what the
platform's connector reads (`docs/connectors.md`, "Credentials").

- Facebook: `GET me/accounts` with the long-lived user token lists the Pages the person has a
  task on, each with a Page token; Page tokens read with a long-lived user token do not expire.
- Instagram through Facebook Login: the same list, each Page's `instagram_business_account`;
  the channel keeps the Page's token.
- Instagram Login, Threads: `GET me` (the token is the account's own).
- YouTube: `GET youtube/v3/channels?mine=true`.
- X: `GET /2/users/me`.
- LinkedIn: `GET rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED`, then
  each organisation's name (`GET rest/organizations/{id}`, `localizedName`).
- TikTok: the token answer's `open_id` is the `business_id`; `GET business/get/` names it.
- Mastodon: `GET api/v1/accounts/verify_credentials`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from moderation.connectors.authorization import Client, Place
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.oauth_apps import OAuthApp
from moderation.connectors.oauth_requests import Grant
from moderation.connectors.parsing import clean_text

# The LinkedIn-Version header when the deployment names none (the connector's default may be
# newer; LINKEDIN_API_VERSION overrides both).
LINKEDIN_VERSION = "202603"


@dataclass(frozen=True)
class Account:
    """An account the person may connect as a channel."""

    platform: str
    account_id: str
    name: str
    credentials: Mapping[str, str]
    access_expires_at: dt.datetime | None = None
    refresh_expires_at: dt.datetime | None = None
    base_url: str = ""  # only where the platform's default address is not the right one
    note: str = ""  # e.g. why an account cannot be chosen
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Lookup:
    """What discovery needs: the grant, the app, where the API is, and an HTTP client."""

    app: OAuthApp
    client: Client
    grant: Grant
    place: Place
    http: HttpClient
    linkedin_version: str = ""

    def api(self, real: str) -> str:
        return self.place.url(real, self.app.platform)

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        response = self.http.request(
            "GET",
            url,
            params=params,
            headers={"Authorization": f"Bearer {self.grant.access_token}", **(headers or {})},
            error_parser=_error,
        )
        return response.json()

    def tokens(self) -> dict[str, str]:
        """The credentials an OAuth-connected channel keeps: the tokens and, where the
        connector refreshes on its own, the app that issued them."""
        keys = {"access_token": self.grant.access_token}
        if self.grant.refresh_token:
            keys["refresh_token"] = self.grant.refresh_token
            keys["client_id"] = self.client.client_id
            if self.client.client_secret:
                keys["client_secret"] = self.client.client_secret
        return keys

    def account(self, account_id: str, name: str, **fields: Any) -> Account:
        return Account(
            platform=self.app.platform,
            account_id=account_id,
            name=clean_text(name)[:120] or account_id,
            credentials=fields.pop("credentials", None) or self.tokens(),
            access_expires_at=fields.pop("access_expires_at", self.grant.access_expires_at),
            refresh_expires_at=fields.pop("refresh_expires_at", self.grant.refresh_expires_at),
            **fields,
        )


def discover(lookup: Lookup) -> list[Account]:
    finder = FINDERS.get(lookup.app.flow)
    if finder is None:
        raise PermanentError(f"{lookup.app.label}: no way to list accounts", code="no_accounts")
    return finder(lookup)


def _meta_pages(lookup: Lookup, fields: str) -> list[Mapping[str, Any]]:
    body = lookup.get(
        lookup.api("https://graph.facebook.com/{version}/me/accounts"),
        {"fields": fields, "limit": 100},
    )
    pages = body.get("data") if isinstance(body, Mapping) else None
    return [p for p in pages if isinstance(p, Mapping)] if isinstance(pages, list) else []


def _facebook(lookup: Lookup) -> list[Account]:
    found = []
    for page in _meta_pages(lookup, "id,name,access_token,tasks"):
        token, page_id = page.get("access_token"), page.get("id")
        if not isinstance(page_id, str) or not isinstance(token, str) or not token:
            continue
        tasks = page.get("tasks")
        tasks = tasks if isinstance(tasks, list) else []
        note = "" if "MODERATE" in tasks or not tasks else "Needs the Moderate task on the Page."
        found.append(
            lookup.account(
                page_id,
                str(page.get("name") or page_id),
                credentials={"access_token": token, "app_secret": lookup.client.client_secret},
                # A Page token read with a long-lived user token does not expire.
                access_expires_at=None,
                refresh_expires_at=None,
                note=note,
            )
        )
    return found


def _instagram_via_page(lookup: Lookup) -> list[Account]:
    found = []
    fields = "id,name,access_token,instagram_business_account{id,username,name}"
    for page in _meta_pages(lookup, fields):
        ig, token = page.get("instagram_business_account"), page.get("access_token")
        if not isinstance(ig, Mapping) or not isinstance(ig.get("id"), str):
            continue
        if not isinstance(token, str) or not token:
            continue
        username = ig.get("username")
        found.append(
            lookup.account(
                str(ig["id"]),
                f"@{username}" if username else str(ig.get("name") or ig["id"]),
                credentials={"access_token": token, "app_secret": lookup.client.client_secret},
                access_expires_at=None,
                refresh_expires_at=None,
                extra={"page": str(page.get("name") or "")},
            )
        )
    return found


def _instagram_login(lookup: Lookup) -> list[Account]:
    body = lookup.get(
        lookup.api("https://graph.instagram.com/{version}/me"),
        {"fields": "user_id,username,name"},
    )
    account_id = str(body.get("user_id") or lookup.grant.user_id or body.get("id") or "")
    if not account_id:
        raise PermanentError("Instagram did not say which account signed in", code="no_account")
    username = body.get("username")
    return [
        lookup.account(
            account_id,
            f"@{username}" if username else str(body.get("name") or account_id),
            credentials={"access_token": lookup.grant.access_token},
            base_url="" if lookup.place.emulator else "https://graph.instagram.com",
        )
    ]


def _threads(lookup: Lookup) -> list[Account]:
    body = lookup.get(
        lookup.api("https://graph.threads.net/v1.0/me"), {"fields": "id,username,name"}
    )
    account_id = str(body.get("id") or lookup.grant.user_id or "")
    if not account_id:
        raise PermanentError("Threads did not say which account signed in", code="no_account")
    username = body.get("username")
    return [
        lookup.account(
            account_id,
            f"@{username}" if username else account_id,
            credentials={"access_token": lookup.grant.access_token},
        )
    ]


def _youtube(lookup: Lookup) -> list[Account]:
    body = lookup.get(
        lookup.api("https://www.googleapis.com/youtube/v3/channels"),
        {"part": "snippet", "mine": "true", "maxResults": 50},
    )
    items = body.get("items") if isinstance(body, Mapping) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            snippet = item.get("snippet")
            title = snippet.get("title") if isinstance(snippet, Mapping) else None
            found.append(lookup.account(item["id"], str(title or item["id"])))
    return found


def _x(lookup: Lookup) -> list[Account]:
    body = lookup.get(lookup.api("https://api.x.com/2/users/me"))
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("id"), str):
        raise PermanentError("X did not say which account signed in", code="no_account")
    return [lookup.account(data["id"], f"@{data.get('username') or data['id']}")]


def _linkedin(lookup: Lookup) -> list[Account]:
    headers = {
        "LinkedIn-Version": lookup.linkedin_version or LINKEDIN_VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }
    body = lookup.get(
        lookup.api("https://api.linkedin.com/rest/organizationAcls"),
        {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED", "count": 100},
        headers,
    )
    elements = body.get("elements") if isinstance(body, Mapping) else None
    found = []
    for element in elements if isinstance(elements, list) else []:
        urn = element.get("organization") if isinstance(element, Mapping) else None
        if not isinstance(urn, str) or not urn.startswith("urn:li:organization:"):
            continue
        number = urn.rsplit(":", 1)[1]
        name = urn
        try:
            organisation = lookup.get(
                lookup.api(f"https://api.linkedin.com/rest/organizations/{quote(number)}"),
                headers=headers,
            )
            name = str(organisation.get("localizedName") or urn)
        except PermanentError:
            pass  # the list is still right; the name is only for people
        found.append(lookup.account(urn, name))
    return found


def _tiktok(lookup: Lookup) -> list[Account]:
    business_id = lookup.grant.user_id
    if not business_id:
        raise PermanentError("TikTok did not say which account signed in", code="no_account")
    name = "TikTok account"
    try:
        response = lookup.http.request(
            "GET",
            lookup.api("https://business-api.tiktok.com/open_api/v1.3/business/get/"),
            params={"business_id": business_id, "fields": json.dumps(["username", "display_name"])},
            headers={"Access-Token": lookup.grant.access_token},
            error_parser=_error,
        )
        data = response.json().get("data") or {}
        name = str(data.get("display_name") or data.get("username") or name)
    except (PermanentError, AttributeError):
        pass
    return [lookup.account(business_id, name)]


def _mastodon(lookup: Lookup) -> list[Account]:
    body = lookup.get(lookup.api("{instance}/api/v1/accounts/verify_credentials"))
    if not isinstance(body, Mapping) or not isinstance(body.get("id"), str):
        raise PermanentError("Mastodon did not say which account signed in", code="no_account")
    return [
        lookup.account(
            body["id"],
            f"@{body.get('acct') or body.get('username') or body['id']}",
            credentials={"access_token": lookup.grant.access_token},
            base_url="" if lookup.place.emulator else lookup.place.instance.rstrip("/"),
        )
    ]


FINDERS: Mapping[str, Callable[[Lookup], list[Account]]] = {
    "facebook": _facebook,
    "instagram": _instagram_via_page,
    "instagram_login": _instagram_login,
    "threads": _threads,
    "youtube": _youtube,
    "x": _x,
    "linkedin": _linkedin,
    "tiktok": _tiktok,
    "mastodon": _mastodon,
}


def _error(response: HttpResponse) -> PlatformError | None:
    """Any platform's error envelope, in its own words; TikTok's errors come with HTTP 200."""
    body = response.json_or_none()
    tiktok_code = body.get("code") if isinstance(body, Mapping) else None
    if response.ok and (not isinstance(tiktok_code, int) or tiktok_code == 0):
        return None
    words = ""
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            words = str(error.get("message") or "")
        elif isinstance(error, str):
            words = f"{error}: {body.get('error_description') or ''}".strip(": ")
        else:
            words = str(body.get("message") or body.get("detail") or body.get("title") or "")
    return PlatformError(clean_text(words)[:300] or f"HTTP {response.status}")


def bluesky_account(http: HttpClient, base_url: str, identifier: str, password: str) -> Account:
    """Sign in once with a handle and app password (`com.atproto.server.createSession`) to learn
    the account's DID; the channel keeps the handle and app password, and the connector keeps
    its session from then on. The session opened here is not kept (one login of the ~30 per
    5 minutes Bluesky allows)."""
    if not identifier or not password:
        raise PermanentError("Enter the account's handle and an app password", code="no_login")
    response = http.request(
        "POST",
        f"{base_url.rstrip('/')}/xrpc/com.atproto.server.createSession",
        json={"identifier": identifier, "password": password},
        error_parser=_error,
        idempotent=False,
    )
    body = response.json()
    did = body.get("did") if isinstance(body, Mapping) else None
    if not isinstance(did, str) or not did.startswith("did:"):
        raise PermanentError("Bluesky did not say which account signed in", code="no_account")
    handle = body.get("handle") if isinstance(body.get("handle"), str) else identifier
    return Account(
        platform="bluesky",
        account_id=did,
        name=f"@{handle}",
        credentials={"identifier": identifier, "password": password},
    )
