"""A form that shows text back (the rule test box after a test, the reply box filled from a
template, the template editor, the draft checker, the search boxes) shows a direction control
(U+202E …) as its visible token, so what a person reads is not reordered; the token is read back
as the control, so testing again, saving unchanged or sending tests, keeps or sends exactly what
was typed or stored."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from moderation.configuration.model_forms import ReplyTemplateForm
from moderation.models import ReplyTemplate
from moderation.views import rule_testing
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db
RLO, PDF = "\u202e", "\u202c"
PASTED = f"Bananas {RLO}sananab{PDF} please"
SHOWN = "Bananas ⟨U+202E⟩sananab⟨U+202C⟩ please"


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, name
    return found.group(1).strip()


def test_the_test_box_shows_the_pasted_text_with_tokens_after_the_test(adam) -> None:
    version = bananas_ruleset().versions.get()
    html = (
        signed_in(Client(), adam)
        .post(f"/rules/versions/{version.pk}/test/", {"text": PASTED})
        .content.decode()
    )
    assert RLO not in html and PDF not in html
    assert textarea(html, "text") == SHOWN
    assert "data-visible-controls" in html


def test_testing_the_shown_text_again_tests_what_was_pasted() -> None:
    form = rule_testing.TestTextForm({"text": SHOWN})
    assert form.is_valid()
    assert form.cleaned_data["text"] == PASTED


def test_the_reply_box_filled_from_a_template_shows_tokens(olivia) -> None:
    item = open_item("When is the bin day?")
    ReplyTemplate.objects.create(key="spoof", name="Spoof", body=f"Thanks {RLO}sknaht")
    html = (
        signed_in(Client(), olivia)
        .get(f"/queue/{item.pk}/reply/preview/", {"template": "spoof"})
        .content.decode()
    )
    assert RLO not in html
    assert "Thanks ⟨U+202E⟩sknaht" in textarea(html, "text")


def test_the_template_editor_shows_tokens_and_saving_keeps_the_stored_text(adam) -> None:
    template = ReplyTemplate.objects.create(key="spoof", name="Spoof", body=f"Thanks {RLO}sknaht")
    client = signed_in(Client(), adam)
    html = client.get(f"/settings/templates/{template.pk}/").content.decode()
    assert textarea(html, "body") == "Thanks ⟨U+202E⟩sknaht"
    assert RLO not in textarea(html, "body")


def test_the_draft_checker_shows_the_checked_draft_with_tokens(olivia) -> None:
    html = signed_in(Client(), olivia).post("/check/", {"text": PASTED}).content.decode()
    assert textarea(html, "text") == SHOWN


@pytest.mark.parametrize(
    ("address", "who"),
    [("/queue/", "olivia"), ("/settings/data-protection/", "adam")],
)
def test_a_search_box_shows_the_search_with_tokens(address: str, who: str, request) -> None:
    client = signed_in(Client(), request.getfixturevalue(who))
    html = client.get(address, {"q": f"ab{RLO}cd"}).content.decode()
    assert RLO not in html
    assert 'value="ab⟨U+202E⟩cd"' in html


def test_saving_the_template_as_shown_keeps_the_stored_controls() -> None:
    template = ReplyTemplate.objects.create(key="spoof", name="Spoof", body=f"Thanks {RLO}sknaht")
    shown = ReplyTemplateForm(instance=template, editing=True)
    data = {name: shown[name].value() for name in shown.fields}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    form = ReplyTemplateForm(data, instance=template, editing=True)
    assert form.is_valid(), form.errors
    assert data["body"] == "Thanks ⟨U+202E⟩sknaht"
    assert form.changed_fields()["body"] == f"Thanks {RLO}sknaht"
