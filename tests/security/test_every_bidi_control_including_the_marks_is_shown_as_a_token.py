"""Every character Unicode gives the Bidi_Control property is shown as a visible token wherever a
name is displayed: not only the embeddings, overrides and isolates but also the marks (LRM U+200E,
RLM U+200F, ALM U+061C), which reorder the digits and punctuation beside them just as silently
("Paid 100<RLM>-50" can read as "Paid -50100")."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.names import neutralise_bidi
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

# Unicode's Bidi_Control property (PropList.txt), all twelve of them.
BIDI_CONTROL_PROPERTY = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("char", list(BIDI_CONTROL_PROPERTY))
def test_each_bidi_control_becomes_a_visible_token(char: str) -> None:
    shown = neutralise_bidi(f"Paid 100{char}-50")

    assert char not in shown
    assert shown == f"Paid 100⟨U+{ord(char):04X}⟩-50"


def test_a_tag_named_with_a_right_to_left_mark_is_saved_with_the_mark_visible(adam) -> None:
    response = signed_in(Client(), adam).post(
        "/settings/tags/new/",
        {"key": "refunds", "name": "Refund 100\u200f-50", "description": "", "active": "on"},
        follow=True,
    )

    page = response.content.decode()
    assert "Saved the tag “Refund 100⟨U+200F⟩-50”." in page
    assert "\u200f" not in page
