"""Check what staff are about to post against the policy, before it goes.

The seeds govern what staff post as much as what residents write: no personal information
("Posts must not contain anyone's personal information"), no naming of an individual third party
without written permission, no party politics when speaking for the council, sentence case and
not capital letters ("never condescending or 'loud'"), and in the pre-election period nothing of a
party-political nature at all ("council officers are unable to reply to, endorse or engage with,
any content that is of a party political nature").

The rules engine judges the draft with the organisation's rule set (the pre-election set during
the period the admins set); a few checks only make sense for staff and are made here. A finding
either blocks sending (the policy gives no discretion) or warns (the officer may send anyway,
and that choice is audited with the findings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone

from moderation.models import Comment, Organisation
from moderation.replies import clean_name
from rules.engine import (
    CompiledRuleSet,
    compile_ruleset,
    default_ruleset_spec,
    pre_election_ruleset_spec,
)
from rules.engine.detectors.people import TITLES, staff_names_and_roles

# What the engine's categories mean when staff write them (categories not listed here, such as a
# statutory request or spam, say nothing about a council's own reply).
STAFF_CATEGORIES = {
    "personal_data": "It contains personal information (“Posts must not contain anyone's "
    "personal information”). Ask the person to send it privately instead.",
    "political": "It is party-political: officers speaking for the council stay politically "
    "neutral.",
    "abuse": "It contains language the policy calls abusive, offensive or obscene.",
    "harassment": "It could read as threatening or intimidating.",
    "hate": "It could be offensive on the basis of a protected characteristic.",
    "staff_criticism": "It criticises a named member of staff or councillor (“Don't discuss "
    "colleagues without their prior approval”).",
    "misleading": "It reads like a misleading claim (“Never make false or misleading statements”).",
}
MIN_LETTERS_FOR_CAPITALS = 12
CAPITALS_SHARE = 0.7
# A title in any case, then a capitalised name ("Mrs Jones", "cllr Patel", "Dr Ann Lee").
_TITLED_NAME = re.compile(rf"\b(?i:{TITLES})\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    blocks: bool = False


@dataclass(frozen=True)
class SendCheck:
    findings: tuple[Finding, ...]
    pre_election: bool

    @property
    def blocked(self) -> bool:
        return any(f.blocks for f in self.findings)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocks)

    @property
    def clear(self) -> bool:
        return not self.findings

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]


@lru_cache(maxsize=8)
def _engine(pre_election: bool, settings_key: str) -> CompiledRuleSet:
    settings = json.loads(settings_key)
    spec = pre_election_ruleset_spec(settings) if pre_election else default_ruleset_spec(settings)
    return compile_ruleset(spec)


def _settings_key(settings: dict[str, object]) -> str:
    return json.dumps(settings, sort_keys=True, default=str)


def is_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS_FOR_CAPITALS:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= CAPITALS_SHARE


def named_people(text: str, allowed: Sequence[str]) -> list[str]:
    """Individuals the draft names by title ("Mrs Jones", "Cllr Patel"), or staff names it uses,
    other than the person being answered."""
    allowed_lower = {a.strip().lower() for a in allowed if a.strip()}
    found = [m.group(0) for m in _TITLED_NAME.finditer(text)]
    return [name for name in dict.fromkeys(found) if name.lower() not in allowed_lower]


def check_draft(
    text: str,
    *,
    engine_settings: dict[str, object],
    staff_names: Sequence[str] = (),
    pre_election: bool = False,
    answering_categories: Sequence[str] = (),
    answering_name: str = "",
) -> SendCheck:
    """Check a reply or a post before it is sent. ``answering_categories`` are those of the
    comment it replies to (none for a new post)."""
    findings: list[Finding] = []
    if pre_election and "political" in answering_categories:
        findings.append(
            Finding(
                "pre_election_reply",
                "Pre-election period: officers cannot reply to, endorse or engage with a "
                "party-political comment. Do not reply; if it breaches the policy, hide it.",
                blocks=True,
            )
        )
    matches = _engine(pre_election, _settings_key(engine_settings)).evaluate(text)
    for category in dict.fromkeys(m.category for m in matches):
        if category not in STAFF_CATEGORIES:
            continue
        if category == "political" and pre_election:
            findings.append(
                Finding(
                    "pre_election_political",
                    "Pre-election period: nothing party-political may be posted on council "
                    "channels. " + STAFF_CATEGORIES["political"],
                    blocks=True,
                )
            )
            continue
        findings.append(Finding(category, STAFF_CATEGORIES[category]))
    if is_capitals(text):
        findings.append(
            Finding(
                "capitals",
                "It is in capital letters, which reads as shouting: “Use sentence case format, "
                "not capital letters.”",
            )
        )
    lowered = text.lower()
    staff = [n for n in staff_names if len(n.strip()) >= 3 and n.strip().lower() in lowered]
    people = named_people(text, [answering_name])
    named = list(dict.fromkeys([*staff, *people]))
    if named:
        findings.append(
            Finding(
                "names_a_person",
                "It names "
                + ", ".join(f"“{n}”" for n in named[:3])
                + ": “Never name an individual third party unless you have written permission.”",
            )
        )
    return SendCheck(tuple(findings), pre_election)


def check_for(text: str, organisation: Organisation, comment: Comment | None = None) -> SendCheck:
    """Check a reply to ``comment`` (or a new post, without one) as of today."""
    answering: list[str] = []
    name = ""
    if comment is not None:
        answering = list(
            comment.flags.filter(shadow=False, reversed=False).values_list("category", flat=True)
        )
        name = clean_name(comment.author.display_name or comment.author.handle or "")
    return check_draft(
        text,
        engine_settings=organisation.engine_settings(),
        staff_names=staff_names_and_roles({"staff_names": organisation.staff_names})[0],
        pre_election=organisation.in_pre_election(timezone.localdate()),
        answering_categories=answering,
        answering_name=name,
    )
