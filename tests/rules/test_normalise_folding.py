"""Normalisation folds disguises for detection and maps every span back to the original."""

from __future__ import annotations

import pytest

from rules.engine.normalise import fold_words, normalise


def words(text: str) -> list[str]:
    return [view.text for view in normalise(text).words]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＳＨＯＵＴＩＮＧ", "shouting"),
        ("𝐛𝐨𝐥𝐝 𝓈𝒸𝓇𝒾𝓅𝓉", "bold script"),
        ("Ⓒⓘⓡⓒⓛⓔⓓ", "circled"),
        ("Сyrillic раураl", "cyrillic paypal"),
        ("Greek Αlpha Ορεn", "greek alpha open"),
        ("fück café naïve", "fuck cafe naive"),
        ("Straße", "strasse"),
        ("🇫🇺🇨🇰", "fuck"),
        ("I\u2019ll", "i'll"),
    ],
)
def test_look_alike_letters_fold_to_plain_latin(text: str, folded: str) -> None:
    assert normalise(text).text == folded


@pytest.mark.parametrize(
    "hidden",
    ["f\u200bu\u200bc\u200bk", "f\u00adu\u00adc\u00adk", "fu\u2060ck", "\ufefffuck", "f\u202euck"],
)
def test_a_zero_width_or_format_character_does_not_hide_a_word(hidden: str) -> None:
    assert normalise(hidden).text == "fuck"


def test_combining_marks_are_stripped() -> None:
    assert normalise("z\u0351\u0352a\u0353l\u0354g\u0355o").text == "zalgo"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("sh1t", "shit"),
        ("$h!t", "shit"),
        ("b!tch", "bitch"),
        ("a$$", "ass"),
        ("w@nker", "wanker"),
        ("5cum", "scum"),
    ],
)
def test_leetspeak_inside_a_word_folds_in_the_words_view(text: str, folded: str) -> None:
    assert words(text) == [folded]


def test_numbers_keep_their_digits_in_the_plain_view() -> None:
    text = "Call 07700 900123 about the £500 fine at 10am"
    assert normalise(text).text == text.lower()


def test_a_trailing_exclamation_mark_is_punctuation_not_a_letter() -> None:
    assert words("what the hell!") == ["what the hell!"]


@pytest.mark.parametrize("spaced", ["f u c k", "f.u.c.k", "f-u-c-k", "f_u_c_k", "f . u . c . k"])
def test_spaced_out_letters_are_joined(spaced: str) -> None:
    assert words(f"you {spaced} off")[0] == "you fuck off"


def test_the_unjoined_text_stays_a_view_for_text_speak() -> None:
    assert words("u r a star") == ["ura star", "u r a star"]


def test_two_single_letters_are_not_joined() -> None:
    assert words("plan b a") == ["plan b a"]


def test_stretched_letters_collapse_to_one_and_to_two() -> None:
    assert words("fuuuuck") == ["fuck", "fuuck"]
    assert words("asssss") == ["as", "ass"]


def test_a_word_with_a_double_letter_is_left_alone() -> None:
    assert words("good") == ["good"]


@pytest.mark.parametrize(
    "text",
    [
        "f\u200bu\u200bc\u200bk off",
        "ｆｕｃｋ off",
        "f u c k off",
        "fuuuuuck off",
        "x ß ﬁ 😀 f.u.c.k off",
    ],
)
def test_spans_in_every_view_map_back_to_the_disguised_original(text: str) -> None:
    normalised = normalise(text)
    views = [view for view in normalised.words if "fu" in view.text]
    assert views
    for view in views:
        start = view.text.index("fu")
        end = view.text.index(" off")
        original_start, original_end = view.to_original(start, end)
        assert text[original_end:] == " off"
        assert text[original_start] in "fｆ"


def test_a_span_of_the_plain_view_maps_back_through_expansions() -> None:
    text = "ﬁx the road"
    normalised = normalise(text)
    assert normalised.text == "fix the road"
    assert normalised.span_to_original(4, 8) == (3, 7)


@pytest.mark.parametrize(
    "text", ["", "\ud800", "\udfff\ud800", "😀" * 1000, "\u202e" * 10, "\x00\x1f\x7f"]
)
def test_normalise_never_raises(text: str) -> None:
    normalised = normalise(text)
    assert isinstance(normalised.text, str)
    assert all(isinstance(view.text, str) for view in normalised.words)


def test_word_list_entries_fold_like_comment_text() -> None:
    assert fold_words("F-U-C-K")[0] == "fuck"
    assert fold_words("SH1T") == ("shit",)


@pytest.mark.parametrize("token", ["73rd", "10kg", "5pm", "2nd", "100m"])
def test_a_number_with_a_unit_is_not_leetspeak(token: str) -> None:
    assert words(f"on the {token} day") == [f"on the {token} day"]


def test_spaced_list_entries_fold_only_to_the_joined_word() -> None:
    [form] = fold_words("s.h.i.t.")
    assert form.startswith("shit")
