"""Item 15: a legal hold on a comment or an author keeps it from retention and from erasure on
request; placing and lifting are audited with their reasons; it is shown on the item."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions.comments import ActionRefused
from moderation.actions.erasure_on_request import do_erase_author_data
from moderation.actions.evidence import do_lift_legal_hold, do_place_legal_hold
from moderation.actions.retention import do_apply_retention
from moderation.models import Comment
from tests.factories import AuthorFactory, CommentFactory

RETENTION = SystemActor.system("retention schedule")

pytestmark = pytest.mark.django_db
OLD = timezone.now() - dt.timedelta(days=3000)


def test_retention_skips_a_comment_on_hold_and_erases_it_once_lifted(
    olivia: Any, maya: Any
) -> None:
    held = CommentFactory(text="threat kept for the police", received_at=OLD)
    other = CommentFactory(text="old and unremarkable", received_at=OLD)
    hold = do_place_legal_hold(actor=olivia, reason="Police ref 123/24", comment=held)

    do_apply_retention(actor=RETENTION)

    held.refresh_from_db()
    other.refresh_from_db()
    assert held.text == "threat kept for the police" and held.redacted_at is None
    assert other.text == "" and other.redacted_at is not None

    do_lift_legal_hold(hold, actor=maya, reason="Case closed")
    do_apply_retention(actor=RETENTION)
    held.refresh_from_db()
    assert held.text == ""


def test_a_hold_on_the_author_keeps_all_their_comments(olivia: Any) -> None:
    author = AuthorFactory()
    comments = [CommentFactory(author=author, received_at=OLD) for _ in range(3)]
    do_place_legal_hold(actor=olivia, reason="Harassment claim", author=author)

    do_apply_retention(actor=RETENTION)

    assert (
        Comment.objects.filter(pk__in=[c.pk for c in comments], redacted_at__isnull=True).count()
        == 3
    )


def test_erasure_on_request_keeps_held_comments_and_refuses_a_held_person(olivia: Any) -> None:
    author = AuthorFactory(handle="resident9")
    kept = CommentFactory(author=author, text="evidence")
    gone = CommentFactory(author=author, text="ordinary")
    do_place_legal_hold(actor=olivia, reason="Complaint 88", comment=kept)

    counts = do_erase_author_data(author, actor=olivia, requested_by="the author", reason="asked")

    kept.refresh_from_db()
    gone.refresh_from_db()
    author.refresh_from_db()
    assert (kept.text, gone.text, counts.comments) == ("evidence", "", 1)
    assert author.handle == "resident9", "the name stays while a held comment keeps it"
    event = AuditEvent.objects.get(event_type="moderation.author.erased_on_request")
    assert event.data["kept_on_legal_hold"] == 1

    do_place_legal_hold(actor=olivia, reason="Police ref", author=author)
    with pytest.raises(ValueError, match="legal hold"):
        do_erase_author_data(author, actor=olivia, requested_by="the author", reason="asked")


def test_placing_and_lifting_are_audited_and_lifting_needs_a_manager(
    olivia: Any, maya: Any
) -> None:
    comment = CommentFactory()
    hold = do_place_legal_hold(actor=olivia, reason="Police ref 9", comment=comment)
    with pytest.raises(ActionRefused, match="manager"):
        do_lift_legal_hold(hold, actor=olivia, reason="done")
    with pytest.raises(ActionRefused, match="already"):
        do_place_legal_hold(actor=olivia, reason="again", comment=comment)

    do_lift_legal_hold(hold, actor=maya, reason="Case closed")

    placed = AuditEvent.objects.get(event_type="moderation.legal_hold.placed")
    lifted = AuditEvent.objects.get(event_type="moderation.legal_hold.lifted")
    assert placed.data["reason"] == "Police ref 9"
    assert lifted.data["reason"] == "Case closed" and lifted.actor_label == maya.label


def test_the_hold_is_shown_on_the_item(officer_client: Any, olivia: Any) -> None:
    comment = CommentFactory()
    officer_client.post(
        f"/queue/{comment.pk}/legal-hold/", {"reason": "Police ref <b>77</b>", "about": "comment"}
    )

    page = officer_client.get(f"/queue/{comment.pk}/").content.decode()

    assert "On legal hold" in page
    assert "Police ref &lt;b&gt;77&lt;/b&gt;" in page
    assert "Lift the hold" not in page, "officers cannot lift holds"
