"""Comment text is hostile: evaluation never raises and spans stay inside the original."""

from __future__ import annotations

import random

import pytest

from rules.engine import Context, compile_ruleset, default_ruleset_spec

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@exampleshirecc"],
    "own_domains": ["exampleshire.gov.uk"],
    "staff_names": ["Jane Smith"],
    "candidates": ["Alice Brown"],
}
COMPILED = compile_ruleset(default_ruleset_spec(SETTINGS))

HOSTILE = [
    "",
    " ",
    "\x00\x01\x02 fuck \x7f",
    "\ud800\udfff lone surrogates \udc00 shit",
    "\u202eevil reversed text kill you\u202c",
    "f\u200bu\u200bc\u200bk " * 50,
    "Z\u0351\u0352\u0353a\u0354l\u0355g\u0356o text",
    "😀" * 10_000,
    "👨\u200d👩\u200d👧" * 2_000,
    "a" * 50_000,
    "http://" * 2_000,
    "(((((((((((((((((((((((((((((",
    "\ufeff\ufeff\ufeff",
    "ﷺ" * 100,
    "İ" * 100 + " fuck",
    "\n\r\t" * 100,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_odd_unicode_and_huge_text_never_raise_and_spans_stay_inside(text: str) -> None:
    for match in COMPILED.evaluate(text):
        for start, end in match.spans:
            assert 0 <= start < end <= len(text)


def test_a_megabyte_of_mixed_hostile_text_is_evaluated() -> None:
    text = ("f u c k 😀 \u200b sh1t 07700 900123 bit.ly/x " * 30_000)[:1_000_000]
    keys = {match.rule_key for match in COMPILED.evaluate(text)}
    assert "abuse.profanity" in keys


def test_random_code_points_never_raise() -> None:
    generator = random.Random(20261123)
    for _ in range(300):
        length = generator.randint(0, 200)
        text = "".join(chr(generator.randint(0, 0x10FFFF)) for _ in range(length))
        for match in COMPILED.evaluate(text, Context(author_handle=text[:20], author_name=text)):
            for start, end in match.spans:
                assert 0 <= start < end <= len(text)


def test_a_context_with_odd_values_never_raises() -> None:
    context = Context(
        author_handle="\ud800",
        author_name="😀" * 1_000,
        author_recent_texts=("\x00", "", "😀" * 5_000),
        others_recent_texts=("spam spam spam spam spam spam",) * 3,
        author_recent_count=10**9,
    )
    # "x" alone reads to the model as a bare link (a malicious link explains a flood).
    assert any(match.category == "spam" for match in COMPILED.evaluate("ok", context))


def test_a_non_string_text_is_treated_as_its_string_form() -> None:
    assert COMPILED.evaluate(None) == []  # type: ignore[arg-type]
