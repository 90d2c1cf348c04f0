from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from accounts.audit import SystemActor, record, verify_chain
from accounts.models import AuditEvent
from tests.factories import audit_events
from tests.helpers import as_the_table_owner

ACTOR = SystemActor.system("test")


@pytest.mark.django_db
def test_an_untouched_chain_verifies() -> None:
    audit_events(5)
    report = verify_chain()
    assert report.ok
    assert report.checked == 5


@pytest.mark.django_db
def test_each_event_links_to_the_one_before() -> None:
    first, second = audit_events(2)
    assert second.prev_hash == first.hash
    assert first.prev_hash == "0" * 64


@pytest.mark.django_db
def test_changing_an_events_content_is_detected_at_that_event() -> None:
    events = audit_events(4)
    as_the_table_owner(
        "UPDATE accounts_auditevent SET actor_label = %s WHERE id = %s",
        ["someone else", events[2].pk],
    )
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[2].pk
    assert report.checked == 2
    assert "content was changed" in report.reason


@pytest.mark.django_db
def test_deleting_an_event_is_detected_at_the_next_one() -> None:
    events = audit_events(4)
    as_the_table_owner("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].pk])
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[2].pk
    assert "link does not match" in report.reason


@pytest.mark.django_db
def test_the_command_names_the_first_broken_event() -> None:
    events = audit_events(3)
    as_the_table_owner(
        "UPDATE accounts_auditevent SET data = %s WHERE id = %s", ['{"i": 99}', events[0].pk]
    )
    with pytest.raises(CommandError, match=f"broken at event {events[0].pk}"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        record("tests.thing.happened", actor=ACTOR)


@pytest.mark.django_db
def test_secrets_are_masked_in_event_data() -> None:
    with transaction.atomic():
        event = record(
            "tests.channel.connected", actor=ACTOR, after={"access_token": "abc", "name": "x"}
        )
    assert event.after == {"access_token": "•••", "name": "x"}


@pytest.mark.django_db
def test_the_application_refuses_to_update_or_delete_events() -> None:
    (event,) = audit_events(1)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(actor_label="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
