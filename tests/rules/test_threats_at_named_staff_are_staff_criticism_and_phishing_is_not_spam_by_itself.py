"""Harassment aimed at a named member of staff is staff criticism too (routed to safeguarding
and to the manager), and the council data is read with the same implication; a malicious link
(phishing in the organisation's name) is malicious_link, not spam as well, as writers given the
definitions alone label it. A sealed set is scored on its writer's labels as written."""

from __future__ import annotations

import json
from pathlib import Path

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import implied_categories
from rules.engine.learned.masks import build_masks
from rules.training.corpora import council_items

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@ExampleshireCC"],
    "own_domains": ["exampleshire.gov.uk"],
    "staff_names": ["Tom Hargreaves", "Priya Raman"],
}
SHIPPED = compile_ruleset(default_ruleset_spec(SETTINGS))


def implied(text: str, found: set[str]) -> set[str]:
    return implied_categories(found, extract(Document(text), build_masks(SETTINGS)))


def test_a_malicious_link_implies_nothing_else() -> None:
    assert implied("Claim here: exampleshire-gov.uk-refund.com", {"malicious_link"}) == set()
    assert implied("Claim here: exampleshire-gov.uk-refund.com", {"abuse"}) == set()


def test_harassment_implies_staff_criticism_only_when_it_names_staff() -> None:
    named = "Tom Hargreaves lives on Mill Lane. A few of us should pay him a visit tonight"
    unnamed = "Whoever runs the bins lives on Mill Lane. A few of us should pay him a visit"
    assert implied(named, {"harassment"}) == {"staff_criticism"}
    assert implied(unnamed, {"harassment"}) == set()
    assert implied(named, {"abuse"}) == set()


def test_phishing_in_the_councils_name_is_flagged_as_a_malicious_link() -> None:
    matches = SHIPPED.evaluate(
        "Exampleshire residents: you are owed a £250 council tax refund. Claim before Friday "
        "at exampleshire-gov.uk-refund.com/claim"
    )
    found = {match.category: match for match in matches}
    assert "malicious_link" in found


def test_a_threat_at_named_staff_goes_to_safeguarding_and_is_staff_criticism() -> None:
    matches = SHIPPED.evaluate(
        "Tom Hargreaves lives on Mill Lane. A few of us should pay him a visit tonight and "
        "make sure he never forgets it"
    )
    routes = {match.category: match.route for match in matches}
    assert routes.get("harassment") == "safeguarding"
    assert "staff_criticism" in routes


def test_council_lines_are_read_with_what_they_imply(tmp_path: Path) -> None:
    lines = [
        {
            "id": "x-1",
            "text": "Refund: exampleshire-gov.uk-refund.com",
            "org": "ex",
            "categories": ["malicious_link"],
        },
        {
            "id": "x-3",
            "text": "Refund owed! Claim at exampleshire-gov.uk-refund.com",
            "org": "ex",
            "categories": ["malicious_link", "spam"],
        },
        {
            "id": "x-2",
            "text": "Tom Hargreaves should watch his back walking home",
            "org": "ex",
            "categories": ["harassment"],
        },
    ]
    path = tmp_path / "council_train_z.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    organisation = {
        "org": "ex",
        "name": "Exampleshire County Council",
        "handles": [],
        "staff_names": [{"name": "Tom Hargreaves", "role": "Director"}],
    }
    path.with_suffix(".orgs.json").write_text(json.dumps([organisation]), "utf-8")
    harmonised = {item.uid: item.categories for item in council_items(path, "sealed")}
    as_written = {
        item.uid: item.categories for item in council_items(path, "sealed", harmonise=False)
    }
    assert harmonised == {
        "x-1": {"malicious_link"},
        "x-3": {"malicious_link"},
        "x-2": {"harassment", "staff_criticism"},
    }
    assert as_written == {
        "x-1": {"malicious_link"},
        "x-3": {"malicious_link", "spam"},
        "x-2": {"harassment"},
    }


def test_a_greeting_alone_is_not_spam_but_an_advert_is() -> None:
    assert "spam" not in {match.category for match in SHIPPED.evaluate("Hello")}
    advert = "Earn £500 a day from home, no experience needed, message me now to start"
    assert "spam" in {match.category for match in SHIPPED.evaluate(advert)}


def test_a_shortened_phishing_link_is_a_malicious_link_not_spam_too() -> None:
    phishing = (
        "URGENT: verify your council tax account at http://bit.ly/3xYz9 or lose your discount"
    )
    found = {match.category for match in SHIPPED.evaluate(phishing)}
    assert "malicious_link" in found
    assert "spam" not in found


def test_a_shortened_link_that_is_not_malicious_is_still_link_spam() -> None:
    advert = "Great offer on boilers this week, see tinyurl.com/boilerdeal for prices"
    found = {match.category for match in SHIPPED.evaluate(advert)}
    assert "malicious_link" not in found
    assert "spam" in found


def test_a_prize_lure_with_a_lookalike_link_is_a_malicious_link_not_spam_too() -> None:
    lure = "You've been chosen! Claim your FREE iPhone at exampleshire-gov.uk-prizes.com today"
    found = {match.category for match in SHIPPED.evaluate(lure)}
    assert "malicious_link" in found
    assert "spam" not in found
