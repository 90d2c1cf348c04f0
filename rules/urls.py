"""The rule pages, in one namespace: rule sets and their versions, editing a draft, publishing and
what a version changed. The pages that try a version out on comments (the test box, statistics,
backtests) share the namespace but live in ``moderation.rule_testing_urls``: rules may not import
moderation. ``smpolicy.urls`` joins the two."""

from django.urls import path

from rules.views import rule_edit, rulesets, versions

app_name = "rules"
urlpatterns = [
    path("", rulesets.ruleset_list, name="list"),
    path("<int:ruleset_id>/", rulesets.ruleset_detail, name="ruleset"),
    path("<int:ruleset_id>/draft/", rulesets.start_draft, name="start_draft"),
    path("versions/<int:version_id>/", versions.version_detail, name="version"),
    path("versions/<int:version_id>/rules/new/", rule_edit.rule_new, name="rule_new"),
    path("versions/<int:version_id>/rules/<int:rule_id>/", rule_edit.rule_edit, name="rule_edit"),
    path(
        "versions/<int:version_id>/rules/<int:rule_id>/delete/",
        rule_edit.rule_delete,
        name="rule_delete",
    ),
    path("versions/<int:version_id>/settings/", versions.version_settings, name="version_settings"),
    path("versions/<int:version_id>/publish/", versions.publish, name="publish"),
    path("versions/<int:version_id>/changes/", versions.version_changes, name="changes"),
]
