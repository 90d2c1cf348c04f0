"""Hate: slurs and dehumanising language about protected characteristics; counter-speech."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset, default_ruleset_spec


def found(text: str, **params: str) -> list[tuple[str, int]]:
    rule = RuleSpec(
        key="hate.protected_characteristics",
        name="Hate speech",
        category="hate",
        severity=5,
        outcome="escalate",
        route="safeguarding",
        kind="detector",
        params={"detector": "hate", **params},
    )
    matches = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate(text)
    return [(match.detector, match.severity) for match in matches]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("get these pakis out", "slur_race"),
        ("bunch of poofs", "slur_sexual_orientation"),
        ("what a retard", "slur_disability"),
        ("trannies in the toilets", "slur_gender_reassignment"),
        ("pikeys on the field again", "slur_ethnicity"),
    ],
)
def test_slurs_are_found_and_labelled_by_characteristic(text: str, label: str) -> None:
    assert found(text) == [(label, 5)]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Immigrants are vermin", "dehumanising"),
        ("asylum seekers are nothing but parasites", "dehumanising"),
        ("muslims should all be deported", "call_to_harm"),
        ("deport all the refugees", "call_to_harm"),
        ("go back to your own country", "go_back"),
        ("send them back home", "go_back"),
    ],
)
def test_dehumanising_and_exclusionary_language_is_found(text: str, label: str) -> None:
    assert found(text) == [(label, 5)]


def test_no_more_group_is_exclusion_one_step_lower() -> None:
    assert found("no more migrants in our town") == [("exclusion", 4)]


def test_a_bare_send_them_back_counts_only_when_a_group_is_named() -> None:
    assert found("I filled in the forms and had to send them back") == []
    assert found("The refugees in the hotel? send them back") == [("go_back", 5)]


@pytest.mark.parametrize(
    "text",
    [
        'Calling people "pakis" is not ok',
        "someone called my son a p*ki at school",
        "Using the word retard is unacceptable",
        "He shouted 'poof' at us, we reported it as a hate crime",
    ],
)
def test_quoted_reported_or_condemned_slurs_are_counter_speech(text: str) -> None:
    # Counter-speech and reports are lawful and stay clean by default; an organisation that
    # wants reports of hate incidents surfaced can have them shown two steps lower.
    assert found(text) == []
    assert found(text, counter_speech="grade") == [("reported_or_quoted", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "Immigrants are not vermin, they are our neighbours",
        "The refugee drop-in centre needs volunteers",
        "Offa's Dyke path reopens on Monday",
        "Have a fag break and calm down",
        "He went on a bender after the match",
        "Mong Kok restaurant opens on the high street",
    ],
)
def test_ordinary_mentions_of_groups_and_ambiguous_words_are_not_hate(text: str) -> None:
    assert found(text) == [] or found(text)[0][0] != "dehumanising"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Don't want any more Muslims in this town", "exclusion"),
        ("Women shouldn't be allowed to drive gritters", "exclusion"),
        ("The travellers on the rec are all thieves", "dehumanising"),
        ("The Polish lot are ruining it, go back to Poland.", "go_back"),
        ("Learn English or go home", "go_back"),
        ("The Jews control the developers", "trope"),
    ],
)
def test_exclusion_generalisations_and_tropes_are_hate(text: str, label: str) -> None:
    assert found(text)[0][0] == label


@pytest.mark.parametrize(
    "text",
    [
        "I'll go home to Ireland for Christmas",
        "The travellers on the rec are lovely people",
        "We welcome more refugees to the town",
        "Sales were up a thousand fold",
    ],
)
def test_kind_or_neutral_sentences_about_groups_are_not_hate(text: str) -> None:
    assert found(text) == []


def test_mocking_someones_english_and_telling_them_to_go_home_is_hate() -> None:
    text = "Not voting for someone who can't even speak proper English, go back home"
    assert "hate" in {m.category for m in compile_ruleset(default_ruleset_spec()).evaluate(text)}


def test_speaking_english_without_exclusion_is_not_hate() -> None:
    # The rules' judgement (this file tests the hate detector); the learned stage scores this
    # sentence just above its hate threshold, a false alarm docs/quality.md counts among those
    # on comments that name a group.
    text = "My nan can't speak English well so we went home to fill in the form together"
    rules_only = default_ruleset_spec({"model": {"enabled": False}})
    assert "hate" not in {m.category for m in compile_ruleset(rules_only).evaluate(text)}
