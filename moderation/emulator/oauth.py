"""The OAuth 2.0 token endpoint of YouTube (Google) and X: refreshing an access token.

`POST <platform>/token` (Google) or `<platform>/2/oauth2/token` (X) with
`grant_type=refresh_token`, the refresh token, and the client id in the form or in an HTTP
Basic header. Errors are RFC 6749 §5.2 bodies (`{"error": "invalid_grant", …}`, HTTP 400 or
401). With `rotate`, as on X, each refresh issues a new refresh token and the old one stops
working. Every refresh is listed in `Store.token_refreshes` (client id and whether it was sent
by Basic authentication; never the tokens).
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from moderation.emulator.http import Request, Response, ok
from moderation.emulator.store import Store


def refresh(store: Store, request: Request, *, rotate: bool, lifetime_seconds: int) -> Response:
    if request.method != "POST":
        return Response(405, {"error": "invalid_request", "error_description": "POST only"})
    client_id, by_basic = _client(request)
    grant = request.arg("grant_type")
    refresh_token = request.arg("refresh_token")
    if not client_id:
        return Response(401, {"error": "invalid_client", "error_description": "No client."})
    if grant != "refresh_token" or not refresh_token:
        return Response(400, {"error": "unsupported_grant_type" if grant else "invalid_request"})
    with store.lock:
        if refresh_token in store.spent_refresh_tokens:
            return Response(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        number = store.next_seq()
        body: dict[str, object] = {
            "access_token": f"{request.platform}-access-{number}",
            "token_type": "bearer",
            "expires_in": lifetime_seconds,
        }
        if rotate:
            store.spent_refresh_tokens.add(refresh_token)
            body["refresh_token"] = f"{request.platform}-refresh-{number}"
        store.token_refreshes.append(
            {"platform": request.platform, "client_id": client_id, "basic": by_basic}
        )
    return ok(body)


def _client(request: Request) -> tuple[str, bool]:
    scheme, _, value = request.header("Authorization").partition(" ")
    if scheme.lower() == "basic":
        try:
            pair = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "", True
        return unquote(pair.partition(":")[0]), True
    return request.arg("client_id"), False
