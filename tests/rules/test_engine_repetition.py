"""Repetition: near-duplicate similarity and the bounded tracker used by classify."""

from __future__ import annotations

from rules.engine import RepetitionTracker
from rules.engine.repetition import fingerprint, similarity


def test_disguised_copies_of_a_text_are_identical() -> None:
    assert similarity(fingerprint("Visit MY page!!"), fingerprint("visit my page 👉")) == 1.0


def test_a_copy_with_one_word_changed_is_near_identical() -> None:
    first = fingerprint("please sign our petition to save the library on the high street")
    second = fingerprint("please sign our petition to save the museum on the high street")
    assert similarity(first, second) > 0.6


def test_unrelated_texts_are_not_similar() -> None:
    first = fingerprint("the bins on mill lane were not collected")
    second = fingerprint("lovely fireworks display at the park last night")
    assert similarity(first, second) < 0.2


def test_the_tracker_gives_an_authors_recent_texts_and_count() -> None:
    tracker = RepetitionTracker()
    tracker.remember("first comment here", "ann")
    tracker.remember("second comment here", "ann")
    tracker.remember("someone else", "bob")
    context = tracker.context_for("third", "ann")
    assert context.author_recent_texts == ("first comment here", "second comment here")
    assert context.author_recent_count == 2
    assert context.author_handle == "ann"


def test_the_tracker_offers_other_authors_near_duplicates_only() -> None:
    tracker = RepetitionTracker()
    tracker.remember("stop the new road sign the petition before friday", "ann")
    tracker.remember("the fireworks were lovely last night", "bob")
    context = tracker.context_for("STOP the new road!! sign the petition before Friday", "cat")
    assert context.others_recent_texts == ("stop the new road sign the petition before friday",)


def test_the_tracker_forgets_beyond_its_window() -> None:
    tracker = RepetitionTracker(window=3)
    for number in range(10):
        tracker.remember(f"comment number {number} from ann", "ann")
    context = tracker.context_for("another", "ann")
    assert len(tracker) == 3
    assert context.author_recent_count == 3
    assert context.author_recent_texts[0] == "comment number 7 from ann"


def test_a_flood_counts_only_the_authors_comments_in_the_recent_burst() -> None:
    tracker = RepetitionTracker(window=100, flood_window=5)
    for number in range(4):
        tracker.remember(f"early comment {number}", "ann")
    for number in range(3):
        tracker.remember(f"someone else {number}", "bob")
    tracker.remember("latest from ann", "ann")
    context = tracker.context_for("one more", "ann")
    assert len(context.author_recent_texts) == 5
    assert context.author_recent_count == 2


def test_unknown_authors_are_never_counted_as_one_persons_flood() -> None:
    tracker = RepetitionTracker()
    for _ in range(10):
        tracker.remember("same text again and again and again")
    context = tracker.context_for("same text again and again and again")
    assert context.author_recent_count == 0
    assert context.others_recent_texts
