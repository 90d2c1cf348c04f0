"""Request-scoped middleware: a request id for the audit log, and the second-factor gate."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.audit import audit_context
from accounts.roles import requires_two_factor

# Paths a signed-in but not yet verified manager or admin may still reach.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


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
    """Managers and admins must have passed a TOTP check in this session before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and requires_two_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            return redirect("accounts:two-factor")
        return self.get_response(request)
