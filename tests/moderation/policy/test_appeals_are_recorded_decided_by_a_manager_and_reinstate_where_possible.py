"""Item 16: an author's appeal is recorded by an officer and decided by a manager; upholding it
unhides a hidden comment (through the outbox), or records that a removal cannot be undone; every
step is audited and counted in the reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.actions import do_hide_comment, do_remove_comment
from moderation.actions.appeals import do_decide_appeal, do_record_appeal
from moderation.actions.comments import ActionRefused
from moderation.models import Appeal
from moderation.reports.appeals import appeal_counts
from moderation.reports.period import ReportPeriod
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def test_an_upheld_appeal_unhides_a_hidden_comment_and_takes_back_the_strike(
    olivia: Any, maya: Any
) -> None:
    comment = open_item("borderline words", category="abuse")
    do_hide_comment(comment, actor=olivia)
    comment.author.refresh_from_db()
    assert comment.author.strikes == 1
    appeal = do_record_appeal(
        comment, actor=olivia, received_via="email", summary="It was a quote from the agenda."
    )

    decided = do_decide_appeal(appeal, actor=maya, uphold=True, note="Fair point.")

    assert decided.state == Appeal.State.REINSTATED
    assert comment.actions.filter(kind="unhide", state="pending").count() == 1
    comment.author.refresh_from_db()
    assert comment.author.strikes == 0
    assert not comment.flags.filter(reversed=False).exists()
    types = list(AuditEvent.objects.values_list("event_type", flat=True))
    assert "moderation.appeal.recorded" in types and "moderation.appeal.decided" in types


def test_an_upheld_appeal_on_a_removed_comment_says_it_cannot_be_restored(
    olivia: Any, maya: Any
) -> None:
    comment = open_item("rude", category="abuse")
    do_remove_comment(comment, actor=olivia)
    appeal = do_record_appeal(comment, actor=olivia, received_via="DM", summary="Sorry")

    decided = do_decide_appeal(appeal, actor=maya, uphold=True)

    assert decided.state == Appeal.State.UPHELD_NOT_RESTORABLE
    assert not comment.actions.filter(kind__in=["unhide", "approve"]).exists()


def test_only_a_manager_decides(olivia: Any) -> None:
    comment = open_item("rude", category="abuse")
    appeal = do_record_appeal(comment, actor=olivia, received_via="email", summary="Unfair")
    with pytest.raises(ActionRefused, match="Only a manager"):
        do_decide_appeal(appeal, actor=olivia, uphold=False)


def test_the_officer_cannot_post_a_decision_and_the_manager_can(
    officer_client: Any, manager_client: Any, olivia: Any
) -> None:
    comment = open_item("rude", category="abuse")
    appeal = do_record_appeal(comment, actor=olivia, received_via="email", summary="Unfair")

    assert (
        officer_client.post(f"/appeals/{appeal.pk}/decide/", {"decision": "refuse"}).status_code
        == 403
    )
    manager_client.post(f"/appeals/{appeal.pk}/decide/", {"decision": "refuse", "note": "Stands"})

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REFUSED
    page = manager_client.get(f"/queue/{comment.pk}/").content.decode()
    assert "Refused: the decision stands" in page


def test_reports_count_appeals_by_outcome(olivia: Any, maya: Any) -> None:
    first = open_item("a", category="abuse")
    second = open_item("b", category="abuse")
    do_hide_comment(first, actor=olivia)
    do_decide_appeal(
        do_record_appeal(first, actor=olivia, received_via="email", summary="x"),
        actor=maya,
        uphold=True,
    )
    do_record_appeal(second, actor=olivia, received_via="email", summary="y")
    today = timezone.localdate()

    counts = appeal_counts(ReportPeriod(today - dt.timedelta(days=6), today))

    assert (counts.received, counts.open, counts.reinstated, counts.refused) == (2, 1, 1, 0)
