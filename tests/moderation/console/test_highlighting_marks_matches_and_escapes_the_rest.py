"""Comment text becomes safe HTML: matches marked, overlaps merged, personal data masked,
everything else escaped, and nothing in the text or the stored spans can break the page."""

from __future__ import annotations

from types import SimpleNamespace

from moderation.console.highlight import (
    MASK_LABEL,
    masked_plain_text,
    merge_ranges,
    render_comment_html,
)


def flag(category: str, *spans: object, shadow: bool = False, severity: int = 3) -> SimpleNamespace:
    return SimpleNamespace(
        category=category,
        rule_name=f"{category} rule",
        severity=severity,
        spans=list(spans),
        shadow=shadow,
    )


def test_a_matched_word_is_wrapped_in_a_mark_named_after_its_category() -> None:
    html = render_comment_html("you absolute idiot", [flag("abuse", [13, 18])])
    assert '<mark class="cat-abuse" title="abuse rule">idiot</mark>' in html
    assert html.startswith("you absolute ")


def test_overlapping_spans_become_one_mark_naming_both_categories() -> None:
    html = render_comment_html(
        "call 07700 900123 now", [flag("personal_data", [5, 17]), flag("spam", [11, 21])]
    )
    assert html.count("<mark") == 1
    assert 'class="cat-personal_data cat-spam"' in html
    assert ">07700 900123 now</mark>" in html


def test_merging_ranges_joins_overlapping_and_touching_ones() -> None:
    assert merge_ranges([(8, 9), (0, 5), (3, 8), (20, 22)]) == [(0, 9), (20, 22)]


def test_script_tags_and_entities_in_the_text_are_escaped_inside_and_outside_marks() -> None:
    text = "<script>alert(1)</script> &amp; <b>bold</b>"
    html = render_comment_html(text, [flag("malicious_link", [0, 8])])
    assert "<script>" not in html and "<b>" not in html
    assert ">&lt;script&gt;</mark>" in html
    assert "alert(1)&lt;/script&gt; &amp;amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_a_right_to_left_override_is_shown_as_a_visible_token_not_obeyed() -> None:
    html = render_comment_html("invoice\u202egpj.exe", [])
    assert "\u202e" not in html
    assert "⟨U+202E⟩" in html


def test_emoji_and_combined_characters_keep_their_offsets() -> None:
    text = "👍🏽 great job 👩‍👩‍👧 idiot"
    start = text.index("idiot")
    html = render_comment_html(text, [flag("abuse", [start, start + 5])])
    assert "👩‍👩‍👧 <mark" in html and ">idiot</mark>" in html


def test_personal_data_is_replaced_by_a_mask_when_masking() -> None:
    text = "ring me on 07700 900123 tonight"
    html = render_comment_html(text, [flag("personal_data", [11, 23])], mask_personal_data=True)
    assert "07700" not in html
    assert MASK_LABEL in html
    assert masked_plain_text(text, [flag("personal_data", [11, 23])]) == (
        f"ring me on {MASK_LABEL} tonight"
    )


def test_a_mark_overlapping_masked_personal_data_never_shows_the_masked_part() -> None:
    text = "idiot 07700900123"
    html = render_comment_html(
        text, [flag("personal_data", [6, 17]), flag("abuse", [0, 10])], mask_personal_data=True
    )
    assert "0770" not in html
    assert '<mark class="cat-abuse" title="abuse rule">idiot </mark>' in html


def test_spans_outside_the_text_or_malformed_are_ignored_not_raised() -> None:
    bad = flag("abuse", [5, 2], [-10, 3], [0, 10_000], "x", [None, 4], [True, 2], [1, 2, 3], {})
    html = render_comment_html("short", [bad])
    # Only [-10, 3] and [0, 10000] survive, clipped to the text; they overlap, so one mark.
    assert html == (
        '<mark class="cat-abuse" title="abuse rule">short</mark>'
        '<span class="visually-hidden"> (flagged: abuse)</span>'
    )


def test_shadow_flags_do_not_change_what_an_officer_sees() -> None:
    assert "<mark" not in render_comment_html("idiot", [flag("abuse", [0, 5], shadow=True)])


def test_a_hundred_thousand_character_comment_renders_and_can_be_cut_for_a_list() -> None:
    text = "a" * 99_990 + " idiot <x>"
    html = render_comment_html(text, [flag("abuse", [99_991, 99_996])])
    assert html.endswith("&lt;x&gt;")
    snippet = render_comment_html(text, [flag("abuse", [99_991, 99_996])], limit=280)
    assert len(snippet) < 400 and snippet.endswith("…</span>")


def test_personal_data_straddling_the_cut_is_still_masked_in_a_snippet() -> None:
    text = "x" * 275 + "07700900123"
    snippet = render_comment_html(
        text, [flag("personal_data", [275, 286])], mask_personal_data=True, limit=280
    )
    assert "077" not in snippet and MASK_LABEL in snippet
