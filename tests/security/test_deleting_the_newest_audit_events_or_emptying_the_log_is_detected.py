"""Deleting the newest events leaves a chain that still links, and an empty table has nothing to
break. Signed checkpoints of the chain's head, kept outside the audit table, catch both, and
``verify_audit`` says what was lost."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.audit import SystemActor, verify_chain
from accounts.audit_checkpoints import write_checkpoint, write_checkpoint_if_due
from accounts.models import AuditCheckpoint, AuditEvent
from tests.factories import audit_events
from tests.helpers import as_the_table_owner

ACTOR = SystemActor.system("test")


@pytest.mark.django_db
def test_deleting_the_last_three_events_is_named(caplog) -> None:
    events = audit_events(6)
    with caplog.at_level("INFO", logger="accounts.audit"):
        write_checkpoint()
    assert any(str(events[-1].pk) in message for message in caplog.messages)
    as_the_table_owner("DELETE FROM accounts_auditevent WHERE id >= %s", [events[3].pk])
    report = verify_chain()
    assert not report.ok
    assert report.missing == 3
    assert "last 3 events" in report.reason
    assert report.last_verified_id == events[2].pk
    with pytest.raises(CommandError, match="last 3 events"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_recording_signs_nothing_and_the_schedulers_tick_signs_once_n_events_have_come(
    settings,
) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 3
    audit_events(1)
    write_checkpoint()
    before = AuditCheckpoint.objects.count()
    audit_events(2)
    assert write_checkpoint_if_due() is None
    events = audit_events(1)
    # Nothing was signed inside the transactions that recorded the events (a web request's).
    assert AuditCheckpoint.objects.count() == before
    checkpoint = write_checkpoint_if_due()
    assert checkpoint is not None
    assert checkpoint.last_event_id == events[-1].pk
    assert write_checkpoint_if_due() is None


def _events_each_checkpointed(n: int) -> list[AuditEvent]:
    """``n`` events, with the scheduler's tick after each (AUDIT_CHECKPOINT_EVERY = 1)."""
    events = []
    for _ in range(n):
        events += audit_events(1)
        write_checkpoint_if_due()
    return events


@pytest.mark.django_db
def test_checkpoints_are_written_every_n_events_by_the_schedulers_tick(settings) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 1
    events = _events_each_checkpointed(5)
    as_the_table_owner("DELETE FROM accounts_auditevent WHERE id >= %s", [events[3].pk])
    report = verify_chain()
    assert not report.ok
    assert "last 2 events are missing" in report.reason


@pytest.mark.django_db
def test_deleting_the_newest_events_is_caught_after_new_ones_are_added(settings) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 1
    events = _events_each_checkpointed(5)
    as_the_table_owner("DELETE FROM accounts_auditevent WHERE id >= %s", [events[3].pk])
    audit_events(1)  # links to the event before the deleted ones
    report = verify_chain()
    assert not report.ok
    assert report.missing == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_emptying_the_table_is_named() -> None:
    audit_events(3)
    write_checkpoint()
    as_the_table_owner("TRUNCATE accounts_auditevent")
    report = verify_chain()
    assert not report.ok
    assert "emptied" in report.reason
    assert report.missing == 3


@pytest.mark.django_db
def test_an_intact_log_with_checkpoints_verifies() -> None:
    audit_events(3)
    write_checkpoint()
    audit_events(2)
    report = verify_chain()
    assert report.ok, report.reason
    assert report.checked == 5


@pytest.mark.django_db
def test_the_scheduler_signs_a_checkpoint_when_it_starts() -> None:
    events = audit_events(2)
    call_command("run_scheduler", "--once")
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()
    assert checkpoint is not None
    assert checkpoint.last_event_id == events[-1].pk
    assert checkpoint.event_count == 2


@pytest.mark.django_db
def test_a_checkpoint_written_without_the_key_is_named() -> None:
    from django.utils import timezone

    from accounts.models import AuditCheckpoint

    events = audit_events(2)
    forged = AuditCheckpoint.objects.create(
        created_at=timezone.now(),
        last_event_id=events[-1].pk,
        last_event_hash=events[-1].hash,
        event_count=2,
        key_id="0" * 16,
        signature="0" * 64,
    )
    report = verify_chain()
    assert not report.ok
    assert f"checkpoint {forged.pk}" in report.reason
    assert "forged" in report.reason
