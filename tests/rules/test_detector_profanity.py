"""Profanity: better-profanity's list in one matcher, its variants, evasions and council words."""

from __future__ import annotations

from typing import Any

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset, validate_rule
from rules.engine.detectors.profanity import better_profanity_words, council_words


def found(text: str, **params: Any) -> list[tuple[str, str]]:
    rule = RuleSpec(
        key="abuse.profanity",
        name="Swearing",
        category="abuse",
        severity=3,
        outcome="hold",
        kind="detector",
        params={"detector": "profanity", **params},
    )
    matches = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate(text)
    return [(match.detector, text[s:e]) for match in matches for s, e in match.spans]


def test_a_plain_swear_word_is_found() -> None:
    assert found("what the fuck is this") == [("profanity", "fuck")]


def test_a_clean_council_comment_is_not_flagged() -> None:
    assert found("When will the bins on Mill Lane be collected? Thanks") == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("f*ck off", "masked"),
        ("sh1t service", "leetspeak"),
        ("f u c k this", "spaced_letters"),
        ("fuuuuuck", "stretched"),
        ("ｆｕｃｋ", "lookalike_letters"),
        ("fu\u200bck", "hidden_characters"),
        ("fvck", "profanity"),
    ],
)
def test_evasions_are_caught_and_labelled_for_the_officer(text: str, label: str) -> None:
    [(detector, _span)] = found(text)
    assert detector == label


@pytest.mark.parametrize(
    "text",
    [
        "Erection of a two storey rear extension",
        "Speed humps on Mill Lane",
        "Weeds on the pavement",
        "Gay pride picnic in the park",
        "Offa's Dyke path is closed",
        "What the hell is going on with the buses",
        "Breast screening van at the library",
        "Lots of love xx",
    ],
)
def test_ordinary_council_words_in_the_better_profanity_list_are_not_swearing(text: str) -> None:
    assert found(text) == []


def test_the_full_better_profanity_list_can_be_chosen() -> None:
    assert found("Erection of a fence", wordlist="better_profanity") == [("profanity", "Erection")]


def test_the_council_list_is_the_package_list_without_exclusions_plus_extra_spellings() -> None:
    full, council = set(better_profanity_words()), set(council_words())
    assert {"fuck", "cunt", "wanker", "ffs", "fcking"} <= council
    assert not {"gay", "erection", "weed", "fag"} & council
    assert len(council - full) < 50 < len(full - council)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("you bunch of bastards", "profanity"),
        ("go f*** yourselves", "masked"),
        ("ffs sort it out", "profanity"),
        ("🖕 to the council", "rude_emoji"),
    ],
)
def test_plurals_masks_abbreviations_and_rude_emoji_count(text: str, label: str) -> None:
    assert found(text)[0][0] == label


@pytest.mark.parametrize(
    "text",
    ["Great tits at the feeder", "The pussy willow is out", "Dick Whittington panto tonight"],
)
def test_innocent_phrases_containing_a_listed_word_are_not_swearing(text: str) -> None:
    assert found(text) == []


def test_extra_words_and_excluded_words_adjust_the_list() -> None:
    assert found("you plonker", extra_words=["plonker"]) == [("profanity", "plonker")]
    assert found("bloody crap", extra_words=["bloody"], exclude_words=["bloody"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "F*CK",
        "sh1t",
        "f u c k",
        "f u c k off",
        "the pen is red",
        "fuck's sake",
        '"shit"',
        "w\u200ba\u200bn\u200bk\u200be\u200br joke",
        "ｆｕｃｋ",
        "blow job",
    ],
)
def test_better_profanity_mode_gives_better_profanitys_own_verdicts(text: str) -> None:
    from better_profanity import profanity

    verdict = bool(found(text, wordlist="better_profanity", fold_evasions=False))
    assert verdict == profanity.contains_profanity(text)


def test_unknown_parameters_are_refused() -> None:
    problems = validate_rule("detector", {"detector": "profanity", "wordlists": "council"})
    assert problems and "unknown parameter" in problems[0]
