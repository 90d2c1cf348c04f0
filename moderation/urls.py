"""All moderation pages, under one namespace; each area keeps its own list."""

from moderation.configuration.urls import urlpatterns as configuration_urls
from moderation.console.urls import urlpatterns as console_urls
from moderation.reports.urls import urlpatterns as reports_urls

app_name = "moderation"
urlpatterns = [*console_urls, *reports_urls, *configuration_urls]
