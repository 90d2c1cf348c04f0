"""Emails to people (an escalation's route, a spike's crisis team) are rows in a database outbox,
written with what they tell about, and sent by a worker that retries until they go."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions import do_escalate_comment
from moderation.actions.spikes import do_record_spike
from moderation.jobs import send_notification
from moderation.models import EscalationRoute, Notification
from moderation.spikes import HourlyRate
from tests.factories import ChannelFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalated(django_capture_on_commit_callbacks) -> Notification:
    EscalationRoute.objects.filter(key="foi").update(email="foi@example.gov.uk")
    with django_capture_on_commit_callbacks(execute=False):
        do_escalate_comment(
            CommentFactory(channel=ChannelFactory()),
            EscalationRoute.objects.get(key="foi"),
            actor=SystemActor.system("test"),
        )
    return Notification.objects.get()


def test_an_escalation_writes_its_notification_in_the_same_transaction(
    escalated: Notification,
) -> None:
    assert escalated.kind == Notification.Kind.ESCALATION
    assert escalated.state == Notification.State.PENDING
    assert escalated.escalation is not None


def test_a_spike_writes_its_notification_in_the_same_transaction(
    django_capture_on_commit_callbacks,
) -> None:
    channel = ChannelFactory()
    with django_capture_on_commit_callbacks(execute=False):
        event = do_record_spike(
            channel,
            HourlyRate(channel.pk, 40, 2.0, 3.0, True).as_data(3.0),
            actor=SystemActor.system("spike detector"),
        )
    assert event is not None
    [notification] = Notification.objects.all()
    assert (notification.kind, notification.audit_event_id) == ("spike", event.pk)


def test_an_email_the_mail_server_refuses_is_tried_again_later_and_then_sent_once(
    escalated: Notification, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("moderation.emails.send_mail", refuse)

    assert send_notification(escalated.pk) == Notification.State.PENDING

    escalated.refresh_from_db()
    assert escalated.state == Notification.State.PENDING
    assert escalated.attempts == 1
    assert "SMTPServerDisconnected" in escalated.last_error
    first_wait = escalated.next_attempt_at
    assert AuditEvent.objects.filter(event_type="moderation.notification.retry_scheduled").exists()
    assert send_notification(escalated.pk) == Notification.State.PENDING  # refused again
    escalated.refresh_from_db()
    assert escalated.next_attempt_at > first_wait  # and it waits longer
    monkeypatch.undo()

    assert send_notification(escalated.pk) == "sent"
    assert send_notification(escalated.pk) == "skipped"

    assert len(mail.outbox) == 1
    escalated.refresh_from_db()
    assert (escalated.state, escalated.outcome, escalated.last_error) == ("sent", "sent", "")


def test_a_notification_holds_no_personal_data(escalated: Notification) -> None:
    from django.forms.models import model_to_dict

    values = model_to_dict(escalated)
    assert set(values) >= {"kind", "escalation", "state"}
    assert not any(isinstance(v, str) and "@" in v for v in values.values())
