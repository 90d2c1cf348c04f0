"""Every rule page, in one namespace: rule sets and their versions, editing a draft, publishing,
what a version changed, and trying a version out (the test box, statistics, backtests)."""

from django.urls import path

from rules.views import rule_edit, rulesets, testing, versions

app_name = "rules"
urlpatterns = [
    path("", rulesets.ruleset_list, name="list"),
    path("<int:ruleset_id>/", rulesets.ruleset_detail, name="ruleset"),
    path("<int:ruleset_id>/draft/", rulesets.start_draft, name="start_draft"),
    path("<int:ruleset_id>/statistics/", testing.rule_stats, name="statistics"),
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
    path("versions/<int:version_id>/test/", testing.rule_test, name="test"),
    path("versions/<int:version_id>/backtests/", testing.backtests, name="backtests"),
    path("backtests/<int:backtest_id>/", testing.backtest_detail, name="backtest"),
]
