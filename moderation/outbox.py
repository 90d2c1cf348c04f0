"""The worker's side of the outbox of platform actions (its rows' changes: ``actions.outbox``).

A job (``moderation.jobs.send_actions``) sends rows one at a time: claimed, sent to the platform
outside any transaction, and the answer recorded. The scheduler finds rows whose time has come
(``due_action_ids``) and rows abandoned by a dead worker, and enqueues them again.
"""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from accounts.audit import SystemActor
from moderation.actions.outbox import (
    NOT_REPEATABLE,
    STALE_SENDING,
    connector_actor,
    do_claim_action,
    do_record_action_failure,
    do_record_action_success,
)
from moderation.channel_connector import connector_for
from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import ConnectorError
from moderation.models import ModerationAction

log = logging.getLogger(__name__)

WORKER = SystemActor.system("outbox worker")


def perform_action(action_id: int) -> str:
    """Send one outbox row to its platform. Returns the row's resulting state ("skipped" when
    another worker has it or it is finished).

    It writes nothing itself: the claim and the answer are recorded by their actions."""
    action = do_claim_action(action_id, actor=WORKER)
    if action is None:
        return "skipped"
    actor = connector_actor(action.channel)
    comment = action.comment
    target = ActionTarget(
        comment_platform_id=comment.platform_id if comment else "",
        author_platform_id=action.author.platform_id if action.author else "",
        post_platform_id=comment.post.platform_id if comment and comment.post else "",
        text=action.text,
        parent_platform_id=comment.parent_platform_id if comment else "",
        private=comment.private if comment else False,
    )
    try:
        result = connector_for(action.channel).perform(action.kind, target)
    except ConnectorError as error:
        return do_record_action_failure(action, error, actor=actor)
    except Exception as error:  # a bug or an unreadable answer must not leave the row stuck
        log.exception("Action %s crashed", action_id)
        wrapped = ConnectorError(
            f"Unexpected error: {type(error).__name__}: {error}",
            # The request may have gone out before the crash: a reply must not go twice.
            outcome_unknown=action.kind in NOT_REPEATABLE,
        )
        wrapped.permanent = False
        return do_record_action_failure(action, wrapped, actor=actor)
    do_record_action_success(
        action, dict(result.platform_response), result.platform_id, actor=actor
    )
    return ModerationAction.State.SUCCEEDED


def due_action_ids(limit: int = 500) -> list[int]:
    """Pending rows whose time has come, and sending rows abandoned by a dead worker."""
    now = timezone.now()
    return list(
        ModerationAction.objects.filter(
            Q(state=ModerationAction.State.PENDING, next_attempt_at__lte=now)
            | Q(state=ModerationAction.State.SENDING, next_attempt_at__lt=now - STALE_SENDING)
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
