"""A reply, a removal notice or a reply template goes out to a platform in the council's name, so
it never gains a direction control (U+202E …) that the stored text being edited did not hold.
The boxes show controls as tokens (⟨U+202E⟩), and an officer can type or paste a token (a
hostile comment is shown with tokens, and copied as them): that text is refused, with a message
naming it, rather than turned into a real override posted in public. A control the template
itself holds (a right-to-left mark in a reply in Urdu) goes out as it is stored."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.actions import do_remove_comment
from moderation.configuration.model_forms import ReplyTemplateForm
from moderation.models import ModerationAction, Organisation, ReplyTemplate
from moderation.replies import render_template
from tests.factories import ChannelFactory, PostFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

RLO, RLM = "\u202e", "\u200f"
TOKEN, RLM_TOKEN = "⟨U+202E⟩", "⟨U+200F⟩"


def reply(client: Client, item, text: str, template: str = ""):
    # Past the policy check's warnings (the draft checker has its own tests): only the direction
    # controls are under test here.
    data = {"text": text, "template": template, "send_anyway": "1"}
    return client.post(f"/queue/{item.pk}/reply/", data)


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_typed_token_in_a_reply_is_refused_and_nothing_is_sent(olivia) -> None:
    item = open_item("When is the bin day?")
    response = reply(signed_in(Client(), olivia), item, f"Thanks {TOKEN}olleh")

    assert not ModerationAction.objects.filter(kind="reply").exists()
    assert any(TOKEN in m and "direction" in m for m in said(response)), said(response)


def test_a_raw_override_posted_without_the_page_is_refused_too(olivia) -> None:
    item = open_item("When is the bin day?")
    reply(signed_in(Client(), olivia), item, f"Thanks {RLO}olleh")
    assert not ModerationAction.objects.filter(kind="reply").exists()


def test_a_mark_the_template_holds_goes_out_as_stored(olivia) -> None:
    item = open_item("When is the bin day?")
    template = ReplyTemplate.objects.create(key="urdu", name="Urdu", body=f"شکریہ{RLM} 123")
    shown = render_template(template, item, Organisation.current()).replace(RLM, RLM_TOKEN)

    response = reply(signed_in(Client(), olivia), item, shown, template="urdu")

    assert response.status_code == 302, said(response)
    assert ModerationAction.objects.get(kind="reply").text == f"شکریہ{RLM} 123"


def test_a_token_typed_beside_the_templates_own_mark_is_refused(olivia) -> None:
    item = open_item("When is the bin day?")
    ReplyTemplate.objects.create(key="urdu", name="Urdu", body=f"شکریہ{RLM} 123")

    reply(signed_in(Client(), olivia), item, f"شکریہ{RLM_TOKEN} 123 {RLM_TOKEN}", template="urdu")

    assert not ModerationAction.objects.filter(kind="reply").exists()


def test_a_typed_token_in_a_removal_notice_is_refused(olivia) -> None:
    channel = ChannelFactory()
    item = open_item("you are all ****", channel=channel, post=PostFactory(channel=channel))
    do_remove_comment(item, actor=olivia)
    client = signed_in(Client(), olivia)

    response = client.post(f"/queue/{item.pk}/notice/", {"text": f"Removed {TOKEN}devomer"})

    assert not ModerationAction.objects.filter(kind="notice").exists()
    assert any(m.startswith(f"Notice not posted: it holds {TOKEN}") for m in said(response))


def test_a_new_template_cannot_gain_a_control_from_a_typed_token() -> None:
    form = ReplyTemplateForm({"key": "new", "name": "New", "body": f"Hello {TOKEN}", "position": 0})
    assert not form.is_valid()
    assert TOKEN in str(form.errors["body"])


def test_a_template_saved_as_shown_keeps_its_own_controls_and_gains_none() -> None:
    template = ReplyTemplate.objects.create(key="urdu", name="Urdu", body=f"شکریہ{RLM} 123")
    data = {"name": "Urdu", "position": 0}
    kept = ReplyTemplateForm(
        {**data, "body": f"شکریہ{RLM_TOKEN} 123"}, instance=template, editing=True
    )
    gained = ReplyTemplateForm(
        {**data, "body": f"{TOKEN}شکریہ{RLM_TOKEN} 123"}, instance=template, editing=True
    )

    assert kept.is_valid(), kept.errors
    assert kept.cleaned_data["body"] == f"شکریہ{RLM} 123"
    assert not gained.is_valid()


def test_names_filled_into_a_template_bring_no_control_with_them() -> None:
    """A channel's, the organisation's or a contact's name is edited in a box that reads tokens
    back, and an author's comes from the platform: none of them puts a control in a reply."""
    org = Organisation.current()
    org.name, org.own_contacts = f"Council {RLO}x", {"contact": f"{RLO}01234"}
    item = open_item("Hello", channel=ChannelFactory(name=f"Page {RLO}egap"))
    template = ReplyTemplate(body="{organisation} {channel} {contact} {author}")
    assert RLO not in render_template(template, item, org)
