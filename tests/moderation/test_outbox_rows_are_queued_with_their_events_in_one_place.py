"""Outbox rows and their ``moderation.action.queued`` events are written by one function
(``queue_platform_actions``), for an officer's action and the rules' automatic hides alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions.comments import do_hide_comment
from moderation.actions.outbox import PlatformRequest, queue_platform_actions
from moderation.models import ModerationAction
from tests.moderation.console.factories_console import open_item

ROOT = Path(__file__).resolve().parents[2]


def test_only_the_outbox_actions_write_the_queued_event() -> None:
    writers = sorted(
        str(path.relative_to(ROOT))
        for app in ("accounts", "moderation", "rules", "smpolicy")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and '"moderation.action.queued"' in path.read_text(encoding="utf-8")
    )
    assert writers == ["moderation/actions/outbox.py"]


@pytest.mark.django_db
def test_an_officers_hide_and_a_rules_hides_leave_the_same_row_and_event(
    olivia, django_capture_on_commit_callbacks
) -> None:
    rule = SystemActor.rule("rule abuse.profanity v1 (Swearing)")
    by_hand, by_rule = open_item(), open_item()
    with django_capture_on_commit_callbacks(execute=False):
        do_hide_comment(by_hand, actor=olivia)
        with transaction.atomic():
            queue_platform_actions([PlatformRequest(by_rule, "hide", rule)])

    rows = {row.comment_id: row for row in ModerationAction.objects.all()}
    for comment, label in ((by_hand, olivia.label), (by_rule, rule.label)):
        row = rows[comment.pk]
        assert (row.kind, row.state, row.actor_label) == ("hide", "pending", label)
        event = AuditEvent.objects.get(event_type="moderation.action.queued", target_id=row.pk)
        assert event.after == {"kind": "hide", "state": "pending", "comment_id": comment.pk}
        assert event.actor_label == label
