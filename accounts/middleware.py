"""Request-scoped middleware: a request id for the audit log, and the second-factor gate."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.audit import audit_context
from accounts.roles import requires_two_factor

# The only pages a signed-in person who still owes a second factor may reach (by URL name, so
# that no prefix can widen the exemption to pages added later).
OPEN_VIEWS = frozenset({"accounts:login", "accounts:logout", "accounts:two-factor"})


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
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
