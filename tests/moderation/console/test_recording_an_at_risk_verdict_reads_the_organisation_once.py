"""Recording a batch's verdicts reads the organisation once: the on-call alert for someone at
risk uses the organisation the recording transaction already read (for crisis mode) rather than
reading it again. (The job reads it once more before that, for the engine's settings.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.at_risk import on_call_alerts_for
from moderation.jobs import evaluate_comments
from moderation.models import Escalation, EscalationRoute, Notification, Organisation
from tests.factories import ChannelFactory, CommentFactory

pytestmark = pytest.mark.django_db

AT_RISK = "I can't cope anymore and I'm thinking of ending it tonight"


def _unmonitored_now():
    return ChannelFactory(hours_days=str((dt.date.today().weekday() + 3) % 7))


def _organisation_reads(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and 'FROM "moderation_organisation"' in q["sql"]
    )


def test_recording_a_batch_with_someone_at_risk_reads_the_organisation_once() -> None:
    Organisation.objects.update(on_call_email="duty@example.gov.uk")
    comment = CommentFactory(channel=_unmonitored_now(), text=AT_RISK)

    with CaptureQueriesContext(connection) as queries:
        evaluate_comments([comment.pk])

    assert Notification.objects.filter(kind=Notification.Kind.AT_RISK).count() == 1
    assert _organisation_reads(queries) == 2  # the engine's settings; the recording transaction


def test_the_alerts_are_worked_out_from_the_organisation_given_without_a_query(
    django_assert_num_queries,
) -> None:
    org = Organisation.current()
    org.on_call_name, org.on_call_email = "Duty manager", "duty@example.gov.uk"
    comment = CommentFactory(channel=_unmonitored_now(), text=AT_RISK, categories=["self_harm"])
    escalation = Escalation(
        comment=comment,
        route=EscalationRoute.objects.get(key="safeguarding"),
        deadline_at=timezone.now(),
        created_at=timezone.now(),
    )

    with django_assert_num_queries(0):
        alerts, events = on_call_alerts_for([escalation], timezone.now(), org)

    assert [a.escalation for a in alerts] == [escalation]
    assert events[0].data == {"route": "safeguarding", "on_call": "Duty manager"}
