"""Test data for the admins' pages: flags, escalations, notes and replies on comments, history
for spike detection, and a tiny published rule set whose verdicts a test can predict."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from accounts.audit import SystemActor
from moderation.models import (
    Channel,
    Comment,
    Escalation,
    EscalationRoute,
    Flag,
    ModerationAction,
    Note,
)
from rules.actions import do_create_ruleset, do_publish_version, do_save_rule
from rules.models import RuleSet
from tests.factories import AuthorFactory, CommentFactory, FlagFactory

_history_ids = itertools.count(1)


def flag_on(comment: Comment, word: str, **fields: object) -> Flag:
    """A flag whose span covers ``word`` in the comment and whose explanation quotes it."""
    start = comment.text.index(word)
    return FlagFactory(
        comment=comment,
        spans=[[start, start + len(word)]],
        explanation=f'Insults: "{word}" (insult list)',
        **fields,
    )


def escalate(comment: Comment, route_key: str = "manager", *, open_: bool = True) -> Escalation:
    now = timezone.now()
    return Escalation.objects.create(
        comment=comment,
        route=EscalationRoute.objects.get(key=route_key),
        note=f'Opened automatically: Insults: "{comment.text[:20]}"',
        deadline_at=now + dt.timedelta(days=5),
        state=Escalation.State.OPEN if open_ else Escalation.State.CLOSED,
        created_by_label="rule abuse-insults v1",
        created_at=now,
    )


def note_on(comment: Comment, text: str) -> Note:
    return Note.objects.create(comment=comment, text=text, written_by_label="Olivia (olivia)")


def reply_to(comment: Comment, text: str) -> ModerationAction:
    return ModerationAction.objects.create(
        channel=comment.channel,
        comment=comment,
        author=comment.author,
        kind=ModerationAction.Kind.REPLY,
        text=text,
        state=ModerationAction.State.SUCCEEDED,
        actor_label="Olivia (olivia)",
        platform_response={"id": "r1", "message": text},
        requested_at=comment.received_at,
    )


def old_comment(channel: Channel, text: str, *, days_ago: int, author: object = None) -> Comment:
    moment = timezone.now() - dt.timedelta(days=days_ago)
    return CommentFactory(
        channel=channel,
        text=text,
        author=author or AuthorFactory(platform=channel.platform),
        created_at=moment,
        received_at=moment,
        raw={"from": {"name": "A Person"}, "message": text},
        permalink="https://facebook.example/c/1",
    )


def bananas_ruleset(outcome: str = "review") -> RuleSet:
    """A published rule set with one rule: the word "bananas", with the given outcome."""
    actor = SystemActor.system("test")
    ruleset, draft = do_create_ruleset(name=f"Bananas {outcome}", actor=actor)
    do_save_rule(
        draft,
        key="fruit-bananas",
        fields={
            "name": "Bananas",
            "category": "off_topic",
            "severity": 2,
            "outcome": outcome,
            "route": "",
            "kind": "words",
            "params": {"words": ["bananas"], "whole_word": True},
            "enabled": True,
            "explanation": "No fruit talk.",
        },
        actor=actor,
    )
    do_publish_version(draft, actor=actor, note="test rule set")
    return ruleset


def comments_at(channel: Channel, moments: list[dt.datetime]) -> None:
    """Comments written at these moments (spike history), created in one query."""
    author = AuthorFactory(platform=channel.platform)
    Comment.objects.bulk_create(
        Comment(
            channel=channel,
            author=author,
            platform_id=f"hist-{next(_history_ids)}",
            text="Thanks for the update",
            created_at=moment,
            received_at=moment,
            status=Comment.Status.CLEAN,
        )
        for moment in moments
    )


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    """Pages link CSS with {% static %}; the manifest storage (DEBUG off) needs collectstatic.

    Autouse: a test module that imports this fixture gets it for every test.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def rule_fields(
    name: str, kind: str, params: dict[str, object], **fields: object
) -> dict[str, object]:
    """A rule's fields for ``do_save_rule``: off topic, severity 2, for review, unless given."""
    return {
        "name": name,
        "category": "off_topic",
        "severity": 2,
        "outcome": "review",
        "route": "",
        "kind": kind,
        "params": params,
        "enabled": True,
        "explanation": f"{name}: off topic.",
        **fields,
    }


def channel_settings_form(channel: Channel, **changes: object) -> dict[str, object]:
    """The channel settings form as a browser posts it, with ``changes``."""
    data: dict[str, object] = {
        "name": channel.name,
        "nation": channel.nation,
        "hours_start": "09:00",
        "hours_end": "17:00",
        "hours_days": list(channel.hours_days),
        "response_target_minutes": str(channel.response_target_minutes),
        "poll_interval_seconds": str(channel.poll_interval_seconds),
        "backfill_days": str(channel.backfill_days),
        "enabled": "on",
    }
    data.update(changes)
    return data
