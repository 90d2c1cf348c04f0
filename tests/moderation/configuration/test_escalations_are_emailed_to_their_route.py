"""Escalation emails: sent once to the route's addresses, with the deadline and a link, and
without the comment itself (personal data stays in the console)."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import AuditEvent
from moderation.emails import notify_escalation
from moderation.models import EscalationRoute
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.configuration.factories_configuration import escalate

pytestmark = pytest.mark.django_db


def test_an_escalation_is_emailed_once_to_every_address_of_its_route() -> None:
    EscalationRoute.objects.filter(key="foi").update(email="foi@example.gov.uk, eir@example.gov.uk")
    comment = CommentFactory(
        channel=ChannelFactory(name="County Council"),
        text="Under the FOI Act please send me the bin contract. Jane, 07700 900123",
        categories=["foi_request"],
    )
    escalation = escalate(comment, "foi")

    assert notify_escalation(escalation.pk) == "sent"
    assert notify_escalation(escalation.pk) == "already sent"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["foi@example.gov.uk", "eir@example.gov.uk"]
    assert "County Council" in message.body
    assert "foi request" in message.body
    assert "07700" not in str(message.body) + str(message.subject)
    assert "bin contract" not in str(message.body) + str(message.subject)
    event = AuditEvent.objects.get(event_type="moderation.escalation.emailed")
    assert event.data["route"] == "foi"


def test_a_route_without_an_address_sends_nothing() -> None:
    escalation = escalate(CommentFactory(), "manager")
    assert notify_escalation(escalation.pk) == "no address"
    assert mail.outbox == []
