"""A worker killed with SIGKILL mid-transaction, then the scheduler's recovery and a new worker.

Each test runs a real ``rqworker`` process (SimpleWorker) on the test database, lets it work
until a chosen point, makes it block inside a transaction (see the conftest: the audit chain's
lock), kills it with SIGKILL, and then runs what production runs after a crash: one scheduler
tick (``dispatch_due_work``, with the staleness thresholds shortened as if the time had passed)
and a fresh worker. The assertions are about outcomes, never durations.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections import Counter

import pytest
from django.db.models import Count, F

from accounts.models import AuditEvent
from moderation.actions.ingest import EVALUATION_BATCH
from moderation.actions.outbox import STALE_SENDING
from moderation.emulator import Emulator
from moderation.jobs import dispatch_due_work, poll_channel
from moderation.models import Channel, Comment, Flag, ModerationAction
from moderation.outbox import due_action_ids
from tests.moderation.reliability.conftest import (
    Workers,
    audit_chain_held,
    hides_per_comment,
    seed_comments,
    wait_for,
    wait_for_backend_to_end,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

HELD = (Comment.Status.HELD, Comment.Status.DONE)


def _evaluated() -> int:
    return Comment.objects.exclude(status=Comment.Status.NEW).count()


def _assert_every_comment_stored_once(channel: Channel, seeded: dict[str, str]) -> None:
    stored = list(Comment.objects.filter(channel=channel).values_list("platform_id", flat=True))
    assert sorted(stored) == sorted(seeded)


def _assert_every_comment_evaluated_once(channel: Channel) -> None:
    comments = Comment.objects.filter(channel=channel)
    assert not comments.filter(status=Comment.Status.NEW).exists()
    repeated_flags = (
        Flag.objects.filter(comment__channel=channel)
        .values("comment_id", "rule_key", "ruleset_version", "shadow")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
    )
    assert list(repeated_flags) == []
    outcome_events = Counter(
        AuditEvent.objects.filter(event_type__startswith="moderation.comment.auto_").values_list(
            "target_id", flat=True
        )
    )
    flagged = comments.exclude(status=Comment.Status.CLEAN).values_list("pk", flat=True)
    assert outcome_events == Counter(str(pk) for pk in flagged)
    clean_listed = Counter(
        comment_id
        for data in AuditEvent.objects.filter(
            event_type="moderation.comments.evaluated_clean"
        ).values_list("data", flat=True)
        for comment_id in data["comment_ids"]
    )
    clean = comments.filter(status=Comment.Status.CLEAN).values_list("pk", flat=True)
    assert clean_listed == Counter(clean)


def _assert_one_hide_per_held_comment_all_sent(channel: Channel) -> None:
    held = set(
        Comment.objects.filter(channel=channel, status__in=HELD).values_list("pk", flat=True)
    )
    assert held, "the abusive comments should have been held"
    hides = Counter(
        ModerationAction.objects.filter(channel=channel, kind="hide").values_list(
            "comment_id", flat=True
        )
    )
    assert hides == Counter(held)
    unsent = ModerationAction.objects.exclude(state=ModerationAction.State.SUCCEEDED)
    assert list(unsent.values_list("pk", "state", "last_error")) == []


def test_a_worker_killed_in_the_middle_of_an_evaluation_batch_leaves_nothing_half_done(
    workers: Workers,
    emulator: Emulator,
    facebook_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Four evaluation batches (EVALUATION_BATCH is 1,000), so that after the first one is
    # done, the worker is still inside a later one when the test takes the audit lock.
    seeded = seed_comments(emulator, 4 * EVALUATION_BATCH, every_abusive=40)
    workers.enqueue("ingest", poll_channel, facebook_channel.pk)
    # Evaluation before sending: the poll, then every batch, then the hides.
    first = workers.start("ingest", "actions", "default")
    wait_for(lambda: _evaluated() > 0 or first.poll() is not None, "a first batch evaluated")
    assert first.poll() is None, workers.log()

    with audit_chain_held() as blocked_backend:
        backend = blocked_backend()  # the next batch has written its rows, not committed them
        workers.kill(first)
    wait_for_backend_to_end(backend)
    evaluated_at_kill = _evaluated()
    assert 0 < evaluated_at_kill < len(seeded)
    # The killed batch left nothing behind: its comments are untouched, as if never evaluated.
    unevaluated = Comment.objects.filter(status=Comment.Status.NEW)
    assert not Flag.objects.filter(comment__in=unevaluated).exists()
    assert not ModerationAction.objects.filter(comment__in=unevaluated).exists()
    assert not ModerationAction.objects.filter(state=ModerationAction.State.SUCCEEDED).exists()

    # Ten minutes later the scheduler finds the comments whose evaluation job died.
    monkeypatch.setattr("moderation.jobs.EVALUATION_STALE_AFTER", dt.timedelta(0))
    tick = dispatch_due_work()
    assert tick["reevaluated"] == len(seeded) - evaluated_at_kill
    workers.finish(workers.start("ingest", "actions", "default"))

    _assert_every_comment_stored_once(facebook_channel, seeded)
    _assert_every_comment_evaluated_once(facebook_channel)
    _assert_one_hide_per_held_comment_all_sent(facebook_channel)
    held_ids = Comment.objects.filter(status__in=HELD).values_list("platform_id", flat=True)
    assert hides_per_comment(emulator) == dict.fromkeys(held_ids, 1)


def _kill_while_recording_a_success(
    workers: Workers, worker: subprocess.Popen[bytes], emulator: Emulator
) -> int:
    """Kill the worker while it records a hide the platform has already carried out.

    The worker blocks at its next audit write. That write records a success only if the one row
    it is sending has reached the emulator; it may instead be a retry being scheduled after a
    request that never arrived (a connect timeout on a loaded machine). Then the lock is let go
    and the worker's next write is tried. Returns the killed worker's database backend.
    """
    for _ in range(50):
        with audit_chain_held() as blocked_backend:
            backend = blocked_backend()
            sending = ModerationAction.objects.filter(state="sending").select_related("comment")
            rows = [row.comment.platform_id for row in sending if row.comment is not None]
            if len(rows) == 1 and hides_per_comment(emulator).get(rows[0]) == 1:
                workers.kill(worker)
                return backend
    pytest.fail(f"the worker never blocked while recording a hide's success\n{workers.log()}")


def test_a_worker_killed_after_the_platform_hid_a_comment_sends_only_that_one_again(
    workers: Workers,
    emulator: Emulator,
    facebook_channel: Channel,
) -> None:
    seeded = seed_comments(emulator, 400, every_abusive=2)
    workers.enqueue("ingest", poll_channel, facebook_channel.pk)
    first = workers.start("ingest", "actions", "default")
    wait_for(
        lambda: (
            ModerationAction.objects.filter(state="succeeded").count() >= 10
            or first.poll() is not None
        ),
        "some hides sent",
    )
    assert first.poll() is None, workers.log()

    backend = _kill_while_recording_a_success(workers, first, emulator)
    wait_for_backend_to_end(backend)
    sent_before = set(
        ModerationAction.objects.filter(state="succeeded").values_list("comment_id", flat=True)
    )
    # Exactly one row was mid-send: claimed, sent, its success not recorded.
    in_flight = ModerationAction.objects.select_related("comment").get(state="sending")
    assert ModerationAction.objects.filter(state="pending").exists()

    # A row a live worker is sending is nobody else's; five minutes later it is abandoned.
    assert in_flight.pk not in due_action_ids()
    ModerationAction.objects.filter(pk=in_flight.pk).update(
        next_attempt_at=F("next_attempt_at") - STALE_SENDING - dt.timedelta(seconds=1)
    )
    assert in_flight.pk in due_action_ids()
    tick = dispatch_due_work()
    assert tick["actions"] > 0
    workers.finish(workers.start("ingest", "actions", "default"))

    _assert_every_comment_stored_once(facebook_channel, seeded)
    _assert_every_comment_evaluated_once(facebook_channel)
    _assert_one_hide_per_held_comment_all_sent(facebook_channel)
    platform_id = dict(Comment.objects.values_list("pk", "platform_id"))
    hides = hides_per_comment(emulator)
    # Recorded successes were never repeated; the one whose success was lost went twice
    # (hiding is idempotent on the platform, so the second call changes nothing there).
    assert {hides[platform_id[pk]] for pk in sent_before} == {1}
    assert in_flight.comment is not None
    assert hides[in_flight.comment.platform_id] == 2
    assert sum(hides.values()) == ModerationAction.objects.count() + 1


def test_a_worker_killed_while_storing_a_poll_loses_no_comment(
    workers: Workers,
    emulator: Emulator,
    facebook_channel: Channel,
) -> None:
    seeded = seed_comments(emulator, 1_600)
    workers.enqueue("ingest", poll_channel, facebook_channel.pk)
    first = workers.start("ingest", "actions", "default")
    wait_for(
        lambda: Comment.objects.exists() or first.poll() is not None, "a first store committed"
    )
    assert first.poll() is None, workers.log()

    with audit_chain_held() as blocked_backend:
        backend = blocked_backend()  # the next pages are written with the cursor, not committed
        workers.kill(first)
    wait_for_backend_to_end(backend)
    stored_at_kill = Comment.objects.count()
    assert 0 < stored_at_kill < len(seeded)

    # The next poll resumes from the cursor that was committed with the stored rows.
    workers.enqueue("ingest", poll_channel, facebook_channel.pk)
    workers.finish(workers.start("ingest", "actions", "default"))

    _assert_every_comment_stored_once(facebook_channel, seeded)
    _assert_every_comment_evaluated_once(facebook_channel)
    _assert_one_hide_per_held_comment_all_sent(facebook_channel)
