"""axe-core finds no serious or critical WCAG 2.2 AA problems on the managers' and admins' pages
this work changed (reports, the printable paper, the audit log, the publish review and a
version's changes, a backtest, channel hours, routes), and each fits 390 px without sideways
scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.audit import SystemActor
from moderation.actions.backtests import do_run_backtest, do_start_backtest
from moderation.models import Comment
from rules.actions import (
    do_delete_rule,
    do_publish_version,
    do_save_rule,
    do_save_version_settings,
    do_start_draft,
    rule_snapshot,
)
from rules.compile import default_ruleset
from tests.browser.conftest import no_horizontal_scroll, sign_in, wider_than_the_viewport
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.configuration.factories_configuration import bananas_ruleset
from tests.moderation.reports.factories_reports import busy_fortnight, london

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
ACTOR = SystemActor.system("test")
WIDTHS = ((1400, 900), (390, 844))


@pytest.fixture
def world(olivia: Any, oscar: Any) -> dict[str, int]:
    busy_fortnight(london(2025, 8, 4, 8), [olivia, oscar])
    fire = ChannelFactory(
        name="Exampleshire Fire and Rescue ‮eriF‬",
        platform="x",
        hours_days="0123456",
        bank_holidays_monitored=True,
    )
    CommentFactory(channel=fire, text="Smoke over the quarry, is it a controlled burn?")
    ruleset = bananas_ruleset()
    second = do_start_draft(ruleset, actor=ACTOR)
    do_save_rule(
        second,
        key="fruit-orchard",
        fields={
            "name": "Orchard fruit",
            "category": "off_topic",
            "severity": 2,
            "outcome": "review",
            "route": "",
            "kind": "words",
            "params": {"words": ["apples", "pears", "plums", "quinces"]},
            "enabled": True,
            "explanation": "Off topic.",
        },
        actor=ACTOR,
    )
    do_publish_version(second, actor=ACTOR, note="Orchard fruit too")
    third = do_start_draft(ruleset, actor=ACTOR)
    do_save_rule(
        third,
        key="fruit-prices",
        fields={
            "name": "Fruit prices",
            "category": "spam",
            "severity": 3,
            "outcome": "hold",
            "route": "",
            "kind": "regex",
            "params": {"pattern": r"£\d+ (?:a|per) (?:kilo|kg)"},
            "enabled": True,
            "explanation": "Selling fruit.",
        },
        actor=ACTOR,
    )
    bananas = third.rules.get(key="fruit-bananas")
    do_save_rule(
        third,
        key=bananas.key,
        fields={**rule_snapshot(bananas), "params": {"words": ["bananas", "plantains"]}},
        actor=ACTOR,
    )
    do_delete_rule(third.rules.get(key="fruit-orchard"), actor=ACTOR)
    do_save_version_settings(third, {"flood_threshold": 8}, actor=ACTOR)
    first = Comment.objects.order_by("received_at").first()
    assert first is not None
    # The default rule set's keys are long ("personal_data.private_information"): its hits
    # table must still fit a phone.
    policy = default_ruleset()
    assert policy is not None
    backtest = do_start_backtest(
        do_start_draft(policy, actor=ACTOR), first.received_at, london(2026, 1, 1), actor=ACTOR
    )
    do_run_backtest(backtest.pk, actor=SystemActor.system("backtest job"))
    return {"channel": fire.pk, "published": second.pk, "draft": third.pk, "backtest": backtest.pk}


def _check(page: Any, path: str, name: str, axe: Any, shoot: Any) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        assert axe(page) == [], (path, width)
        assert no_horizontal_scroll(page), (path, width, wider_than_the_viewport(page))
        shoot(page, f"{name}-{width}")


def test_the_managers_pages(
    page: Any, maya: Any, world: dict[str, int], axe: Any, shoot: Any
) -> None:
    sign_in(page, maya)
    period = "?start=2025-08-04&end=2025-08-17"
    for path, name in (
        (f"/reports/{period}", "axe-reports"),
        (f"/reports/print/{period}", "axe-report-paper"),
        ("/audit/", "axe-audit-people"),
        ("/audit/?actor_kind=all", "axe-audit-everything"),
        (f"/rules/versions/{world['published']}/changes/", "axe-rule-changes"),
        ("/escalations/", "axe-escalations"),
    ):
        _check(page, path, name, axe, shoot)


def test_the_admins_pages(
    page: Any, adam: Any, world: dict[str, int], axe: Any, shoot: Any
) -> None:
    sign_in(page, adam)
    for path, name in (
        (f"/rules/versions/{world['draft']}/publish/", "axe-rule-publish"),
        (f"/rules/backtests/{world['backtest']}/", "axe-backtest"),
        (f"/settings/channels/{world['channel']}/", "axe-channel-hours"),
        ("/settings/channels/", "axe-channels"),
        ("/settings/routes/", "axe-routes"),
    ):
        _check(page, path, name, axe, shoot)
