"""Request-scoped middleware: idle sign-out, a request id for the audit log, and the
second-factor gate."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from accounts.audit import audit_context
from accounts.client import from_trusted_proxy
from accounts.roles import requires_two_factor

# The only pages a signed-in person who still owes a second factor may reach (by URL name, so
# that no prefix can widen the exemption to pages added later).
OPEN_VIEWS = frozenset(
    {"accounts:login", "accounts:logout", "accounts:two-factor", "accounts:open_set_up_link"}
)


LAST_ACTIVITY_SESSION_KEY = "last_activity"
# Sent by the console's polling elements (hx-headers on each); a request without it is the
# person acting. A client that adds it only shortens its own session.
BACKGROUND_POLL_HEADER = "X-Background-Poll"


def is_background_poll(request: HttpRequest) -> bool:
    return request.headers.get(BACKGROUND_POLL_HEADER) == "true"


class IdleSignOutMiddleware:
    """Sign a person out after SESSION_IDLE_MINUTES without an action of theirs.

    Background polls neither count as activity nor save the session (SESSION_SAVE_EVERY_REQUEST
    is off), so an open console tab no longer keeps a session alive. A poll that finds its
    session idle tells htmx to take the page to the sign-in page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY, now)
            if now - int(last) > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif not is_background_poll(request):
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        response = self.get_response(request)
        if request.headers.get("HX-Request") and _is_sign_in_redirect(response):
            # htmx would swap the sign-in page into a fragment: move the whole page there.
            page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            response = HttpResponse(status=200)
            response["HX-Redirect"] = redirect_to_login(page)["Location"]
        return response


def _is_sign_in_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and str(response.get("Location", "")).startswith(
        resolve_url(settings.LOGIN_URL)
    )


REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    """Tag audit events with the request's id: a trusted proxy's X-Request-ID if it looks like
    one (so that its logs and the audit log can be joined), else a new one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        trusted = from_trusted_proxy(request) and REQUEST_ID.fullmatch(given)
        request_id = given if trusted else uuid.uuid4().hex
        with audit_context(request_id=request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequireTwoFactorMiddleware:
    """Managers, admins and superusers must have passed a second-factor check in this session
    before any page but sign-in, the second-factor step (which is also set-up) and sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        match = request.resolver_match
        if (
            user.is_authenticated
            and requires_two_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]
            and (match is None or match.view_name not in OPEN_VIEWS)
        ):
            return redirect("accounts:two-factor")
        return None
