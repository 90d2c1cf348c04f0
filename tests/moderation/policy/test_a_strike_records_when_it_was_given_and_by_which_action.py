"""Repeat offenders: each strike is dated and names the action that gave it (an officer's hide,
removal or rejection, or a rule's auto-hide), so a manager sees when; undoing the action or
upholding an appeal marks that strike taken back, and the author page lists them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from accounts.audit import SystemActor
from moderation.actions import do_hide_comment, do_remove_comment
from moderation.actions.appeals import do_decide_appeal, do_record_appeal
from moderation.actions.evaluation import Verdict, do_apply_verdicts
from moderation.actions.undo import do_undo_comment_action
from moderation.models import Author, Strike
from rules.engine import Match
from tests.factories import AuthorFactory, CommentFactory
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 30, 10, 15, tzinfo=dt.UTC)


def test_an_officers_hide_gives_a_strike_dated_and_naming_the_hide(olivia: Any) -> None:
    comment = open_item("you absolute pillock", category="abuse")
    with time_machine.travel(MONDAY, tick=False):
        action = do_hide_comment(comment, actor=olivia)

    strike = Strike.objects.get(author=comment.author)
    assert (strike.given_at, strike.verb, strike.action_id, strike.comment_id) == (
        MONDAY,
        "hide",
        action.pk,
        comment.pk,
    )
    assert strike.given_by_label == olivia.label
    assert Author.objects.get(pk=comment.author_id).strikes == 1


def test_a_rules_auto_hide_gives_a_strike_naming_the_rule_and_its_hide(maya: Any) -> None:
    comment = CommentFactory(status="new")
    rule = Match("abuse.slurs", "abuse", None, 1, "Slurs", 4, "auto_hide", "", (), "slur")
    with time_machine.travel(MONDAY, tick=False):
        do_apply_verdicts(
            [Verdict(comment.pk, [(1, rule)])], actor=SystemActor.system("rules engine")
        )

    strike = Strike.objects.get(author=comment.author)
    assert (strike.given_at, strike.verb) == (MONDAY, "auto_hide")
    assert strike.action is not None and strike.action.kind == "hide"
    assert "abuse.slurs" in strike.given_by_label


def test_undoing_the_hide_marks_its_strike_taken_back(olivia: Any) -> None:
    comment = open_item("rude", category="abuse")
    do_hide_comment(comment, actor=olivia)
    do_undo_comment_action(comment, "hide", actor=olivia)

    strike = Strike.objects.get(author=comment.author)
    assert strike.taken_back_at is not None
    assert "hide undone" in strike.taken_back_because
    assert Author.objects.get(pk=comment.author_id).strikes == 0


def test_an_upheld_appeal_marks_the_strike_taken_back(olivia: Any, maya: Any) -> None:
    comment = open_item("rude", category="abuse")
    do_remove_comment(comment, actor=olivia)
    appeal = do_record_appeal(comment, actor=olivia, received_via="email", summary="a quote")
    do_decide_appeal(appeal, actor=maya, uphold=True)

    strike = Strike.objects.get(author=comment.author)
    assert strike.verb == "remove" and "appeal upheld" in strike.taken_back_because


def test_the_author_page_lists_each_strike_with_its_date_and_any_undated_ones(
    officer_client: Any, olivia: Any
) -> None:
    author = AuthorFactory(strikes=2)  # two given before strikes were dated
    comment = open_item("rude", category="abuse", author=author)
    with time_machine.travel(MONDAY, tick=False):
        do_hide_comment(comment, actor=olivia)
    officer_client.post(f"/authors/{author.pk}/", {"purpose": "Deciding whether to block"})

    page = officer_client.get(f"/authors/{author.pk}/").content.decode()

    assert "Mon 30 Nov 2026" in page and f"Hidden by <bdi>{olivia.label}</bdi>" in page
    assert "2 strikes given before strikes were dated." in page
    item_page = officer_client.get(f"/queue/{comment.pk}/").content.decode()
    assert "the last on" in item_page and "30 Nov 2026" in item_page
