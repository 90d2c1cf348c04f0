"""A name from a platform or an admin (an author, a channel, a reply template, an escalation
route) cannot reorder what a page says: a right-to-left override in it is shown as a visible
token, on every page that names it, as comment text already does. "RLO ‮nimda‬ Spoof" must
never read as "RLO admin Spoof".
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.configuration.channel_forms import ChannelSettingsForm
from moderation.models import Author, Escalation, EscalationRoute, ReplyTemplate
from tests.factories import ChannelFactory
from tests.helpers import export, signed_in, streamed
from tests.moderation.console.factories_console import escalation_for, open_item

pytestmark = pytest.mark.django_db

RLO, PDF = "\u202e", "\u202c"
SPOOFED_AUTHOR = f"RLO {RLO}nimda{PDF} Spoof"
TOKEN = "⟨U+202E⟩"
# Form fields hold what an admin typed, to edit it, with tokens too (the last tests below); the
# pages' own words are checked apart from them.
FORM_VALUES = re.compile(r'value="[^"]*"|<textarea[^>]*>.*?</textarea>', re.S)


def outside_form_values(html: str) -> str:
    return FORM_VALUES.sub("", html)


@pytest.fixture
def spoofed():
    channel = ChannelFactory(name=f"Council {RLO}egap")
    item = open_item("Spoofed names", channel=channel)
    Author.objects.filter(pk=item.author_id).update(
        display_name=SPOOFED_AUTHOR, handle=f"{RLO}nimda"
    )
    ReplyTemplate.objects.create(key="spoof", name=f"Thanks {RLO}sknaht", body="Thank you.")
    route = EscalationRoute.objects.get(key="foi")
    route.name = f"FOI {RLO}maet"
    route.save()
    escalated = open_item("FOI please", status="escalated", channel=channel)
    Author.objects.filter(pk=escalated.author_id).update(display_name=SPOOFED_AUTHOR)
    escalation_for(escalated, "foi")
    item.refresh_from_db()
    return item


def assert_neutralised(html: str, where: str) -> None:
    shown = outside_form_values(html)
    assert RLO not in shown, f"a raw right-to-left override reaches {where}"
    assert TOKEN in shown, f"{where} does not show the override as a visible token"


def test_the_officers_pages_show_overrides_in_names_as_tokens(olivia, spoofed) -> None:
    client = signed_in(Client(), olivia)
    for path in (
        "/queue/",
        f"/queue/?tab=all&q={SPOOFED_AUTHOR[:3]}",
        f"/queue/{spoofed.pk}/",
        "/escalations/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_neutralised(response.content.decode(), path)


def test_the_managers_pages_show_overrides_in_names_as_tokens(maya, spoofed) -> None:
    client = signed_in(Client(), maya)
    for path in ("/reports/", "/reports/print/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert RLO not in outside_form_values(response.content.decode()), path
    csv = streamed(export(client, "/reports/export.csv")).decode()
    assert RLO not in csv


def test_the_admins_pages_show_overrides_in_names_as_tokens(adam, spoofed) -> None:
    client = signed_in(Client(), adam)
    template = ReplyTemplate.objects.get(key="spoof")
    for path in (
        "/settings/",
        "/settings/channels/",
        f"/settings/channels/{spoofed.channel_id}/",
        "/settings/templates/",
        f"/settings/templates/{template.pk}/",
        "/settings/routes/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_neutralised(response.content.decode(), path)


def test_the_edit_form_shows_the_name_with_tokens_and_saving_it_unchanged_keeps_it(
    adam, spoofed
) -> None:
    """The name box shows the override as a token too: a raw one in the box would reorder the
    box and the label beside it, and it was never the admin's to read. The box reads the token
    back, so saving the form as shown keeps the name exactly as stored."""
    client = signed_in(Client(), adam)
    address = f"/settings/channels/{spoofed.channel_id}/"
    html = client.get(address).content.decode()
    assert f'value="Council {TOKEN}egap"' in html
    assert 'name="name" value="Council ⟨U+202E⟩egap"' in html and RLO not in html

    form = ChannelSettingsForm(instance=spoofed.channel)
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    bound = ChannelSettingsForm(data, instance=spoofed.channel)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["name"] == f"Council {RLO}egap"


def test_the_messages_after_escalating_and_closing_name_the_route_with_a_token(
    olivia, spoofed
) -> None:
    client = signed_in(Client(), olivia)
    route = EscalationRoute.objects.get(key="foi")

    escalated = client.post(
        f"/queue/{spoofed.pk}/escalate/", {"route": route.pk, "note": "Formal FOI request"}
    )
    escalation = Escalation.objects.get(comment=spoofed)
    closed = client.post(f"/escalations/{escalation.pk}/close/", {"note": "Answered"})

    said = [str(m) for r in (escalated, closed) for m in get_messages(r.wsgi_request)]
    assert any(m.startswith(f"Escalated to FOI {TOKEN}maet;") for m in said), said
    assert f"Closed the FOI {TOKEN}maet escalation." in said, said
    assert not any(RLO in m for m in said), said


def test_the_messages_after_disconnecting_a_channel_name_it_with_a_token(adam, spoofed) -> None:
    client = signed_in(Client(), adam)
    address = f"/settings/channels/{spoofed.channel_id}/disconnect/"

    responses = [client.post(address), client.post(address)]  # the second finds it disconnected

    said = [str(m) for r in responses for m in get_messages(r.wsgi_request)]
    assert any(m.startswith(f"Council {TOKEN}egap is disconnected:") for m in said), said
    assert f"Council {TOKEN}egap was already disconnected." in said, said
    assert not any(RLO in m for m in said), said
