from django.urls import path

from moderation.webhooks import views

app_name = "webhooks"
urlpatterns = [path("meta/<slug:platform>/", views.meta_webhook, name="meta")]
