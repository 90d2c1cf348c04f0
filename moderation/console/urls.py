"""The officers' console: queue, items, escalations."""

from django.urls import path

from moderation.console import views

urlpatterns = [
    path("queue/", views.queue, name="queue"),
]
