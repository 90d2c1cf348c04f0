"""The personal-data detector as a rule: adapts ``personal_data.find_personal_data``.

The detector itself (``personal_data.py``) is written and owned separately; this module only
turns its hits into findings, labelled with the kind of data (``phone``, ``email``,
``postcode``, ``ni_number``, ``nhs_number``, ``payment_card``, ``bank_account``, ``iban``,
``address``). A rule may narrow the kinds with ``params["kinds"]``; the organisation settings
(including ``own_contacts``, which are not personal data) are passed through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import DetectorType, Gate, is_subset
from rules.engine.detectors.personal_data import KINDS, find_personal_data
from rules.engine.detectors.uk_formats import EMAIL_CUE
from rules.engine.document import Document
from rules.engine.types import Context, Finding

# Any decimal digit of any script (the detector folds them all to ASCII).
_ANY_DIGIT = re.compile(r"\d")


class PersonalDataMatcher:
    """Calls the personal-data detector on the original text."""

    gates: tuple[Gate, ...] = ()

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """One finding per piece of personal data."""
        # The detector finds nothing without a digit or an email cue (its own early exit,
        # checked here on the original and the folded text before it folds the text itself).
        if not (
            _ANY_DIGIT.search(doc.plain.text)
            or _ANY_DIGIT.search(doc.original)
            or EMAIL_CUE.search(doc.original)
            or EMAIL_CUE.search(doc.plain.text)
        ):
            return []
        return [
            Finding(hit.start, hit.end, hit.kind)
            for hit in find_personal_data(doc.original, self.settings)
        ]


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> PersonalDataMatcher:
    """A personal-data matcher; ``params["kinds"]`` narrows the kinds looked for."""
    merged = dict(settings)
    if "kinds" in params:
        merged["kinds"] = list(params["kinds"])
    return PersonalDataMatcher(merged)


DETECTOR = DetectorType(
    name="personal_data",
    description="Phone numbers, emails, postcodes, NI/NHS numbers, cards, bank details, addresses.",
    params={"kinds": is_subset(*KINDS)},
    build=build,
)
