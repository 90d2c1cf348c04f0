"""Comments escalated before due times followed escalations get their escalation's deadline."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from moderation.models import Comment
from tests.factories import CommentFactory
from tests.moderation.reports.factories_reports import EscalationFactory, london, route

MIGRATION = importlib.import_module(
    "moderation.migrations.0011_escalated_comments_are_due_with_their_escalations"
)


@pytest.mark.django_db
def test_escalated_comments_take_their_earliest_open_deadline() -> None:
    first_action_due = london(2025, 8, 4, 13)
    routed = CommentFactory(status=Comment.Status.ESCALATED, due_at=first_action_due)
    EscalationFactory(comment=routed, route=route("foi"), deadline_at=london(2025, 9, 1))
    EscalationFactory(comment=routed, route=route("legal"), deadline_at=london(2025, 8, 11))
    EscalationFactory(
        comment=routed,
        route=route("manager"),
        deadline_at=london(2025, 8, 5),
        state="closed",
        closed_at=london(2025, 8, 4, 15),
    )
    reviewed = CommentFactory(status=Comment.Status.REVIEW, due_at=first_action_due)
    stray = CommentFactory(status=Comment.Status.ESCALATED, due_at=first_action_due)

    MIGRATION.due_with_escalations(apps, None)

    for comment in (routed, reviewed, stray):
        comment.refresh_from_db()
    assert routed.due_at == london(2025, 8, 11)
    assert reviewed.due_at == stray.due_at == first_action_due
