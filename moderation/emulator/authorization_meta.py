"""Meta's OAuth endpoints, emulated: Facebook Login (the code, long-lived user tokens, Page
tokens from `me/accounts`) and Instagram and Threads Login (short- and long-lived tokens, their
renewal, `me`). Shared parts (the consent page, code checks, lifetimes) are in `authorization.py`.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule

from moderation.emulator.authorization import (
    AUTHORIZE_PATHS,
    DAY,
    authorize,
    client_credentials,
    first_account,
    is_expired,
    issue,
    oauth_error,
    take_code,
    token_of,
    world,
)
from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import Store


def _facebook_token(store: Store, request: Request) -> Response:
    client_id, _secret = client_credentials(request)
    if request.arg("grant_type") == "fb_exchange_token":
        short = request.arg("fb_exchange_token")
        with store.lock:
            issued = world(store).tokens.get(short)
        if issued is None or issued.platform != "facebook" or is_expired(store, short):
            return oauth_error(request, "invalid_grant", "Error validating access token.")
        long = issue(store, "facebook", "long", client_id)
        return ok({"access_token": long, "token_type": "bearer", "expires_in": 60 * DAY})
    entry = take_code(store, request, request.arg("code"))
    if isinstance(entry, Response):
        return entry
    user = issue(store, "facebook", "user", client_id)
    return ok({"access_token": user, "token_type": "bearer", "expires_in": 3600})


def _meta_code(store: Store, request: Request) -> Response:
    entry = take_code(store, request, request.arg("code"))
    if isinstance(entry, Response):
        return entry
    platform = request.platform
    account = first_account(store, platform, "17841400000000001")
    token = issue(store, platform, "short", entry["client_id"], account)
    answer = {"access_token": token, "user_id": account}
    if platform == "instagram":  # Instagram Login wraps it in a list
        return ok({"data": [{**answer, "permissions": request.arg("scope")}]})
    return ok(answer)


def _meta_long_lived(store: Store, request: Request) -> Response:
    short = request.arg("access_token")
    with store.lock:
        issued = world(store).tokens.get(short)
    if issued is None or issued.kind != "short" or is_expired(store, short):
        return oauth_error(request, "invalid_grant", "Invalid OAuth access token.")
    long = issue(store, request.platform, "long", issued.client_id, issued.account)
    return ok({"access_token": long, "token_type": "bearer", "expires_in": 60 * DAY})


def _meta_refresh(store: Store, request: Request) -> Response:
    token = request.arg("access_token")
    with store.lock:
        issued = world(store).tokens.get(token)
    if issued is None or issued.kind != "long" or is_expired(store, token):
        return oauth_error(request, "invalid_grant", "Invalid OAuth access token.")
    renewed = issue(store, request.platform, "long", issued.client_id, issued.account)
    return ok({"access_token": renewed, "token_type": "bearer", "expires_in": 60 * DAY})


def _facebook_pages(store: Store, request: Request) -> Response:
    issued = token_of(store, request)
    if issued is None or issued.kind not in ("user", "long"):
        return oauth_error(request, "invalid_token", "A user access token is required.")
    with store.lock:
        pages = [a for (p, _), a in store.accounts.items() if p == "facebook"]
        instagram = [a for (p, _), a in store.accounts.items() if p == "instagram"]
    data = []
    for number, page in enumerate(pages):
        entry: dict[str, Any] = {
            "id": page.id,
            "name": page.name,
            "access_token": issue(store, "facebook", "page", issued.client_id, page.id),
            "tasks": ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"],
        }
        if number < len(instagram):
            entry["instagram_business_account"] = {
                "id": instagram[number].id,
                "username": instagram[number].handle,
            }
        data.append(entry)
    return ok({"data": data, "paging": {"cursors": {"before": "MA", "after": "MA"}}})


def _meta_me(store: Store, request: Request) -> Response:
    issued = token_of(store, request)
    if issued is None:
        return oauth_error(request, "invalid_token", "Invalid OAuth access token.")
    account = store.account(request.platform, issued.account)
    if request.platform == "instagram":
        return ok({"id": account.id, "user_id": account.id, "username": account.handle})
    return ok({"id": account.id, "username": account.handle, "name": account.name})


# Answered before each platform's own routes.
ROUTES: dict[str, list[Rule]] = {
    "facebook": [
        route("/<_version>/dialog/oauth", authorize),
        route("/<_version>/oauth/access_token", _facebook_token),
        route("/<_version>/me/accounts", _facebook_pages, ["GET"]),
    ],
    **{
        platform: [
            route(AUTHORIZE_PATHS[platform], authorize),
            route("/oauth/access_token", _meta_code, ["POST"]),
            route("/access_token", _meta_long_lived, ["GET"]),
            route("/refresh_access_token", _meta_refresh),
            route("/<_version>/me", _meta_me),
        ]
        for platform in ("instagram", "threads")
    },
}
