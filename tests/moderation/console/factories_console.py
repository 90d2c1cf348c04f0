"""Test data for the console: flags with spans, open items, escalations, outbox rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from moderation.models import Comment, Escalation, EscalationRoute, ModerationAction
from tests.factories import ChannelFactory, CommentFactory, FlagFactory


def open_item(
    text: str = "Which day is the brown bin collected now?",
    *,
    category: str = "abuse",
    spans: Sequence[tuple[int, int]] = (),
    severity: int = 3,
    status: str = Comment.Status.REVIEW,
    platform: str = "facebook",
    due_in: dt.timedelta | None = dt.timedelta(hours=2),
    **fields: object,
) -> Comment:
    """A flagged comment waiting in the queue, with one flag over ``spans``."""
    if "channel" not in fields:
        fields["channel"] = ChannelFactory(platform=platform)
    comment = CommentFactory(
        text=text,
        status=status,
        priority=severity * 20,
        categories=[category],
        due_at=timezone.now() + due_in if due_in is not None else None,
        **fields,
    )
    FlagFactory(
        comment=comment,
        category=category,
        severity=severity,
        spans=[list(s) for s in spans],
        rule_name=f"{category} rule",
        outcome="hold" if status == Comment.Status.HELD else "review",
    )
    return comment


def escalation_for(
    comment: Comment, route_key: str = "foi", *, deadline_in: dt.timedelta = dt.timedelta(days=5)
) -> Escalation:
    return Escalation.objects.create(
        comment=comment,
        route=EscalationRoute.objects.get(key=route_key),
        deadline_at=timezone.now() + deadline_in,
        created_by_label="test",
        created_at=timezone.now(),
    )


def outbox_row(
    comment: Comment, kind: str = "hide", state: str = "pending", **fields: object
) -> ModerationAction:
    return ModerationAction.objects.create(
        channel=comment.channel,
        comment=comment,
        author=comment.author,
        kind=kind,
        state=state,
        actor_label="test",
        requested_at=timezone.now(),
        **fields,
    )
