"""Malicious links: blocked, encoded, look-alike, bare-IP, executable, script and trick URLs."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset

SETTINGS = {
    "own_domains": ["exampleshire.gov.uk"],
    "blocked_domains": ["evil.example"],
}


def found(text: str) -> list[tuple[str, str]]:
    rule = RuleSpec(
        key="malicious_link.suspicious_links",
        name="Suspicious links",
        category="malicious_link",
        severity=4,
        outcome="hold",
        kind="detector",
        params={"detector": "malicious_link"},
    )
    spec = RuleSetSpec("test", 1, (rule,), settings=SETTINGS)
    matches = compile_ruleset(spec).evaluate(text)
    return [(match.detector, text[s:e]) for match in matches for s, e in match.spans]


@pytest.mark.parametrize(
    ("link", "label"),
    [
        ("https://login.evil.example/x", "blocked_domain"),
        ("http://xn--pypal-4ve.com", "punycode"),
        ("https://pаypal.com/login", "lookalike_domain"),
        ("g0v.uk/refund", "lookalike_domain"),
        ("http://paypa1.com", "lookalike_domain"),
        ("hmrc-refund.co/claim", "lookalike_domain"),
        ("https://gov.uk.verify-id.com", "lookalike_domain"),
        ("www.secure-paypal.com", "lookalike_domain"),
        ("https://exampleshire-council.com/pay", "lookalike_domain"),
        ("http://203.0.113.7/login", "ip_address_url"),
        ("https://files.example.com/invoice.exe", "executable_download"),
        ("https://example.org/photos.zip?x=1", "executable_download"),
        ("javascript:alert(1)", "script_url"),
        ("https://paypal.com@evil.example.net/", "credentials_in_url"),
    ],
)
def test_suspicious_links_are_found_with_their_reason(link: str, label: str) -> None:
    assert found(f"Click {link} now.") == [(label, link)]


@pytest.mark.parametrize(
    "text",
    [
        "See https://www.exampleshire.gov.uk/bins for dates",
        "Apply at https://www.gov.uk/apply-blue-badge",
        "Check www.hmrc.gov.uk",
        "Book at https://www.nhs.uk/service-search",
        "I bought it on amazon.co.uk",
        "Pay with https://www.paypal.com",
        "My email is jo@example.com",
        "Apple pie recipes at applepie.com",
        "The report.pdf is attached",
    ],
)
def test_ordinary_and_official_links_are_safe(text: str) -> None:
    assert found(text) == []


def test_a_fullwidth_disguised_link_is_still_found() -> None:
    [(label, _span)] = found("go to ｇ０ｖ.ｕｋ/refund")
    assert label == "lookalike_domain"


@pytest.mark.parametrize(
    "link",
    ["https://exampleshirе.gov.uk/pay", "www.examp1eshire.gov.uk/permits"],
)
def test_disguised_copies_of_the_councils_own_address_are_look_alikes(link: str) -> None:
    assert found(f"Pay here: {link}") == [("lookalike_domain", link)]


@pytest.mark.parametrize(
    "text",
    [
        "Claim your £100 voucher before midnight: bit.ly/voucher100",
        "You will be fined £100. Pay here: tinyurl.com/levy",
    ],
)
def test_a_shortened_link_dressed_up_as_a_claim_or_payment_is_phishing(text: str) -> None:
    assert found(text)[0][0] == "phishing_lure"


def test_a_local_groups_domain_using_the_councils_name_is_not_a_look_alike() -> None:
    assert found("Join us at friends-of-exampleshire.org.uk") == []
    assert found("Renew at exampleshire-bins.com/renew")[0][0] == "lookalike_domain"
