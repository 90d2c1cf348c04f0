"""Reply templates: fill ``{name}`` placeholders from a fixed list, and order the picker.

Only the placeholders below are replaced, each by a plain string; anything else in braces is
left as written. This never uses ``str.format``: an author's display name is data, and data such
as ``{0.__class__}`` must come out as those characters, not as an attribute lookup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from accounts.names import BIDI_CONTROLS
from moderation.at_risk import AT_RISK_CATEGORY
from moderation.models import Comment, Organisation, ReplyTemplate

PLACEHOLDERS = (
    "author",
    "channel",
    "organisation",
    "contact",
    "foi_contact",
    "dp_contact",
    "complaints_contact",
    "reason",
)
# The template whose wording is the removal notice: posted on the thread by "Post the removal
# notice", never offered as a reply under the comment (which goes when the comment goes).
REMOVAL_NOTICE_KEY = "policy-notice"
# Why a comment was removed, in words for the person who wrote it ("… removed because it …").
BREACH_REASONS = {
    "abuse": "contained abusive or offensive language",
    "harassment": "was threatening or harassing",
    "hate": "was offensive about people's protected characteristics",
    "personal_data": "shared someone's personal information",
    "spam": "was spam or repeated the same message",
    "malicious_link": "contained a link that may be harmful",
    "political": "promoted a political party or candidate",
    "staff_criticism": "criticised a named member of staff",
    "impersonation": "impersonated someone else",
    "off_topic": "was not about the post",
    "misleading": "contained misleading information",
    "copyright": "used content copied without permission",
}
GENERIC_REASON = "breached our Social Media Policy"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MAX_NAME_LENGTH = 80
# Keys an admin may set in Organisation.own_contacts to choose each contact outright.
EXPLICIT_CONTACT_KEYS = {
    "contact": ("contact", "general"),
    "foi_contact": ("foi_contact", "foi"),
    "dp_contact": ("dp_contact", "data_protection", "dpo"),
    "complaints_contact": ("complaints_contact", "complaints"),
}
# Otherwise the published email addresses are searched for these words.
CONTACT_HINTS = {
    "foi_contact": ("foi", "freedomofinformation", "information.request", "inforequest"),
    "dp_contact": ("dataprotection", "data.protection", "dpo", "privacy", "gdpr"),
    "complaints_contact": ("complaint", "feedback"),
    "contact": ("customer", "contact", "enquiries", "info", "hello"),
}


def fill_placeholders(body: str, values: Mapping[str, str]) -> str:
    """Replace each known ``{name}`` with its value; unknown names and stray braces stay as is.

    A known placeholder with no value (say, no complaints contact is configured) is left in the
    text, so the officer sees what to fill in; ``unfilled`` finds it before anything is sent.
    """

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in PLACEHOLDERS and values.get(name):
            return values[name]
        return match.group(0)

    return PLACEHOLDER.sub(substitute, body)


def unfilled(text: str) -> list[str]:
    """The known placeholders still in a reply, e.g. ["{complaints_contact}"]."""
    return [f"{{{name}}}" for name in PLACEHOLDER.findall(text) if name in PLACEHOLDERS]


def clean_name(name: str) -> str:
    """An author's name fit to put in a public reply: no control characters, not too long."""
    visible = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" or ch == "\u200d")
    visible = " ".join(visible.split())
    if len(visible) > MAX_NAME_LENGTH:
        visible = visible[: MAX_NAME_LENGTH - 1] + "…"
    return visible


def contacts_of(organisation: Organisation) -> dict[str, str]:
    """The four contacts, chosen from the organisation's published contacts."""
    contacts = organisation.own_contacts if isinstance(organisation.own_contacts, dict) else {}
    emails = _strings(contacts.get("emails"))
    phones = _strings(contacts.get("phones"))
    chosen: dict[str, str] = {}
    for placeholder, keys in EXPLICIT_CONTACT_KEYS.items():
        explicit = next((contacts[k] for k in keys if isinstance(contacts.get(k), str)), "")
        if explicit.strip():
            chosen[placeholder] = explicit.strip()
            continue
        hints = CONTACT_HINTS[placeholder]
        found = next((e for e in emails if any(h in e.lower() for h in hints)), "")
        if found:
            chosen[placeholder] = found
    general = (
        chosen.get("contact") or (emails[0] if emails else "") or (phones[0] if phones else "")
    )
    chosen["contact"] = general
    for placeholder in ("foi_contact", "dp_contact", "complaints_contact"):
        chosen.setdefault(placeholder, general)
    return chosen


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def breach_reason(categories: object) -> str:
    """The policy breaches behind the comment's categories, in words ("… and …")."""
    found = _strings(categories)
    reasons = list(dict.fromkeys(BREACH_REASONS[c] for c in found if c in BREACH_REASONS))
    if not reasons:
        return GENERIC_REASON
    return reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]


def reply_values(comment: Comment, organisation: Organisation) -> dict[str, str]:
    """Every placeholder's value for replying to this comment."""
    author = comment.author
    name = clean_name(author.display_name or author.handle or "")
    values = {
        "author": name or "there",
        "channel": comment.channel.name,
        "organisation": organisation.name,
        "reason": breach_reason(comment.categories),
        **contacts_of(organisation),
    }
    # Names and contacts are edited in boxes that read tokens back as direction controls: a
    # reply takes its controls from the template's own words only, never from a name.
    return {key: BIDI_CONTROLS.sub("", value) for key, value in values.items()}


def render_template(template: ReplyTemplate, comment: Comment, organisation: Organisation) -> str:
    return fill_placeholders(template.body, reply_values(comment, organisation))


def filled_template(key: str, comment: Comment) -> str:
    """The active template ``key`` as filled in for ``comment``, or "" (no such template): the
    text a reply box was filled from, whose direction controls are the only ones a reply may
    carry (``rules.fields.OutgoingTextField``)."""
    template = ReplyTemplate.objects.filter(key=key, active=True).first() if key else None
    return render_template(template, comment, Organisation.current()) if template else ""


def templates_for(
    comment: Comment, organisation: Organisation, templates: Iterable[ReplyTemplate]
) -> list[ReplyTemplate]:
    """Active templates in the order to offer them.

    For someone at risk (self_harm) the templates written for that come first, even in a
    crisis; then, in crisis mode, the listening response; then the templates written for the
    comment's categories; then the rest in their configured order.
    """
    crisis = organisation.crisis_mode or comment.channel.crisis_mode
    categories = set(comment.categories if isinstance(comment.categories, list) else [])

    def rank(template: ReplyTemplate) -> tuple[int, int, int, int, str]:
        written_for = set(_strings(template.for_categories))
        at_risk = 0 if AT_RISK_CATEGORY in categories & written_for else 1
        crisis_first = 0 if crisis and template.offered_first_in_crisis else 1
        suggested = 0 if categories & written_for else 1
        return (at_risk, crisis_first, suggested, template.position, template.name)

    return sorted((t for t in templates if t.active and t.key != REMOVAL_NOTICE_KEY), key=rank)


def suggested_keys(comment: Comment, templates: Sequence[ReplyTemplate]) -> set[str]:
    """Templates written for one of the comment's categories (marked "suggested" in the picker)."""
    categories = set(comment.categories if isinstance(comment.categories, list) else [])
    return {t.key for t in templates if categories & set(_strings(t.for_categories))}
