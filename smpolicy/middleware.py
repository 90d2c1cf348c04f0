"""Project-wide request hygiene: refuse NUL bytes early, and the headers Django does not send.

A NUL byte cannot be stored in a PostgreSQL text value; one in a query parameter or form field used
to reach the database and come back as a 500. No field of this console may hold one, so such a
request is refused with a 400 that says why, before any view runs. (Webhook bodies are JSON and
read by their own views; a NUL there is escaped as \\u0000, which JSON-parsing code handles.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# No page uses the camera, microphone, location, payments or USB, and none is embedded elsewhere.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        fields.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for data in fields
        for key, values in data.lists()
    )


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(
                "Bad request: it contains a NUL character (%00), which no field may hold.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SignedInPagesNotStoredMiddleware:
    """A signed-in person's pages hold comments, names and personal data: a shared computer's
    browser cache or a proxy must not keep them after sign-out. A response that says how it
    may be cached (the evidence pack, exports) keeps what it says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
