"""A line break in a channel's or a route's name must not stop the emails that name it.

Channel names come from the platforms (a TikTok, YouTube or Bluesky display name may hold line
breaks) or from an admin's form post; route names from admins. Email subjects name both, and
Django refuses a header with a line break (``BadHeaderError``): the notification outbox would
retry for ever and the FOI team, the crisis route or the on-call contact would never be told.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions.connections import do_record_expiry_warning
from moderation.actions.spikes import do_record_spike
from moderation.emails import deliver_notification, notify_escalation
from moderation.jobs import evaluate_comments
from moderation.models import Channel, EscalationRoute, Notification, Organisation
from moderation.tokens import send_expiry_email
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.configuration.factories_configuration import escalate

pytestmark = pytest.mark.django_db

BROKEN_NAME = "Exampleshire\r\nBcc: someone@example.org\nCouncil"


def _one_line_subject() -> str:
    [email] = mail.outbox
    message = email.message()  # what would go on the wire: refuses a header with a line break
    assert "\n" not in email.subject and "\r" not in email.subject
    assert message["Bcc"] is None
    assert email.bcc == []
    return str(email.subject)


def test_an_escalation_is_emailed_when_its_channel_and_route_names_hold_line_breaks() -> None:
    EscalationRoute.objects.filter(key="foi").update(email="foi@example.gov.uk", name="FOI\nteam")
    comment = CommentFactory(channel=ChannelFactory(name=BROKEN_NAME), categories=["foi_request"])
    escalation = escalate(comment, "foi")

    assert notify_escalation(escalation.pk) == "sent"
    subject = _one_line_subject()

    assert "Exampleshire" in subject and "Council" in subject
    assert "FOI team" in subject


def test_the_on_call_alert_is_sent_when_the_channel_name_holds_a_line_break() -> None:
    Organisation.objects.update(on_call_name="Duty manager", on_call_email="duty@example.gov.uk")
    channel = ChannelFactory(name=BROKEN_NAME, hours_days=str((dt.date.today().weekday() + 3) % 7))
    comment = CommentFactory(
        channel=channel, text="I can't cope anymore and I'm thinking of ending it tonight"
    )
    evaluate_comments([comment.pk])
    [alert] = Notification.objects.filter(kind=Notification.Kind.AT_RISK)

    mail.outbox.clear()
    assert deliver_notification(alert.pk) == "sent"
    assert "at risk" in _one_line_subject().lower()


def test_a_spike_alert_is_sent_when_the_channel_name_holds_a_line_break() -> None:
    EscalationRoute.objects.filter(key="crisis").update(email="crisis@example.gov.uk")
    channel = ChannelFactory(name=BROKEN_NAME)
    figures = {"last_hour": 90, "usual_per_hour": 3, "multiple": 5}
    do_record_spike(channel, figures, actor=SystemActor.system("spike detector"))
    [spike] = Notification.objects.filter(kind=Notification.Kind.SPIKE)

    mail.outbox.clear()
    assert deliver_notification(spike.pk) == "sent"
    assert "spike" in _one_line_subject().lower()


def test_the_stored_names_are_kept_as_they_were() -> None:
    channel = ChannelFactory(name=BROKEN_NAME)
    assert Channel.objects.get(pk=channel.pk).name == BROKEN_NAME


def test_the_reconnect_warning_is_sent_when_the_channel_name_holds_a_line_break(adam) -> None:
    channel = ChannelFactory(name=BROKEN_NAME, reconnect_by=timezone.now() + dt.timedelta(days=3))
    do_record_expiry_warning(channel, 7, actor=SystemActor.system("token health check"))
    event = AuditEvent.objects.get(event_type="moderation.channel.expiry_warned")
    mail.outbox.clear()

    assert send_expiry_email(event.pk) == "sent"
    assert "Reconnect Exampleshire" in _one_line_subject()
