"""A console with something on every page: a fortnight of work up to now, a channel with a
hostile name and round-the-clock hours, rule sets with a published change and a draft, a finished
backtest, and open, held and escalated items with long unbroken text (which must wrap, not widen
a page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.audit import SystemActor
from moderation.actions.backtests import do_start_backtest
from moderation.jobs import run_backtest
from moderation.models import Author, Comment, Organisation, Tag
from rules.actions import (
    do_delete_rule,
    do_publish_version,
    do_save_rule,
    do_save_version_settings,
    do_start_draft,
    rule_snapshot,
)
from rules.compile import default_ruleset
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.configuration.factories_configuration import bananas_ruleset
from tests.moderation.console.factories_console import escalation_for, open_item
from tests.moderation.reports.factories_reports import busy_fortnight

ACTOR = SystemActor.system("test")
LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2


def rule_history() -> dict[str, int]:
    """A rule set published twice over, a draft with every kind of change, and a backtest of the
    default rule set (whose long rule keys must still fit a phone)."""
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
    policy = default_ruleset()
    assert policy is not None
    backtest = do_start_backtest(
        do_start_draft(policy, actor=ACTOR),
        first.received_at,
        timezone.now() + dt.timedelta(days=1),
        actor=ACTOR,
    )
    run_backtest(backtest.pk)
    return {"published": second.pk, "draft": third.pk, "backtest": backtest.pk}


def busy_console(officers: list[Any]) -> dict[str, Any]:
    busy_fortnight(timezone.now() - dt.timedelta(days=13), officers)
    fire = ChannelFactory(
        name=f"Exampleshire Fire and Rescue ‮eriF‬ {LONG[:70]}",
        handle=LONG,
        platform="x",
        hours_days="0123456",
        bank_holidays_monitored=True,
    )
    CommentFactory(channel=fire, text="Smoke over the quarry, is it a controlled burn?")
    Organisation.objects.update(strike_threshold=2)
    Tag.objects.create(key="roadworks", name="Roadworks A3052 closure")
    item = open_item(
        f"You are all useless {LONG} https://example.com/{'a' * 80}",
        platform="youtube",
        severity=4,
        spans=[(12, 19)],
        channel=fire,
    )
    Author.objects.filter(pk=item.author_id).update(
        strikes=3, display_name=f"Resident {LONG}", handle=LONG
    )
    open_item("Held one", status=Comment.Status.HELD)
    escalation_for(open_item("FOI please", status=Comment.Status.ESCALATED), "foi")
    return {"item": item, "channel": fire, **rule_history()}
