"""Retention: comment text and personal data past the period are erased on schedule, the facts
stay, the audit log is never touched (and never held the text), and its chain still verifies."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from accounts.audit import SystemActor, verify_chain
from accounts.models import AuditEvent
from moderation.actions.comments import do_add_note, do_hide_comment, do_reply_to_comment
from moderation.actions.erasure import strip_quoted
from moderation.actions.organisation import do_set_retention_days
from moderation.actions.retention import do_apply_retention
from moderation.models import Author, Comment, Escalation, Flag, ModerationAction, Note
from tests.factories import ChannelFactory
from tests.moderation.configuration.factories_configuration import (
    escalate,
    flag_on,
    note_on,
    old_comment,
    reply_to,
)

RETENTION = SystemActor.system("retention schedule")

pytestmark = pytest.mark.django_db

OLD_TEXT = "Councillor Bloggs is a total numpty, call me on 07700 900123"


def test_text_and_personal_data_past_the_period_are_erased() -> None:
    channel = ChannelFactory()
    comment = old_comment(channel, OLD_TEXT, days_ago=800)
    flag = flag_on(comment, "numpty")
    note = note_on(comment, "Called him back about the numpty remark")
    reply = reply_to(comment, "Thanks A Person, please DM us")

    counts = do_apply_retention(actor=RETENTION)

    comment.refresh_from_db()
    assert (comment.text, comment.raw, comment.permalink) == ("", {}, "")
    assert comment.redacted_at is not None
    assert comment.status == Comment.Status.NEW  # the facts stay
    assert "numpty" not in Flag.objects.get(pk=flag.pk).explanation
    assert Flag.objects.get(pk=flag.pk).spans == flag.spans
    assert Note.objects.get(pk=note.pk).text == "[erased]"
    assert ModerationAction.objects.get(pk=reply.pk).text == ""
    assert Author.objects.get(pk=comment.author_id).handle == "[erased]"
    assert (counts.comments, counts.flags, counts.notes, counts.replies, counts.authors) == (
        1,
        1,
        1,
        1,
        1,
    )


def test_recent_comments_and_their_authors_are_kept() -> None:
    channel = ChannelFactory()
    old = old_comment(channel, "An old grumble", days_ago=800)
    recent = old_comment(channel, "A new grumble", days_ago=3, author=old.author)

    do_apply_retention(actor=RETENTION)

    assert Comment.objects.get(pk=recent.pk).text == "A new grumble"
    assert Comment.objects.get(pk=old.pk).text == ""
    assert Author.objects.get(pk=old.author_id).handle != "[erased]"


def test_a_comment_with_an_open_escalation_is_kept_until_it_closes() -> None:
    channel = ChannelFactory()
    waiting = old_comment(channel, "FOI request: please send the bin contract", days_ago=800)
    escalate(waiting, "foi", open_=True)

    do_apply_retention(actor=RETENTION)

    assert Comment.objects.get(pk=waiting.pk).text.startswith("FOI request")
    Escalation.objects.filter(comment=waiting).update(state=Escalation.State.CLOSED)
    do_apply_retention(actor=RETENTION)
    assert Comment.objects.get(pk=waiting.pk).text == ""
    assert "FOI request" not in Escalation.objects.get(comment=waiting).note


def test_the_audit_chain_verifies_and_never_held_the_erased_text(olivia) -> None:
    channel = ChannelFactory()
    comment = old_comment(channel, OLD_TEXT, days_ago=800)
    flag_on(comment, "numpty")
    do_hide_comment(comment, actor=olivia)
    do_reply_to_comment(comment, "We have removed this comment.", actor=olivia)
    do_add_note(comment=comment, text="Reported to the councillor's office", actor=olivia)
    events_before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))

    do_apply_retention(actor=SystemActor.system("retention schedule"))

    assert verify_chain().ok
    assert list(AuditEvent.objects.order_by("id").values_list("id", "hash"))[:-1] == events_before
    logged = json.dumps(
        [[e.target_repr, e.before, e.after, e.data] for e in AuditEvent.objects.all()],
        ensure_ascii=False,
    )
    assert "numpty" not in logged
    assert "07700" not in logged


def test_one_run_is_one_audit_event_with_the_counts() -> None:
    channel = ChannelFactory()
    for n in range(3):
        old_comment(channel, f"Old comment {n}", days_ago=1000)

    do_apply_retention(actor=RETENTION)
    again = do_apply_retention(actor=RETENTION)

    event = AuditEvent.objects.get(event_type="moderation.retention.applied")
    assert event.data["comments"] == 3
    assert event.data["retention_days"] == 730
    assert again.comments == 0


def test_the_command_erases_in_batches_until_nothing_is_due(capsys) -> None:
    channel = ChannelFactory()
    for n in range(5):
        old_comment(channel, f"Old comment {n}", days_ago=1000)
    do_set_retention_days(365, actor=SystemActor.system("test"))

    call_command("apply_retention", "--dry-run")
    assert "5 comments are older than 365 days" in capsys.readouterr().out
    call_command("apply_retention")

    assert "Erased 5 comments" in capsys.readouterr().out
    assert not Comment.objects.exclude(text="").exists()


def test_quoted_words_are_stripped_from_explanations_whatever_the_quotes() -> None:
    assert (
        strip_quoted('Swearing: "f*ck" (profanity list)') == 'Swearing: "[erased]" (profanity list)'
    )
    assert strip_quoted("Threat: “I know where you live”") == 'Threat: "[erased]"'
    assert strip_quoted("Don't say 'numpty' here") == 'Don\'t say "[erased]" here'
    assert strip_quoted("Phone number 07700 900123 found", ["07700 900123"]) == (
        "Phone number [erased] found"
    )
