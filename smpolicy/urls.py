from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from accounts.admin_site import site as admin_site


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", lambda request: redirect("moderation:queue")),
    path("healthz", healthz),
    path("accounts/", include("accounts.urls")),
    path("webhooks/", include("moderation.webhooks.urls")),
    path("rules/", include("rules.urls")),
    path("", include("moderation.urls")),
    path("django-admin/", admin_site.urls),
]
