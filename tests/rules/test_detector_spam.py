"""Spam: repeated and copied posts, floods, advertising, shortened links and link-heavy posts."""

from __future__ import annotations

from typing import Any

import pytest

from rules.engine import Context, RuleSetSpec, RuleSpec, compile_ruleset

SETTINGS = {"own_domains": ["exampleshire.gov.uk"]}


def found(text: str, context: Context | None = None, **params: Any) -> list[str]:
    rule = RuleSpec(
        key="spam.all",
        name="Spam",
        category="spam",
        severity=2,
        outcome="auto_hide",
        kind="detector",
        params={"detector": "spam", **params},
    )
    spec = RuleSetSpec("test", 1, (rule,), settings=SETTINGS)
    matches = compile_ruleset(spec).evaluate(text, context)
    return [match.detector for match in matches]


def test_a_near_identical_repeat_of_the_authors_own_comment_is_spam() -> None:
    context = Context(author_recent_texts=("Visit my page for the best deals in town!!",))
    assert found("visit my PAGE for the best deals in town 👉", context) == ["repeated"]


def test_a_copy_of_other_authors_comments_is_a_campaign_only_when_asked_for() -> None:
    others = ("Stop the new road, sign the petition before Friday, share with everyone",)
    text = "stop the new road!! sign the petition before friday, share with everyone"
    assert found(text, Context(others_recent_texts=others), checks=["campaign"]) == ["copied"]
    assert found(text, Context(others_recent_texts=others)) == []
    assert found(text, Context(others_recent_texts=others), checks=["repetition"]) == []


def test_a_short_thank_you_said_twice_is_not_spam() -> None:
    assert found("Thank you!", Context(author_recent_texts=("thank you",))) == []


def test_a_different_comment_by_the_same_author_is_not_a_repeat() -> None:
    context = Context(author_recent_texts=("When are the bins being collected this week?",))
    assert found("The streetlight on Elm Road has been out for a month", context) == []


def test_the_near_duplicate_threshold_is_a_setting() -> None:
    context = Context(author_recent_texts=("the bins on mill lane were not collected today",))
    text = "the bins on mill lane were not collected again today"
    assert found(text, context, near_duplicate_threshold=0.6) == ["repeated"]
    assert found(text, context, near_duplicate_threshold=0.99) == []


def test_a_flood_of_comments_by_one_author_is_spam() -> None:
    assert found("another one", Context(author_recent_count=5)) == ["flood"]
    assert found("another one", Context(author_recent_count=4)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Check out my channel for more videos",
        "sub4sub anyone?",
        "DM me for prices",
        "I earn £500 a day working from home",
        "Bitcoin investment with Mrs Jane changed my life",
        "Click the link in my bio",
        "Win an iPhone today",
        "Use promo code SAVE20",
    ],
)
def test_advertising_is_spam(text: str) -> None:
    assert found(text) == ["advertising"]


@pytest.mark.parametrize(
    "text",
    [
        "Please check out the council's new recycling page",
        "Subscribe to the council newsletter for updates",
        "I work from home so I noticed the bins were missed",
        "Can someone message me about my missed collection?",
    ],
)
def test_ordinary_mentions_of_pages_and_messages_are_not_advertising(text: str) -> None:
    assert found(text) == []


def test_a_shortened_link_is_spam() -> None:
    assert found("see bit.ly/3abcd") == ["url_shortener"]


def test_a_post_of_many_links_is_spam_but_the_councils_own_do_not_count() -> None:
    links = "a.example.com b.example.org c.example.net"
    assert found(f"look {links}") == ["link_heavy"]
    own = "www.exampleshire.gov.uk/bins exampleshire.gov.uk/a exampleshire.gov.uk/b"
    assert found(f"see {own}") == []


@pytest.mark.parametrize(
    "text",
    [
        "Gutter cleaning, 10% off this week, book at gutterpros.example",
        "I made £5,400 in two weeks trading with @investwith.amelia, DM her",
        "Lose 10kg in 10 days with this one trick",
        "Cheapest firesticks in town, message me 📺",
        "Sparkle Cleaning, 5* on Google, call today",
    ],
)
def test_trade_and_get_rich_advertising_is_spam(text: str) -> None:
    assert found(text) == ["advertising"]


@pytest.mark.parametrize(
    "text",
    ["Book now at the library", "Council tax went up 5% off the back of the budget"],
)
def test_ordinary_booking_and_percentages_are_not_advertising(text: str) -> None:
    assert found(text) == []
