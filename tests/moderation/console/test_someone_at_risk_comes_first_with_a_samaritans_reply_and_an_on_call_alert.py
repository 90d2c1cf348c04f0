"""A comment saying someone may be at risk (category self_harm) is surfaced at once: above
everything else in the queue and in "n" order, offered the Samaritans and 999 reply first, and
outside monitoring hours the on-call contact is emailed through the notification outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AuditEvent
from moderation.emails import deliver_notification
from moderation.jobs import evaluate_comments
from moderation.models import Channel, Comment, Notification, Organisation
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

AT_RISK = (
    "Social services still haven't called me back. "
    "I can't cope anymore and I'm thinking of ending it tonight"
)
THREAT = "I know where you live and I'll kill you"


def _evaluated(channel: Channel, text: str) -> Comment:
    comment = CommentFactory(channel=channel, text=text)
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    return comment


def _unmonitored_now() -> Channel:
    """A channel nobody watches at this moment (its only monitored day is not today)."""
    today = dt.date.today().weekday()
    return ChannelFactory(hours_days=str((today + 3) % 7))


def _always_monitored() -> Channel:
    return ChannelFactory(
        hours_days="0123456",
        hours_start=dt.time(0),
        hours_end=dt.time(0),
        bank_holidays_monitored=True,
    )


def test_an_at_risk_comment_outranks_a_death_threat(olivia) -> None:
    channel = _always_monitored()
    threat = _evaluated(channel, THREAT)
    at_risk = _evaluated(channel, AT_RISK)

    assert "self_harm" in at_risk.categories
    assert at_risk.priority > threat.priority
    assert at_risk.escalations.get().route.key == "safeguarding"


def test_the_queue_shows_at_risk_items_above_every_tab_and_n_claims_them_first(olivia) -> None:
    channel = _always_monitored()
    for _ in range(3):
        _evaluated(channel, "You absolute muppet, shut up")
    at_risk = _evaluated(channel, AT_RISK)
    client = signed_in(Client(), olivia)

    page = client.get("/queue/?tab=review").content.decode()
    assert "Someone may be at risk" in page
    assert page.index(f"/queue/{at_risk.pk}/") < page.index("<table")

    response = client.post("/queue/next/", {"tab": "review"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/queue/{at_risk.pk}/")


def test_the_samaritans_and_999_reply_is_seeded_and_offered_first(olivia) -> None:
    at_risk = _evaluated(_always_monitored(), AT_RISK)

    page = signed_in(Client(), olivia).get(f"/queue/{at_risk.pk}/").content.decode()

    first_option = page.index("Someone at risk: Samaritans and 999")
    assert first_option < page.index("Listening response")
    assert "116 123" in page and "999" in page and "24 hours" in page


def test_outside_monitoring_hours_the_on_call_contact_is_emailed_once() -> None:
    Organisation.objects.update(on_call_name="Duty manager", on_call_email="duty@example.gov.uk")
    at_risk = _evaluated(_unmonitored_now(), AT_RISK)

    [alert] = Notification.objects.filter(kind=Notification.Kind.AT_RISK)
    assert alert.escalation is not None
    assert alert.escalation.comment_id == at_risk.pk
    queued = AuditEvent.objects.get(event_type="moderation.at_risk.on_call_alert_queued")
    assert queued.target_id == str(at_risk.pk)

    mail.outbox.clear()
    assert deliver_notification(alert.pk) == "sent"
    assert deliver_notification(alert.pk) == "skipped"
    [email] = [m for m in mail.outbox if m.to == ["duty@example.gov.uk"]]
    assert "at risk" in email.subject.lower()
    assert "ending it" not in email.body  # the comment stays in the console
    assert f"/queue/{at_risk.pk}/" in email.body
    assert AuditEvent.objects.filter(event_type="moderation.at_risk.on_call_emailed").count() == 1


def test_within_monitoring_hours_officers_see_it_and_no_one_is_paged() -> None:
    Organisation.objects.update(on_call_email="duty@example.gov.uk")
    _evaluated(_always_monitored(), AT_RISK)

    assert not Notification.objects.filter(kind=Notification.Kind.AT_RISK).exists()


def test_admins_set_the_on_call_contact_in_settings_and_it_is_audited(adam, maya) -> None:
    client = signed_in(Client(), adam)
    assert client.get("/settings/on-call/").status_code == 200

    response = client.post(
        "/settings/on-call/",
        {"on_call_name": "Duty <b>manager</b>", "on_call_email": "duty@example.gov.uk"},
    )

    assert response.status_code == 302
    org = Organisation.current()
    assert org.on_call_email == "duty@example.gov.uk"
    event = AuditEvent.objects.get(event_type="moderation.organisation.on_call_set")
    assert event.after is not None
    assert event.actor == adam and event.after["on_call_email"] == "duty@example.gov.uk"
    assert "Duty &lt;b&gt;manager&lt;/b&gt;" in client.get("/settings/on-call/").content.decode()
    assert (
        signed_in(Client(), maya)
        .post("/settings/on-call/", {"on_call_email": "x@example.org"})
        .status_code
        == 403
    )
    assert client.post("/settings/on-call/", {"on_call_email": "not an email"}).status_code == 400
