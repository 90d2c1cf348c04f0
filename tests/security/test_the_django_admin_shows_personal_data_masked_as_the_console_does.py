"""The Django admin shows a comment's personal data masked, as the console does before an audited
reveal: its list, its search results, the comment's page, its flags' explanations and the notes
and escalation notes about it.

The penetration test's attack: an admin opened `/django-admin/moderation/comment/<id>/change/`
(or searched the list for a phone number) and read the number in full, with no
`personal_data_revealed` event, although the console keeps it masked until a reveal on the record.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.jobs import evaluate_comments
from moderation.models import Comment, Escalation, EscalationRoute, Flag, Note
from tests.factories import CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
PHONE = "07700 900412"
TEXT = f"The man next door keeps blocking the lane, ring him on {PHONE} and tell him"


@pytest.fixture
def comment() -> Comment:
    comment = CommentFactory(text=TEXT)
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    assert comment.flags.filter(category="personal_data").exists()
    Note.objects.create(comment=comment, text=f"Said to call {PHONE}", written_by_label="Adam")
    route = EscalationRoute.objects.first() or EscalationRoute.objects.create(
        key="manager", name="Manager", email="m@example.org"
    )
    Escalation.objects.create(
        comment=comment,
        route=route,
        note=f"They gave {PHONE}",
        deadline_at=timezone.now(),
        created_at=timezone.now(),
    )
    return comment


def test_no_admin_page_shows_a_comments_personal_data_without_a_reveal(
    client: Client, adam, comment: Comment
) -> None:
    signed_in(client, adam)
    flag = Flag.objects.filter(comment=comment, category="personal_data").first()
    assert flag is not None
    note = Note.objects.get(comment=comment)
    escalation = Escalation.objects.filter(comment=comment).latest("id")
    pages = [
        "/django-admin/moderation/comment/",
        "/django-admin/moderation/comment/?q=07700",
        f"/django-admin/moderation/comment/{comment.pk}/change/",
        f"/django-admin/moderation/flag/{flag.pk}/change/",
        "/django-admin/moderation/note/",
        f"/django-admin/moderation/note/{note.pk}/change/",
        f"/django-admin/moderation/escalation/{escalation.pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert PHONE not in response.content.decode(), page
    comment_page = client.get(f"/django-admin/moderation/comment/{comment.pk}/change/")
    assert "personal data hidden" in comment_page.content.decode()
    assert not AuditEvent.objects.filter(
        event_type="moderation.comment.personal_data_revealed"
    ).exists()


def test_text_without_personal_data_is_shown_whole(client: Client, adam) -> None:
    plain = CommentFactory(text="The bins were not collected on Tuesday")
    evaluate_comments([plain.pk])
    signed_in(client, adam)
    page = client.get(f"/django-admin/moderation/comment/{plain.pk}/change/").content.decode()
    assert "The bins were not collected on Tuesday" in page
