"""Every change of state in moderation, one audited function each (split by domain)."""

from moderation.actions.claims import (
    do_claim_comment,
    do_claim_next_comment,
    do_release_comment,
)
from moderation.actions.comments import (
    ActionRefused,
    do_add_note,
    do_approve_comment,
    do_block_author,
    do_close_escalation,
    do_detach_quote,
    do_escalate_comment,
    do_hide_comment,
    do_ignore_comment,
    do_mute_author,
    do_reject_comment,
    do_remove_comment,
    do_reply_to_comment,
    do_report_comment,
    do_reveal_personal_data,
    do_unhide_comment,
)
from moderation.actions.evaluation import do_apply_verdicts
from moderation.actions.ingest import (
    do_record_poll_failure,
    do_record_poll_success,
    do_store_comments,
)
from moderation.actions.outbox import (
    do_record_action_failure,
    do_record_action_success,
    do_retry_action,
)
from moderation.actions.undo import do_cancel_action, do_reopen_comment, do_undo_comment_action

__all__ = [
    "ActionRefused",
    "do_add_note",
    "do_apply_verdicts",
    "do_approve_comment",
    "do_block_author",
    "do_cancel_action",
    "do_claim_comment",
    "do_claim_next_comment",
    "do_close_escalation",
    "do_detach_quote",
    "do_escalate_comment",
    "do_hide_comment",
    "do_ignore_comment",
    "do_mute_author",
    "do_record_action_failure",
    "do_record_action_success",
    "do_record_poll_failure",
    "do_record_poll_success",
    "do_reject_comment",
    "do_release_comment",
    "do_remove_comment",
    "do_reopen_comment",
    "do_reply_to_comment",
    "do_report_comment",
    "do_retry_action",
    "do_reveal_personal_data",
    "do_store_comments",
    "do_undo_comment_action",
    "do_unhide_comment",
]
