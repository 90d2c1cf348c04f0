"""Claiming: "next" hands out the worst free item, claims lapse, and two officers never hold the
same item — including twenty officers pressing "next" at once on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.actions import ActionRefused
from moderation.actions.claims import (
    do_claim_comment,
    do_claim_next_comment,
    do_release_comment,
    refuse_if_claimed_by_other,
)
from moderation.models import Author, Channel, Comment
from tests.factories import make_user
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def test_next_hands_out_the_worst_item_first_then_the_earliest_due(olivia) -> None:
    mild = open_item(severity=2, due_in=dt.timedelta(minutes=5))
    worst_later = open_item(severity=5, due_in=dt.timedelta(hours=3))
    worst_sooner = open_item(severity=5, due_in=dt.timedelta(hours=1))
    assert do_claim_next_comment(actor=olivia) == worst_sooner
    assert do_claim_next_comment(actor=olivia, skip_ids=[worst_sooner.pk]) == worst_later
    assert do_claim_next_comment(actor=olivia, skip_ids=[worst_sooner.pk, worst_later.pk]) == mild


def test_an_item_claimed_by_one_officer_is_not_handed_to_another(olivia, oscar) -> None:
    first, second = open_item(severity=5), open_item(severity=4)
    assert do_claim_next_comment(actor=olivia) == first
    assert do_claim_next_comment(actor=oscar) == second
    assert do_claim_next_comment(actor=make_user("otto", "officer")) is None


def test_taking_the_next_item_releases_the_one_held_before(olivia) -> None:
    first, second = open_item(severity=5), open_item(severity=4)
    do_claim_next_comment(actor=olivia)
    assert do_claim_next_comment(actor=olivia, skip_ids=[first.pk]) == second
    first.refresh_from_db()
    assert first.claimed_by is None
    assert list(Comment.objects.filter(claimed_by=olivia)) == [second]


def test_a_lapsed_claim_frees_the_item_for_someone_else(olivia, oscar, settings) -> None:
    item = open_item()
    do_claim_next_comment(actor=olivia)
    Comment.objects.filter(pk=item.pk).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert do_claim_next_comment(actor=oscar) == item


def test_claims_last_as_long_as_the_setting_says(olivia, settings) -> None:
    settings.CLAIM_MINUTES = 25
    open_item()
    claimed = do_claim_next_comment(actor=olivia)
    assert claimed is not None and claimed.claimed_until is not None
    remaining = claimed.claimed_until - timezone.now()
    assert dt.timedelta(minutes=24) < remaining <= dt.timedelta(minutes=25)


def test_done_and_clean_comments_are_never_handed_out(olivia) -> None:
    open_item(status=Comment.Status.DONE)
    open_item(status=Comment.Status.CLEAN)
    assert do_claim_next_comment(actor=olivia) is None


def test_claiming_and_releasing_are_audited(olivia) -> None:
    item = open_item()
    do_claim_next_comment(actor=olivia)
    do_release_comment(item, actor=olivia)
    events = list(
        AuditEvent.objects.filter(target_id=str(item.pk)).values_list("event_type", flat=True)
    )
    assert events == ["moderation.comment.released", "moderation.comment.claimed"]


def test_another_officer_cannot_claim_act_on_or_release_a_held_item(olivia, oscar) -> None:
    item = do_claim_comment(open_item(), actor=olivia)
    with pytest.raises(ActionRefused, match="Olivia Okafor is working on this item"):
        do_claim_comment(item, actor=oscar)
    with pytest.raises(ActionRefused, match="Olivia Okafor is working on this item"):
        refuse_if_claimed_by_other(Comment.objects.get(pk=item.pk), oscar)
    with pytest.raises(ActionRefused, match="only they or a manager"):
        do_release_comment(item, actor=oscar)


def test_a_manager_can_release_an_item_someone_left_claimed(olivia, maya) -> None:
    item = do_claim_comment(open_item(), actor=olivia)
    do_release_comment(item, actor=maya)
    item.refresh_from_db()
    assert item.claimed_by is None


def test_next_stays_inside_the_officers_filters(olivia) -> None:
    open_item(severity=5, platform="youtube")
    wanted = open_item(severity=2, platform="facebook")
    assert do_claim_next_comment(actor=olivia, scope=Q(channel__platform="facebook")) == wanted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_truncatable")
def test_twenty_officers_claiming_at_once_never_get_the_same_item() -> None:
    officers = [make_user(f"officer{n}", "officer") for n in range(20)]
    channel = Channel.objects.create(platform="facebook", account_id="load", name="Load test page")
    author = Author.objects.create(platform="facebook", platform_id="crowd", handle="crowd")
    now = timezone.now()
    Comment.objects.bulk_create(
        [
            Comment(
                channel=channel,
                author=author,
                platform_id=f"load-{n}",
                text=f"comment {n}",
                created_at=now,
                received_at=now,
                status=Comment.Status.REVIEW,
                priority=(n * 7919) % 100,
                due_at=now + dt.timedelta(minutes=n % 240),
            )
            for n in range(10_000)
        ],
        batch_size=2_000,
    )
    handed_out: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(officers))
    errors: list[BaseException] = []

    def work(officer) -> None:
        try:
            start.wait()
            for _ in range(15):
                claimed = do_claim_next_comment(actor=officer)
                if claimed is None:
                    break
                with lock:
                    handed_out.append(claimed.pk)
                # Finish the item (as an action would) so that the next claim is a fresh one.
                Comment.objects.filter(pk=claimed.pk).update(
                    status=Comment.Status.DONE, claimed_by=None, claimed_until=None
                )
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert connection.vendor == "postgresql"
    assert len(handed_out) == 20 * 15
    duplicates = [pk for pk, times in Counter(handed_out).items() if times > 1]
    assert duplicates == []
    claimed_events = AuditEvent.objects.filter(event_type="moderation.comment.claimed").count()
    assert claimed_events == len(handed_out)
