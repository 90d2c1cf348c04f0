"""Outbox rows of kind "delete" become "remove", the word officers see; audit events recorded
before keep the kind they recorded, and the chain still verifies."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.audit import SystemActor, record, verify_chain
from accounts.models import AuditEvent
from moderation.models import ModerationAction
from tests.factories import ChannelFactory, CommentFactory

MIGRATION = importlib.import_module("moderation.migrations.0016_removal_is_called_remove")


def _row(kind: str) -> ModerationAction:
    comment = CommentFactory(channel=ChannelFactory(platform="facebook"))
    return ModerationAction.objects.create(
        channel=comment.channel,
        comment=comment,
        author=comment.author,
        kind=kind,
        actor_label="Olivia",
        requested_at=timezone.now(),
    )


@pytest.mark.django_db
def test_removals_are_called_remove_and_the_old_events_stay_as_written() -> None:
    removal, hide = _row("delete"), _row("hide")
    with transaction.atomic():
        event = record(
            "moderation.action.queued",
            actor=SystemActor.system("test"),
            target=removal,
            after={"kind": "delete", "state": "pending", "comment_id": removal.comment_id},
        )

    MIGRATION.to_remove(apps, None)

    removal.refresh_from_db()
    hide.refresh_from_db()
    assert (removal.kind, hide.kind) == ("remove", "hide")
    assert removal.get_kind_display() == "Remove"
    recorded = AuditEvent.objects.get(pk=event.pk).after
    assert recorded is not None and recorded["kind"] == "delete"
    assert verify_chain().ok


@pytest.mark.django_db
def test_going_back_restores_delete() -> None:
    removal = _row("remove")

    MIGRATION.to_delete(apps, None)

    removal.refresh_from_db()
    assert removal.kind == "delete"
