"""A direction control pasted into a box that shows text back (the rule test box, the draft
checker) turns into its visible token as it arrives, so the text in the box is never reordered
on screen; testing it tests what was pasted (the form reads the tokens back)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.moderation.configuration.factories_configuration import bananas_ruleset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RLO, PDF = "\u202e", "\u202c"
PASTED = f"Bananas {RLO}sananab{PDF} please"
SHOWN = "Bananas ⟨U+202E⟩sananab⟨U+202C⟩ please"


def test_the_test_box_shows_a_pasted_override_as_a_token(admin_page: Any) -> None:
    page = admin_page
    version = bananas_ruleset().versions.get()
    page.goto(f"/rules/versions/{version.pk}/test/")
    page.fill("textarea[name=text]", PASTED)
    assert page.input_value("textarea[name=text]") == SHOWN
    page.click("button[type=submit]:has-text('Test')")
    page.wait_for_selector(".result-text")
    assert page.input_value("textarea[name=text]") == SHOWN
    assert "1 rule would act" in page.inner_text("main")


def test_typing_after_a_pasted_override_keeps_the_cursor_where_it_was(officer_page: Any) -> None:
    page = officer_page
    page.goto("/check/")
    page.click("textarea[name=text]")
    page.keyboard.insert_text(f"ab{RLO}cd")
    page.keyboard.type("e")
    assert page.input_value("textarea[name=text]") == "ab⟨U+202E⟩cde"
