"""Dishes, sayings and real place names that contain a rude word are clean for the rules and the
learned stage alike; the same word aimed at people is still flagged."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec

SHIPPED = compile_ruleset(default_ruleset_spec())


@pytest.mark.parametrize(
    "text",
    [
        "Faggots and peas for tea at the community cafe on Friday, all welcome",
        "Mr Brains faggots in gravy are on offer at the market",
        "Homemade faggots, mushy peas and gravy at the fete",
        # The dish after its sides (found on the eighth sealed set, after it was scored).
        "Sunday roast at the Fire Station Arms, served with Yorkshire puddings and faggots",
        "Mash and faggots at the luncheon club on Tuesday",
        "The bus from Scunthorpe to Penistone is cancelled again",
        "Cockermouth flooded again last night, the Cock and Bull pub is shut",
        "Spotted dick and custard was the best school dinner",
    ],
)
def test_innocent_words_are_not_abuse_or_hate(text: str) -> None:
    found = {m.category for m in SHIPPED.evaluate(text)}
    assert not found & {"abuse", "hate", "harassment"}, found


def test_the_word_aimed_at_people_is_still_hate() -> None:
    found = {m.category for m in SHIPPED.evaluate("get these faggots out of our town")}
    assert "hate" in found
