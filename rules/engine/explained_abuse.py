"""The default abuse rules' findings another reading explains: abuse the commenter reports
rather than uses, and a slur the hate rule has flagged.

* **Reported or quoted.** A resident who writes 'Someone sprayed "Pakis out" on the bus
  shelter, please remove it' or 'Reporting a comment further up where someone called Cllr Ross
  a "useless hoor"' is asking the organisation to act on abuse, not abusing anyone. The hate
  rule already grades such findings down (``rules.engine.detectors.hate.reported_or_quoted``);
  the swearing and insult findings are read by the same cues (the word in quotation marks, a
  report just before it such as "called me" or "the word", a condemnation around it such as
  "not acceptable" or "hate incident"), or lie inside a short quotation in a comment that
  reports something ("someone wrote", "sprayed", "posted", "reported", "slur").
* **A slur at a group is hate.** Where every span of an abuse finding lies within the hate
  rules' findings (as they stand after the learned stage, which may drop a loose slur's), the
  comment is flagged hate (escalated to safeguarding, a stronger outcome than the abuse rules'
  hold), and the abuse flag says nothing more; writers label such comments hate and not abuse
  more often than both.

On the council training rows the two readings removed 44 of the two default abuse rules' 87
false alarms and 10 of their 532 true findings (all 10 still flagged as hate). Only the matches
of rules whose spec asks for it (``"skip_reported": true``, as the default abuse rules'
do) are judged: a word an admin lists in a rule of their own is theirs to flag however it is
posted, unless they say otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from rules.engine.detectors.hate import reported_or_quoted
from rules.engine.types import Match

# A short quotation: paired double or typographic quotes, or single quotes not inside a word
# (so "don't ... it's" is no quotation), within one sentence.
_QUOTATION = re.compile(
    r"[\"“”«]([^\"“”«».!?\n]{1,80})[\"“”»]|(?<![\w])['‘]([^'‘’.!?\n]{1,80})['’](?![\w])"
)
# Words of a report: someone else's words passed on to be dealt with (graffiti, a post, a shout).
_REPORTING = re.compile(
    r"\b(?:some(?:one|body)(?:'s)?|wr[io]te|written|spray(?:ed|ing)?|spray[- ]painted|graffiti|"
    r"stickers?|saying|call(?:ed|ing)|shout(?:ed|ing)|yell(?:ed|ing)|post(?:ed|ing)|"
    r"report(?:ed|ing)?|quot(?:e|ed|ing)|slurs?|comments?)\b",
    re.IGNORECASE,
)


def reads_as_reported(text: str, start: int, end: int, quotations: list[tuple[int, int]]) -> bool:
    """Whether the span ``start:end`` of ``text`` is quoted, reported or condemned: inside a
    quotation of a comment that reports something, or as the hate rule reads counter-speech."""
    if any(s <= start and end <= e for s, e in quotations) and _REPORTING.search(text):
        return True
    return reported_or_quoted(text, start, end)


def without_explained_abuse(
    matches: list[Match], text: str, rule_keys: Collection[str]
) -> list[Match]:
    """``matches`` less the matches of the rules ``rule_keys`` names (those whose spec says
    ``skip_reported``) whose every span reads as reported or quoted, or lies within a hate
    match."""
    if not any(match.rule_key in rule_keys for match in matches):
        return matches
    quotations = [found.span() for found in _QUOTATION.finditer(text)]
    hateful = [
        span
        for match in matches
        if match.category == "hate" and not match.rule_key.startswith("model.")
        for span in match.spans
    ]

    def explained(start: int, end: int) -> bool:
        return reads_as_reported(text, start, end, quotations) or any(
            s < end and start < e for s, e in hateful
        )

    return [
        match
        for match in matches
        if match.rule_key not in rule_keys
        or not match.spans
        or not all(explained(s, e) for s, e in match.spans)
    ]
