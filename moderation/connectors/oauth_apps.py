"""The ways of connecting a channel by OAuth 2.0, and what each platform documents about its own.

`OAUTH_APPS` says, per way of connecting: its authorisation and token endpoints, scopes,
whether it takes PKCE, how the client authenticates at the token endpoint, whether a short token
must be exchanged for a long-lived one, how (and whether) tokens are refreshed, and how long
they live. The flow that follows it is in `authorization.py`.

Where a platform departs from RFC 6749 the departure is written out here rather than hidden:

- Meta (Facebook, Instagram with Facebook Login): the code gives a user token for about an
  hour; `GET /oauth/access_token?grant_type=fb_exchange_token` turns it into a long-lived one
  (about 60 days), and the Page tokens read with that (`me/accounts`) do not expire. A Page
  token read with the short-lived token would last an hour, so the exchange is never skipped.
- Threads and Instagram Login: the code gives a one-hour token; `GET /access_token` with
  `th_exchange_token` / `ig_exchange_token` gives a 60-day token, refreshed (while still valid
  and at least a day old) by `GET /refresh_access_token` with `th_refresh_token` /
  `ig_refresh_token`. Instagram Login's code answer may wrap the token in `data: [...]`.
- TikTok (API for Business, TikTok accounts): the token endpoint takes JSON with `auth_code`
  and answers in TikTok's envelope `{code, message, data}`; the token lasts 24 hours and its
  refresh token a year. From the community SDK only: UNVERIFIED, like every TikTok call.
- Mastodon: each instance is its own server; the app is registered on it first
  (`POST /api/v1/apps`), and PKCE is used (Mastodon 4.3 and later check it; older instances
  ignore it). Its tokens do not expire.
- LinkedIn: access tokens last 60 days; refresh tokens exist only for apps LinkedIn has
  approved for them, so most councils must reconnect every 60 days (warned ahead).
- X: PKCE is required; `offline.access` is the scope that yields a refresh token; a confidential
  client authenticates with HTTP Basic, a public one sends its id in the form.
- YouTube (Google): `access_type=offline` and `prompt=consent` so that a refresh token is
  issued every time, not only on the first consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from moderation.connectors.linkedin import SCOPES as LINKEDIN_SCOPES

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


# Meta renews a long-lived Threads or Instagram Login token only once it is at least this old;
# asked sooner it refuses, and a refused renewal would mark the channel for reconnecting.
META_MIN_AGE_TO_RENEW = DAY
# When the channel's access token was issued (ISO 8601), kept with the credentials.
ISSUED_AT = "access_token_issued_at"


@dataclass(frozen=True)
class OAuthApp:
    """One way of connecting a channel. URLs may hold ``{version}`` (Meta's Graph API version)
    and ``{instance}`` (a Mastodon instance, ``https://host``)."""

    flow: str
    platform: str
    label: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    scope_separator: str = " "
    pkce: bool = False
    # Authlib's names: client_secret_post (id and secret in the form), client_secret_basic
    # (HTTP Basic), none (a public client: the id in the form, no secret).
    token_auth: str = "client_secret_post"
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    # "facebook", "threads", "instagram": a long-lived token is fetched after the code's.
    long_lived: str = ""
    long_lived_url: str = ""
    # "oauth" (the refresh_token grant), "meta" (Threads/Instagram Login refresh_access_token),
    # "tiktok" (TikTok's JSON endpoint), or "" (a person must reconnect).
    refresh: str = ""
    refresh_url: str = ""
    # What the platform documents; the token answer's own figures win when it gives them.
    access_lifetime: dt.timedelta | None = None
    refresh_lifetime: dt.timedelta | None = None
    # The deployment's app credentials are <prefix>_CLIENT_ID and <prefix>_CLIENT_SECRET;
    # "" where the app is registered per instance (Mastodon).
    settings_prefix: str = ""

    @property
    def scope(self) -> str:
        return self.scope_separator.join(self.scopes)


# Meta's permissions for moderating a Page's comments (pages_read_user_content reads visitors'
# comments, pages_manage_engagement hides, deletes and replies, pages_manage_metadata subscribes
# the Page to the app's webhooks, pages_show_list lists the Pages the person manages).
FACEBOOK_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_manage_metadata",
    "business_management",
)
INSTAGRAM_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_metadata",
    "instagram_basic",
    "instagram_manage_comments",
    "business_management",
)
OAUTH_APPS: Mapping[str, OAuthApp] = MappingProxyType(
    {
        app.flow: app
        for app in (
            OAuthApp(
                flow="facebook",
                platform="facebook",
                label="Facebook Page",
                authorize_url="https://www.facebook.com/{version}/dialog/oauth",
                token_url="https://graph.facebook.com/{version}/oauth/access_token",
                scopes=FACEBOOK_SCOPES,
                scope_separator=",",
                long_lived="facebook",
                long_lived_url="https://graph.facebook.com/{version}/oauth/access_token",
                settings_prefix="FACEBOOK",
            ),
            OAuthApp(
                flow="instagram",
                platform="instagram",
                label="Instagram (through its Facebook Page)",
                authorize_url="https://www.facebook.com/{version}/dialog/oauth",
                token_url="https://graph.facebook.com/{version}/oauth/access_token",
                scopes=INSTAGRAM_SCOPES,
                scope_separator=",",
                long_lived="facebook",
                long_lived_url="https://graph.facebook.com/{version}/oauth/access_token",
                settings_prefix="FACEBOOK",
            ),
            OAuthApp(
                flow="instagram_login",
                platform="instagram",
                label="Instagram (Instagram Login)",
                authorize_url="https://www.instagram.com/oauth/authorize",
                token_url="https://api.instagram.com/oauth/access_token",
                scopes=("instagram_business_basic", "instagram_business_manage_comments"),
                scope_separator=",",
                long_lived="instagram",
                long_lived_url="https://graph.instagram.com/access_token",
                refresh="meta",
                refresh_url="https://graph.instagram.com/refresh_access_token",
                access_lifetime=60 * DAY,
                settings_prefix="INSTAGRAM",
            ),
            OAuthApp(
                flow="threads",
                platform="threads",
                label="Threads",
                authorize_url="https://threads.net/oauth/authorize",
                token_url="https://graph.threads.net/oauth/access_token",
                scopes=("threads_basic", "threads_read_replies", "threads_manage_replies"),
                scope_separator=",",
                long_lived="threads",
                long_lived_url="https://graph.threads.net/access_token",
                refresh="meta",
                refresh_url="https://graph.threads.net/refresh_access_token",
                access_lifetime=60 * DAY,
                settings_prefix="THREADS",
            ),
            OAuthApp(
                flow="youtube",
                platform="youtube",
                label="YouTube",
                authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
                token_url="https://oauth2.googleapis.com/token",
                scopes=("https://www.googleapis.com/auth/youtube.force-ssl",),
                pkce=True,
                authorize_params={"access_type": "offline", "prompt": "consent"},
                refresh="oauth",
                access_lifetime=HOUR,
                settings_prefix="YOUTUBE",
            ),
            OAuthApp(
                flow="x",
                platform="x",
                label="X",
                # X's OAuth 2.0 guide; its OpenAPI document names api.x.com/2/oauth2/authorize
                # and this token URL (docs/connectors.md).
                authorize_url="https://x.com/i/oauth2/authorize",
                token_url="https://api.x.com/2/oauth2/token",
                scopes=(
                    "tweet.read",
                    "users.read",
                    "tweet.write",
                    "tweet.moderate.write",
                    "mute.write",
                    "offline.access",
                ),
                pkce=True,
                token_auth="client_secret_basic",
                refresh="oauth",
                access_lifetime=2 * HOUR,
                settings_prefix="X",
            ),
            OAuthApp(
                flow="linkedin",
                platform="linkedin",
                label="LinkedIn Page",
                authorize_url="https://www.linkedin.com/oauth/v2/authorization",
                token_url="https://www.linkedin.com/oauth/v2/accessToken",
                # The connector's current permission names (linkedin.py SCOPES), and the one
                # that lists the organisations the person administers.
                scopes=(*LINKEDIN_SCOPES, "rw_organization_admin"),
                refresh="oauth",  # only when LinkedIn issued a refresh token (approved apps)
                access_lifetime=60 * DAY,
                refresh_lifetime=365 * DAY,
                settings_prefix="LINKEDIN",
            ),
            OAuthApp(
                flow="tiktok",
                platform="tiktok",
                label="TikTok",
                authorize_url="https://www.tiktok.com/v2/auth/authorize/",
                token_url="https://business-api.tiktok.com/open_api/v1.3/tt_user/oauth2/token/",
                scopes=("user.info.basic", "video.list", "comment.list", "comment.list.manage"),
                scope_separator=",",
                refresh="tiktok",
                refresh_url=(
                    "https://business-api.tiktok.com/open_api/v1.3/tt_user/oauth2/refresh_token/"
                ),
                access_lifetime=DAY,
                refresh_lifetime=365 * DAY,
                settings_prefix="TIKTOK",
            ),
            OAuthApp(
                flow="mastodon",
                platform="mastodon",
                label="Mastodon",
                authorize_url="{instance}/oauth/authorize",
                token_url="{instance}/oauth/token",
                scopes=(
                    "read:accounts",
                    "read:notifications",
                    "read:statuses",
                    "write:statuses",
                    "write:blocks",
                    "write:mutes",
                    "write:reports",
                ),
                pkce=True,
            ),
        )
    }
)


def meta_token_too_new(app: OAuthApp, credentials: Mapping[str, str], now: dt.datetime) -> bool:
    """Whether Meta would refuse to renew this token yet: issued less than a day ago. Not known
    (a channel connected before issue times were kept): False, and Meta's answer decides."""
    if app.refresh != "meta":
        return False
    try:
        issued = dt.datetime.fromisoformat(credentials.get(ISSUED_AT, ""))
    except ValueError:
        return False
    if issued.tzinfo is None:
        return False
    return now - issued < META_MIN_AGE_TO_RENEW
