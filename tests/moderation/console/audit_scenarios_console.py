"""Audit scenarios for the console's assignment, tag and reply-approval actions.

For ``tests/test_every_action_records_an_audit_event.py``: ``SCENARIOS.update(CONSOLE_SCENARIOS)``.
Each scenario runs one action and returns the event type it must have recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from accounts.models import User
from moderation.actions import approval, assignment, tags
from moderation.models import Comment, ModerationAction, Tag
from tests.factories import ChannelFactory, CommentFactory, make_user

Scenario = Callable[[], str]


def _person(role: str = "officer") -> User:
    return make_user(f"{role}-{timezone.now().timestamp()}", role, "Test Person")


def _open_comment() -> Comment:
    return CommentFactory(channel=ChannelFactory(platform="facebook"), status="review")


def _tag() -> Tag:
    return Tag.objects.create(key=f"t{timezone.now().timestamp():.0f}", name="Roadworks")


def _awaiting_reply() -> ModerationAction:
    comment = CommentFactory(channel=ChannelFactory(platform="facebook"), status="done")
    return ModerationAction.objects.create(
        channel=comment.channel,
        comment=comment,
        author=comment.author,
        kind="reply",
        text="Thanks",
        state="awaiting",
        actor=_person(),
        actor_label="Test Person",
        requested_at=timezone.now(),
    )


def _tagged() -> tuple[Comment, Tag, User]:
    comment, tag, person = _open_comment(), _tag(), _person()
    tags.do_tag_comment(comment, tag, actor=person)
    return comment, tag, person


def _untag() -> str:
    comment, tag, person = _tagged()
    tags.do_untag_comment(comment, tag, actor=person)
    return "moderation.comment.untagged"


CONSOLE_SCENARIOS: dict[str, Scenario] = {
    "moderation.actions.assignment.do_assign_comment": lambda: (
        assignment.do_assign_comment(_open_comment(), _person(), actor=_person()),
        "moderation.comment.assigned",
    )[1],
    "moderation.actions.tags.do_create_tag": lambda: (
        tags.do_create_tag("roadworks", {"name": "Roadworks"}, actor=_person("admin")),
        "moderation.tag.created",
    )[1],
    "moderation.actions.tags.do_update_tag": lambda: (
        tags.do_update_tag(_tag(), {"active": False}, actor=_person("admin")),
        "moderation.tag.updated",
    )[1],
    "moderation.actions.tags.do_tag_comment": lambda: (
        tags.do_tag_comment(_open_comment(), _tag(), actor=_person()),
        "moderation.comment.tagged",
    )[1],
    "moderation.actions.tags.do_untag_comment": _untag,
    "moderation.actions.approval.do_set_reply_approval": lambda: (
        approval.do_set_reply_approval(
            [ChannelFactory().pk], ["complaint"], actor=_person("admin")
        ),
        "moderation.reply_approval.changed",
    )[1],
    "moderation.actions.approval.do_approve_reply": lambda: (
        approval.do_approve_reply(_awaiting_reply(), actor=_person("manager")),
        "moderation.reply.approved",
    )[1],
    "moderation.actions.approval.do_reject_reply": lambda: (
        approval.do_reject_reply(_awaiting_reply(), actor=_person("manager"), reason="No dates"),
        "moderation.reply.rejected",
    )[1],
}
