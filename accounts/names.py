"""Names as people read them: direction controls made visible.

Author names and handles come from the platforms, channel names from the platforms or an admin,
template, route and tag names from admins. Any of them can carry a right-to-left override
(U+202E) or another direction control (an embedding, isolate or mark), which reorders what
follows it on screen: "RLO ‮nimda‬ Spoof" reads as "RLO admin Spoof".
Comment text shows those characters as visible tokens (``moderation.console.highlight``); every
displayed name goes through the same ``neutralise_bidi`` here. The stored value is never changed:
boxes that edit a name or show text back (``rules.fields``) show tokens and read them back with
``restore_bidi``, so saving unchanged keeps it exactly.

It lives in ``accounts``, the app every other imports, because people's names are among those
names: the Django admin's lists of users and labels use it as the console does.
"""

from __future__ import annotations

import re
from collections import Counter

# Unicode's Bidi_Control characters: embeddings, overrides and isolates reorder what follows them
# on screen, and the marks (ALM U+061C, LRM U+200E, RLM U+200F) the digits and punctuation beside
# them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def bidi_token(char: str) -> str:
    """ "⟨U+202E⟩": what a direction control is shown as."""
    return f"⟨U+{ord(char):04X}⟩"


def neutralise_bidi(text: str) -> str:
    """The text with every direction control replaced by its visible token (plain text)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return BIDI_CONTROLS.sub(lambda m: bidi_token(m.group()), text)


# A token ``bidi_token`` writes, for a direction control only: "⟨U+202E⟩" but not "⟨U+0041⟩".
BIDI_TOKENS = re.compile(r"⟨U\+(061C|200E|200F|202[A-E]|206[6-9])⟩")


def restore_bidi(text: str, within: str | None = None) -> str:
    """The text with each direction control's token read back as the control: the inverse of
    ``neutralise_bidi``, for a form that showed a value with tokens and is sent back. With
    ``within`` (the stored text the box was filled from), a token is read back only while
    ``within`` still has a control of its kind to give, counting those already in ``text``; the
    other tokens stay as typed (``rules.fields.OutgoingTextField`` refuses them)."""
    if within is None:
        return BIDI_TOKENS.sub(lambda m: chr(int(m.group(1), 16)), text)
    left = Counter(BIDI_CONTROLS.findall(within))
    left.subtract(BIDI_CONTROLS.findall(text))

    def back(match: re.Match[str]) -> str:
        control = chr(int(match.group(1), 16))
        if left[control] <= 0:
            return match.group()
        left[control] -= 1
        return control

    return BIDI_TOKENS.sub(back, text)


def controls_gained(text: str, stored: str) -> list[str]:
    """The direction controls (as tokens) ``text`` holds beyond those ``stored`` holds, and any
    token left in it: what an edit would add to the stored text."""
    gained = Counter(BIDI_CONTROLS.findall(text)) - Counter(BIDI_CONTROLS.findall(stored))
    typed = [m.group() for m in BIDI_TOKENS.finditer(text)]
    return [bidi_token(c) for c in sorted(gained.elements())] + typed


def one_line(text: str) -> str:
    """The text with every run of white space, line breaks included, as one space: for an email
    subject that names a channel or route. Django refuses a header holding a line break, and a
    platform's display name or an admin's form post can hold one."""
    return " ".join(str(text).split())
