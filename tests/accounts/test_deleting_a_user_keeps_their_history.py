from __future__ import annotations

import pytest

from accounts.actions import do_deactivate_user
from accounts.audit import SystemActor, verify_chain
from accounts.models import AuditEvent


@pytest.mark.django_db
def test_deleting_a_user_leaves_their_events_with_their_name(olivia, adam) -> None:
    do_deactivate_user(olivia, actor=olivia)
    olivia_id = olivia.pk
    olivia.delete()
    event = AuditEvent.objects.get(event_type="accounts.user.deactivated")
    assert event.actor_id == olivia_id
    assert event.actor_label == "Olivia Okafor (olivia)"
    assert verify_chain().ok


@pytest.mark.django_db
def test_deactivation_records_before_and_after(olivia, adam) -> None:
    do_deactivate_user(olivia, actor=adam)
    event = AuditEvent.objects.get(event_type="accounts.user.deactivated")
    assert event.before is not None and event.after is not None
    assert event.before["is_active"] is True
    assert event.after["is_active"] is False
    assert event.actor == adam


@pytest.mark.django_db
def test_a_system_actor_is_labelled(olivia) -> None:
    do_deactivate_user(olivia, actor=SystemActor.system("retention job"))
    event = AuditEvent.objects.get(event_type="accounts.user.deactivated")
    assert event.actor is None
    assert (event.actor_kind, event.actor_label) == ("system", "retention job")
