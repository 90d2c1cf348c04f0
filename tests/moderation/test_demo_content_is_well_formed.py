"""The demo content file has the shape the demo loader and the officers' queue rely on.

``moderation/demo/content.json`` is hand-written; these checks catch a typo in a key, a reply to a
comment that does not exist, a category name the engine does not use, or a fake NHS or card number
that would not pass its check digit (the detectors validate check digits, so an invalid number
would silently stop being a personal-data example). Plain JSON only: no Django.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

CONTENT_PATH = Path(__file__).resolve().parents[2] / "moderation" / "demo" / "content.json"

PLATFORMS = {
    "facebook",
    "instagram",
    "youtube",
    "x",
    "linkedin",
    "threads",
    "tiktok",
    "mastodon",
    "bluesky",
}
NATIONS = {"england", "wales", "scotland", "northern_ireland"}
MINIMUM_PER_CATEGORY = {
    "abuse": 15,
    "harassment": 10,
    "hate": 6,
    "personal_data": 15,
    "spam": 20,
    "malicious_link": 6,
    "political": 12,
    "staff_criticism": 8,
    "foi_request": 6,
    "subject_access_request": 4,
    "complaint": 6,
    "self_harm": 2,
    "impersonation": 3,
    "off_topic": 2,
    "misleading": 2,
    "copyright": 0,
}
HOURS_IN_A_WEEK = 168.0


@cache
def content() -> dict[str, Any]:
    with CONTENT_PATH.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def comments() -> list[dict[str, Any]]:
    return list(content()["comments"])


def posts_by_key() -> dict[str, dict[str, Any]]:
    return {post["key"]: post for post in content()["posts"]}


def channels_by_key() -> dict[str, dict[str, Any]]:
    return {channel["key"]: channel for channel in content()["channels"]}


def platform_of(comment: dict[str, Any]) -> str:
    post = posts_by_key()[comment["post"]]
    return str(channels_by_key()[post["channel"]]["platform"])


# --- check digits, computed rather than trusted -------------------------------------------------


def passes_luhn(number: str) -> bool:
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(number)):
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def passes_nhs_modulus_11(number: str) -> bool:
    weighted = sum(int(d) * weight for d, weight in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - weighted % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


def passes_iban_mod_97(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def has_valid_ni_prefix(ni_number: str) -> bool:
    first, second = ni_number[0], ni_number[1]
    return (
        first not in "DFIQUV"
        and second not in "DFIOQUV"
        and ni_number[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    )


NHS_NUMBER = re.compile(r"(?<!\d)(\d{3}) (\d{3}) (\d{4})(?!\d)")
CARD_NUMBER = re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{4}(?!\d)|(?<!\d)3[47]\d{2} \d{6} \d{5}(?!\d)")
IBAN = re.compile(r"\bGB\d{2}(?: ?[A-Z]{4})(?: ?\d){14}\b")
NI_NUMBER = re.compile(r"\b([A-Z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
UK_MOBILE = re.compile(r"(?<!\d)07\d{3} ?\d{3} ?\d{3}(?!\d)")


def every_text() -> list[str]:
    return [comment["text"] for comment in comments()]


def digits_matching(pattern: re.Pattern[str]) -> list[str]:
    """The digits of every match of ``pattern`` in every text, separators dropped."""
    return [re.sub(r"\D", "", m.group()) for text in every_text() for m in pattern.finditer(text)]


# --- channels and posts -------------------------------------------------------------------------


def test_every_platform_has_a_channel_and_no_channel_uses_another_platform() -> None:
    platforms = [channel["platform"] for channel in content()["channels"]]
    assert set(platforms) == PLATFORMS


def test_only_facebook_has_more_than_one_channel() -> None:
    per_platform = Counter(channel["platform"] for channel in content()["channels"])
    assert {platform for platform, count in per_platform.items() if count > 1} <= {"facebook"}


def test_every_channel_is_in_a_uk_nation_and_one_is_in_wales() -> None:
    nations = [channel["nation"] for channel in content()["channels"]]
    assert set(nations) <= NATIONS
    assert "wales" in nations


def test_every_post_belongs_to_a_known_channel() -> None:
    assert {post["channel"] for post in content()["posts"]} <= set(channels_by_key())


def test_every_channel_has_three_to_five_posts() -> None:
    per_channel = Counter(post["channel"] for post in content()["posts"])
    assert all(3 <= per_channel[key] <= 5 for key in channels_by_key()), per_channel


# --- comments -----------------------------------------------------------------------------------


def test_there_are_at_least_three_hundred_comments() -> None:
    assert len(comments()) >= 300


def test_every_comment_belongs_to_a_known_post() -> None:
    assert {comment["post"] for comment in comments()} <= set(posts_by_key())


def test_no_two_channels_posts_or_comments_share_a_key() -> None:
    for kind in ("channels", "posts", "comments"):
        keys = [item["key"] for item in content()[kind]]
        assert len(keys) == len(set(keys)), kind


def test_platform_ids_are_unique_within_a_channel() -> None:
    seen: set[tuple[str, str]] = set()
    for item in [*content()["posts"], *comments()]:
        channel = item.get("channel") or posts_by_key()[item["post"]]["channel"]
        identity = (channel, item["platform_id"])
        assert identity not in seen, identity
        seen.add(identity)


def test_every_reply_answers_an_earlier_comment_on_the_same_post() -> None:
    by_key = {comment["key"]: comment for comment in comments()}
    for comment in comments():
        if comment["reply_to"] is None:
            continue
        parent = by_key[comment["reply_to"]]
        assert parent["post"] == comment["post"], comment["key"]
        assert parent["hours_ago"] > comment["hours_ago"], comment["key"]


def test_every_comment_comes_after_its_post_and_within_the_last_week() -> None:
    posts = posts_by_key()
    for comment in comments():
        assert 0 < comment["hours_ago"] < posts[comment["post"]]["hours_ago"] <= HOURS_IN_A_WEEK


def test_an_author_id_keeps_one_handle_on_its_platform() -> None:
    handles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for comment in comments():
        handles[(platform_of(comment), comment["author"]["platform_id"])].add(
            comment["author"]["handle"]
        )
    assert all(len(names) == 1 for names in handles.values())


def test_every_expected_category_is_one_the_engine_uses() -> None:
    used = {category for comment in comments() for category in comment["expected"]}
    assert used <= set(MINIMUM_PER_CATEGORY)


@pytest.mark.parametrize(("category", "minimum"), sorted(MINIMUM_PER_CATEGORY.items()))
def test_each_category_appears_often_enough(category: str, minimum: int) -> None:
    count = sum(category in comment["expected"] for comment in comments())
    assert count >= minimum


def test_most_comments_are_ordinary() -> None:
    ordinary = sum(not comment["expected"] for comment in comments())
    assert 0.55 <= ordinary / len(comments()) <= 0.75


def test_some_authors_breach_the_policy_again_and_again() -> None:
    breaches = Counter(
        (platform_of(comment), comment["author"]["platform_id"])
        for comment in comments()
        if comment["expected"]
    )
    assert sum(count >= 4 for count in breaches.values()) >= 3


def test_the_same_spam_is_posted_more_than_once_by_one_author_and_by_several() -> None:
    authors_by_text: dict[str, list[str]] = defaultdict(list)
    for comment in comments():
        if "spam" in comment["expected"]:
            authors_by_text[comment["text"]].append(comment["author"]["platform_id"])
    repeated = [authors for authors in authors_by_text.values() if len(authors) > 1]
    assert any(len(set(authors)) == 1 for authors in repeated)
    assert any(len(set(authors)) > 1 for authors in repeated)


def test_the_texts_that_are_hard_to_render_are_there() -> None:
    texts = every_text()
    assert any("<script>" in text for text in texts)
    assert any("&amp;" in text or "&lt;" in text for text in texts)
    assert any("\u202e" in text for text in texts)
    assert any("\u200b" in text for text in texts)
    assert any(len(text) >= 3000 for text in texts)


def test_the_organisation_names_its_staff_contacts_and_handles() -> None:
    organisation = content()["organisation"]
    assert 8 <= len(organisation["staff_names"]) <= 10
    assert organisation["handles"]
    assert organisation["candidates"]
    contacts = organisation["own_contacts"]
    assert {"phones", "emails", "postcodes", "addresses", "domains"} <= set(contacts)


# --- fake personal data is well formed ----------------------------------------------------------


def test_every_nhs_shaped_number_passes_the_modulus_11_check() -> None:
    numbers = ["".join(m.groups()) for text in every_text() for m in NHS_NUMBER.finditer(text)]
    assert numbers
    assert all(passes_nhs_modulus_11(number) for number in numbers), numbers


def test_every_card_number_passes_the_luhn_check() -> None:
    cards = digits_matching(CARD_NUMBER)
    assert cards
    assert all(passes_luhn(card) for card in cards), cards


def test_every_iban_passes_the_mod_97_check() -> None:
    ibans = [m.group().replace(" ", "") for text in every_text() for m in IBAN.finditer(text)]
    assert ibans
    assert all(passes_iban_mod_97(iban) for iban in ibans), ibans


def test_every_national_insurance_number_has_a_prefix_hmrc_issues() -> None:
    prefixes = [m.group(1) for text in every_text() for m in NI_NUMBER.finditer(text)]
    assert prefixes
    assert all(has_valid_ni_prefix(prefix) for prefix in prefixes), prefixes


def test_every_mobile_number_is_in_ofcoms_drama_range() -> None:
    mobiles = digits_matching(UK_MOBILE)
    assert mobiles
    assert all(mobile.startswith("07700900") for mobile in mobiles), mobiles
