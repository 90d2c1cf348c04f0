"""Categories one verdict implies, and the cue a political flag needs, by the labelling
definitions (``bench/data/README.md``).

* A malicious link (phishing, a lookalike of the organisation's pages, a fake login) is a scam,
  and every scam is spam: a malicious-link verdict implies spam.
* A threat or a call to pile on aimed at a named member of the organisation's staff (masked as
  ``<staff>``) is harassment and criticism of that person: harassment of ``<staff>`` implies
  staff criticism. Harassment goes to safeguarding; the staff criticism flag tells the manager.
* Party politics is about a party or a candidate: promoting or attacking one, or canvassing
  ("vote Smith on Thursday"). "Vote" alone ("they will only ever vote for more mosques",
  "vote for change") is not party politics, so a political model flag needs a party, a
  candidate, or a canvassing verb followed closely by a name.
* A spam model flag needs at least ``MIN_SPAM_WORDS`` different words: a greeting is not an
  advert, and a short message repeated is a flood, which the rules catch.

The council data is read with the same implications (``rules.training.corpora``), and
training's cross-validation applies the same gates (``MODEL_FLAG_GATES``) to the out-of-fold
scores it chooses thresholds on, so the model is trained, chosen and measured on what the
engine flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rules.engine.learned.features import NAME, Extracted
from rules.engine.learned.masks import CANDIDATE_WORD, PARTY_WORD, STAFF_WORD

# An advert, scam or pitch takes a few words (no council spam line has fewer than four); a
# greeting alone ("Hello") is not spam, and a short message repeated is the rules' flood.
MIN_SPAM_WORDS = 4
CANVASSING_VERBS = frozenset({"vote", "voting", "elect", "reelect"})
# How many words after a canvassing verb a name may come ("vote for Smith", "elect Jo Smith").
CANVASSED_WITHIN = 2


def names_staff(extracted: Extracted) -> bool:
    return any(token.text == STAFF_WORD for token in extracted.tokens)


def long_enough_for_spam(extracted: Extracted) -> bool:
    return len({token.text for token in extracted.tokens}) >= MIN_SPAM_WORDS


def has_political_cue(extracted: Extracted) -> bool:
    """A party or candidate of the organisation's settings, or a canvassing verb shortly before
    a name."""
    words = extracted.words
    if PARTY_WORD in words or CANDIDATE_WORD in words:
        return True
    named = {
        owner
        for feature, owner in zip(extracted.extra, extracted.extra_owners, strict=True)
        if feature == NAME
    }
    return any(
        word in CANVASSING_VERBS
        and any(index + step in named for step in range(1, CANVASSED_WITHIN + 1))
        for index, word in enumerate(words)
    )


# What a model flag in a category needs besides its score: the learned stage and training's
# cross-validation both read this one table.
MODEL_FLAG_GATES: dict[str, Callable[[Extracted], bool]] = {
    "political": has_political_cue,
    "spam": long_enough_for_spam,
}


def model_flag_allowed(category: str, extracted: Extracted) -> bool:
    """Whether a model score at the threshold may become a flag (``MODEL_FLAG_GATES``)."""
    gate = MODEL_FLAG_GATES.get(category)
    return gate is None or gate(extracted)


def implied_categories(found: Iterable[str], extracted: Extracted) -> set[str]:
    """The categories ``found`` implies that it does not already hold."""
    present = set(found)
    implied = set()
    if "malicious_link" in present:
        implied.add("spam")
    if "harassment" in present and names_staff(extracted):
        implied.add("staff_criticism")
    return implied - present
