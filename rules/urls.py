"""Rule-set pages (the test box, statistics and backtests are under moderation's settings)."""

from django.urls import path

from rules import views

app_name = "rules"
urlpatterns = [
    path("", views.ruleset_list, name="list"),
    path("<int:ruleset_id>/", views.ruleset_detail, name="ruleset"),
    path("<int:ruleset_id>/draft/", views.start_draft, name="start_draft"),
    path("versions/<int:version_id>/", views.version_detail, name="version"),
    path("versions/<int:version_id>/rules/new/", views.rule_new, name="rule_new"),
    path("versions/<int:version_id>/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path(
        "versions/<int:version_id>/rules/<int:rule_id>/delete/",
        views.rule_delete,
        name="rule_delete",
    ),
    path("versions/<int:version_id>/settings/", views.version_settings, name="version_settings"),
    path("versions/<int:version_id>/publish/", views.publish, name="publish"),
    path("versions/<int:version_id>/changes/", views.version_changes, name="changes"),
]
