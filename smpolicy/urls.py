from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.views.decorators.cache import never_cache

from accounts.admin_site import site as admin_site
from moderation import rule_testing_urls
from moderation.health import health
from moderation.views.settings import connect_bluesky as views_connect_bluesky
from rules import urls as rules_urls


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring, without signing in: 200 while the console can serve
    (its status "ok" or "degraded"), 503 without its database. Says nothing sensitive."""
    report = health()
    return JsonResponse(report.public(), status=503 if report.status == "down" else 200)


urlpatterns = [
    path("", lambda request: redirect("moderation:queue")),
    path("healthz", healthz),
    # Fetched by Bluesky's authorisation servers: the console's OAuth client_id and its keys.
    path(
        "oauth/bluesky/client-metadata.json",
        views_connect_bluesky.client_metadata,
        name="bluesky_client_metadata",
    ),
    path("oauth/bluesky/jwks.json", views_connect_bluesky.jwks, name="bluesky_jwks"),
    path("accounts/", include("accounts.urls")),
    path("webhooks/", include("moderation.webhooks.urls")),
    # One `rules:` namespace: the rule pages, and those trying rules on comments (in moderation).
    path("rules/", include((rules_urls.urlpatterns + rule_testing_urls.urlpatterns, "rules"))),
    path("", include("moderation.urls")),
    path("django-admin/", admin_site.urls),
]
