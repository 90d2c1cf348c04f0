"""The organisation's own account answers residents with its numbers, prices and pages ("call
01632 960700 or book at …", "the subscription remains £45 a year"): that is the organisation
speaking, not advertising or link spam, as it is never repetition or a flood. A resident posting
the same words is still read by the spam rule."""

from __future__ import annotations

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.types import Context, categories_of

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@ExampleshireCC"],
    "own_domains": ["exampleshire.gov.uk"],
}
SHIPPED = compile_ruleset(default_ruleset_spec(SETTINGS))
ANSWER = (
    "Hi Dot, yes we offer free home safety visits. Call 01632 960700 or book at "
    "exampleshire.gov.uk/safety"
)


def spam_rules(text: str, author: str) -> list[str]:
    found = SHIPPED.evaluate(text, Context(author_handle=author, author_name=author))
    return [match.rule_key for match in found if match.category == "spam"]


def test_the_own_accounts_answer_with_a_number_and_a_booking_page_is_not_spam() -> None:
    assert spam_rules(ANSWER, "ExampleshireCC") == []
    assert spam_rules(ANSWER, "Exampleshire County Council") == []
    assert "spam" not in categories_of(
        SHIPPED.evaluate(ANSWER, Context(author_handle="@exampleshirecc"))
    )


def test_a_resident_posting_the_same_words_is_still_read_by_the_spam_rule() -> None:
    assert spam_rules(ANSWER, "Dot Smith") == ["spam.advertising"]


def test_an_account_imitating_the_organisation_is_not_its_own_account() -> None:
    assert spam_rules(ANSWER, "Exampleshire_CC_Official") != []
