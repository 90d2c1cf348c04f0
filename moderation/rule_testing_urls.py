"""The rule pages that read comments (the test box, statistics, backtests), in the `rules:`
namespace beside ``rules.urls``; ``smpolicy.urls`` joins the two under /rules/."""

from django.urls import path

from moderation.views import rule_testing

urlpatterns = [
    path("<int:ruleset_id>/statistics/", rule_testing.rule_stats, name="statistics"),
    path("versions/<int:version_id>/test/", rule_testing.rule_test, name="test"),
    path("versions/<int:version_id>/backtests/", rule_testing.backtests, name="backtests"),
    path("backtests/<int:backtest_id>/", rule_testing.backtest_detail, name="backtest"),
]
