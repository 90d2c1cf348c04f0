"""Crisis mode, end to end: one switch (per channel or for all), every newly flagged comment is
held, a banner on every page, and both switches in the audit log."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions.organisation import do_set_crisis_mode
from moderation.jobs import evaluate_comments
from moderation.models import Channel, Comment, Organisation
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import bananas_ruleset

pytestmark = pytest.mark.django_db


def _evaluated(channel: Channel, text: str) -> Comment:
    comment = CommentFactory(channel=channel, text=text)
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    return comment


def test_a_flagged_comment_is_only_queued_for_review_outside_a_crisis() -> None:
    channel = ChannelFactory(ruleset=bananas_ruleset("review"))
    assert _evaluated(channel, "I like bananas").status == Comment.Status.REVIEW


def test_switching_crisis_mode_on_for_a_channel_holds_its_next_flagged_comment(adam) -> None:
    channel = ChannelFactory(ruleset=bananas_ruleset("review"))
    quiet = ChannelFactory(ruleset=channel.ruleset)
    client = signed_in(Client(), adam)

    response = client.post("/settings/crisis/", {"scope": str(channel.pk), "on": "1"})

    assert response.status_code == 302
    held = _evaluated(channel, "More bananas, please")
    assert held.status == Comment.Status.HELD
    assert held.actions.filter(kind="hide").exists()
    assert _evaluated(quiet, "bananas elsewhere").status == Comment.Status.REVIEW
    assert _evaluated(channel, "Thank you").status == Comment.Status.CLEAN
    event = AuditEvent.objects.get(event_type="moderation.crisis_mode.switched_on")
    assert event.actor == adam
    assert event.channel_id == channel.pk
    assert event.before is not None and event.after is not None
    assert event.before["crisis_mode"] is False and event.after["crisis_mode"] is True


def test_crisis_mode_for_every_channel_shows_a_banner_on_every_page(adam, olivia) -> None:
    signed_in(Client(), adam).post("/settings/crisis/", {"scope": "all", "on": "1"})

    assert Organisation.current().crisis_mode
    page = signed_in(Client(), olivia).get("/queue/")
    assert b"Crisis mode is on" in page.content
    assert b"for every channel" in page.content


def test_switching_crisis_mode_off_is_audited_and_removes_the_banner(adam) -> None:
    channel = ChannelFactory()
    do_set_crisis_mode(channel, True, actor=adam)
    client = signed_in(Client(), adam)

    client.post("/settings/crisis/", {"scope": str(channel.pk), "on": "0"})

    assert not Channel.objects.get(pk=channel.pk).crisis_mode
    assert b"Crisis mode is on" not in client.get("/settings/").content
    assert AuditEvent.objects.filter(event_type="moderation.crisis_mode.switched_off").count() == 1


def test_switching_to_the_position_it_is_already_in_records_nothing() -> None:
    actor = SystemActor.system("test")
    assert do_set_crisis_mode(None, True, actor=actor) is True
    assert do_set_crisis_mode(None, True, actor=actor) is False
    assert AuditEvent.objects.filter(event_type__startswith="moderation.crisis_mode.").count() == 1
