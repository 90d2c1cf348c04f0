"""The personal-data rule's early exit (RE2, for speed) never skips a text the detector needs.

The rule checks for a digit or an email cue before calling the detector. Its pattern uses
RE2, whose word boundaries are ASCII-only, where the detector's own early exit uses Python's
Unicode-aware ``re``. These texts sit on those differences: digits of other scripts, accented
letters beside the cue words, full-width and look-alike characters.
"""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data
from rules.engine.detectors.pii import PersonalDataMatcher
from rules.engine.document import Document
from rules.engine.types import EMPTY_CONTEXT

TEXTS = [
    "ring me on 07700 900123",
    "ring me on ０７７００ ９００１２３",  # full-width digits
    "ring me on ٠٧٧٠٠٩٠٠١٢٣",  # Arabic-Indic digits
    "my card is ４５３９ １４８８ ０３４３ ６４６７",
    "email jane.doe@example.com",
    "email jane.doe＠example.com",  # full-width at sign
    "email jane dot doe at gmail dot com",
    "write to jane [at] example (dot) com",
    "écrivez à jane at example.org",
    "café at example.com",
    "Kat jones at hotmail",
    "jane\u200bdoe@example.com",  # zero-width space inside the address
    "no numbers and no addresses here at all",
    "meet me at the café after the meeting",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_rule_finds_exactly_what_the_detector_finds(text: str) -> None:
    matcher = PersonalDataMatcher({})
    found = [(f.start, f.end, f.detector) for f in matcher.find(Document(text), EMPTY_CONTEXT)]
    expected = [(hit.start, hit.end, hit.kind) for hit in find_personal_data(text, {})]
    assert found == expected


def test_texts_with_personal_data_are_found_at_all() -> None:
    # Guards the test above against a detector that finds nothing anywhere.
    found = [text for text in TEXTS if find_personal_data(text, {})]
    assert "ring me on 07700 900123" in found
    assert "email jane.doe@example.com" in found
    assert len(found) >= 6
