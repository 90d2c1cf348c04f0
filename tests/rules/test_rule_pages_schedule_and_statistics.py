"""A rule set scheduled for a period (the pre-election rules) applies on top while it lasts; the
statistics page shows each rule's hits and reversal rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.models import Flag
from rules.compile import versions_in_force
from rules.models import RuleSet
from tests.factories import CommentFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def test_scheduling_a_rule_set_puts_it_in_force_for_the_period(adam) -> None:
    scheduled = bananas_ruleset("hold")
    start = timezone.localtime() - dt.timedelta(days=1)
    end = start + dt.timedelta(days=30)

    response = signed_in(Client(), adam).post(
        f"/rules/{scheduled.pk}/",
        {
            "active_from": start.strftime("%Y-%m-%dT%H:%M"),
            "active_until": end.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    live, _ = versions_in_force(None, timezone.now())
    assert scheduled.pk in {v.ruleset_id for v in live}
    live_later, _ = versions_in_force(None, end + dt.timedelta(days=1))
    assert scheduled.pk not in {v.ruleset_id for v in live_later}
    assert AuditEvent.objects.filter(event_type="rules.ruleset.scheduled").exists()


def test_a_period_that_ends_before_it_starts_is_refused(adam) -> None:
    scheduled = bananas_ruleset("hold")
    response = signed_in(Client(), adam).post(
        f"/rules/{scheduled.pk}/",
        {"active_from": "2026-05-01T00:00", "active_until": "2026-04-01T00:00"},
    )
    assert response.status_code == 400
    assert RuleSet.objects.get(pk=scheduled.pk).active_from is None


def test_statistics_show_hits_and_the_reversal_rate_per_rule(maya) -> None:
    ruleset = bananas_ruleset()
    rule = ruleset.versions.get().rules.get()
    for reversed_ in (True, False, False, False):
        Flag.objects.create(
            comment=CommentFactory(),
            rule=rule,
            ruleset_version=1,
            rule_key=rule.key,
            rule_name=rule.name,
            category=rule.category,
            severity=2,
            outcome="review",
            reversed=reversed_,
        )

    page = signed_in(Client(), maya).get(f"/rules/{ruleset.pk}/statistics/")

    content = page.content.decode()
    assert page.status_code == 200
    assert "fruit-bananas" in content
    assert '<td data-label="Hits" class="num">4</td>' in content
    assert "25%" in content
