"""``record_many``: COPY on PostgreSQL, bulk_create elsewhere; the same chain as ``record``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import transaction

from accounts import audit
from accounts.audit import PendingEvent, SystemActor, record, record_many, verify_chain
from accounts.models import AuditEvent, User

PATHS = [
    pytest.param(audit._copy_events, id="copy", marks=pytest.mark.postgres),
    pytest.param(audit._create_events, id="bulk_create"),
]
HOSTILE = 'tab\there, newline\nthere, back\\slash, "quotes", NUL-free \u202e rtl, emoji 🙂'


def _batch(actor: User) -> list[PendingEvent]:
    return [
        PendingEvent(
            "tests.thing.flagged",
            actor=SystemActor.rule(f"rule: {HOSTILE}"),
            target=actor,
            channel_id=7,
            after={"status": "held", "categories": ["abuse", "spam"], "text": HOSTILE},
            data={"rules": ["abuse v1"], "at": dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)},
        ),
        PendingEvent(
            "tests.thing.changed",
            actor=actor,
            target_repr="a thing",
            before={"access_token": "s3cret", "nested": {"app_secret": "x", "kept": 1}},
            after={"state": "done"},
        ),
        PendingEvent("tests.things.counted", actor=SystemActor.system(), data={"count": 3}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_a_batch_is_stored_in_order_and_chained_to_the_events_around_it(
    insert: Callable[[audit.Rows], None], olivia: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "_insert_events", insert)
    with transaction.atomic():
        first = record("tests.thing.started", actor=olivia)
    with transaction.atomic():
        record_many(_batch(olivia))
    with transaction.atomic():
        last = record("tests.thing.finished", actor=olivia)

    events = list(AuditEvent.objects.order_by("id"))
    assert [e.event_type for e in events] == [
        "tests.thing.started",
        "tests.thing.flagged",
        "tests.thing.changed",
        "tests.things.counted",
        "tests.thing.finished",
    ]
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert events[0].pk == first.pk and events[-1].pk == last.pk
    report = verify_chain()
    assert (report.ok, report.checked) == (True, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_a_batch_keeps_hostile_text_exactly_and_masks_secrets(
    insert: Callable[[audit.Rows], None], olivia: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "_insert_events", insert)
    with transaction.atomic():
        record_many(_batch(olivia))
    flagged, changed, counted = AuditEvent.objects.order_by("id")
    assert flagged.actor_label == f"rule: {HOSTILE}"
    assert (flagged.actor_kind, flagged.actor_id) == ("rule", None)
    assert (flagged.target_type, flagged.target_id) == ("accounts.user", str(olivia.pk))
    assert flagged.after == {"status": "held", "categories": ["abuse", "spam"], "text": HOSTILE}
    assert flagged.data == {"rules": ["abuse v1"], "at": "2026-11-23T09:30:00Z"}
    assert flagged.before is None
    assert (changed.actor_id, changed.actor_kind, changed.target_repr) == (
        olivia.pk,
        "user",
        "a thing",
    )
    assert changed.before == {"access_token": "•••", "nested": {"app_secret": "•••", "kept": 1}}
    assert counted.data == {"count": 3}


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        record_many([PendingEvent("tests.thing.happened", actor=SystemActor.system())])
