"""Text people typed or a platform sent (a member of staff's name, a note, an escalation note, a
channel's or a route's name, the organisation's staff list …) cannot reorder a page: every page
an admin reaches, by following links from the navigation, shows each direction control as its
visible token (⟨U+202E⟩), in what it displays and in the boxes that edit it. Boxes read the
tokens back, so saving a box unchanged keeps the stored text exactly
(test_forms_echo_pasted_direction_controls_as_tokens_and_keep_them)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.names import BIDI_CONTROLS
from moderation.configuration.forms import OrganisationForm
from moderation.models import (
    AllowListEntry,
    Author,
    Escalation,
    EscalationRoute,
    ModerationAction,
    Note,
    Organisation,
    ReplyTemplate,
    Tag,
)
from rules.models import Rule, RuleSet, RuleSetVersion
from tests.browser.crawl import SKIPPED
from tests.factories import ChannelFactory, make_user
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

RLO = "\u202e"
LINKS = re.compile(r'href="(/(?!static/)[^"#]*)"')


def spoofed(text: str) -> str:
    return f"{text} {RLO}nimda"


@pytest.fixture
def hostile_world(adam):
    """One of everything an admin or a platform names, each carrying a right-to-left override."""
    staff = make_user("jo", "officer", full_name=spoofed("Jo Price"))
    org = Organisation.current()
    org.name, org.on_call_name = spoofed("Council"), spoofed("On call")
    org.handles, org.candidates = [spoofed("@council")], [spoofed("Candidate")]
    org.staff_names = [spoofed("Sam Lee"), {"name": spoofed("Ann Bell"), "role": spoofed("Chief")}]
    org.own_contacts = {"contact": spoofed("Contact us"), "phones": [spoofed("0300")]}
    org.save()
    AllowListEntry.objects.create(kind="phones", value="0300 123 4567", note=spoofed("Helpline"))
    channel = ChannelFactory(name=spoofed("Council page"))
    item = open_item(spoofed("Comment"), channel=channel)
    Author.objects.filter(pk=item.author_id).update(
        display_name=spoofed("Author"), handle=spoofed("handle")
    )
    route = EscalationRoute.objects.get(key="foi")
    route.name = spoofed("FOI")
    route.save()
    Escalation.objects.create(
        comment=item,
        route=route,
        assignee=staff,
        note=spoofed("Escalation note"),
        deadline_at=timezone.now(),
        created_by_label=staff.label,
        created_at=timezone.now(),
    )
    Note.objects.create(comment=item, text=spoofed("Note"), written_by_label=staff.label)
    Note.objects.create(
        author=item.author, text=spoofed("Author note"), written_by_label=staff.label
    )
    ReplyTemplate.objects.create(key="spoof", name=spoofed("Template"), body=spoofed("Body"))
    Tag.objects.create(key="spoof", name=spoofed("Tag"), description=spoofed("About"))
    ModerationAction.objects.create(
        channel=channel,
        comment=item,
        author=item.author,
        kind="reply",
        text=spoofed("Reply"),
        state="awaiting",
        actor_label=staff.label,
        requested_at=timezone.now(),
    )
    ruleset = RuleSet.objects.get(is_default=True)
    RuleSet.objects.filter(pk=ruleset.pk).update(description=spoofed("Policy"))
    version = ruleset.versions.get(state="live")
    RuleSetVersion.objects.filter(pk=version.pk).update(note=spoofed("Version note"))
    Rule.objects.filter(version=version, key="abuse.profanity").update(
        name=spoofed("Rule"), explanation=spoofed("Explanation")
    )
    return item


def crawl(client: Client, start: list[str], depth: int = 3) -> dict[str, str]:
    """Every page reachable by GET from ``start`` (each address once, whatever its query): its
    address and its HTML. Every record, not one of each shape: the world is small, and the one
    route or person carrying the override must be the one visited."""
    pages: dict[str, str] = {}
    frontier = start
    for _ in range(depth):
        found: list[str] = []
        for path in frontier:
            path = path.replace("&amp;", "&")
            seen = {p.split("?")[0] for p in pages}
            if path.split("?")[0] in seen or SKIPPED.search(path.split("?")[0]):
                continue
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages[path] = response.content.decode()
            found += LINKS.findall(pages[path])
        frontier = found
    return pages


def test_no_page_an_admin_reaches_shows_a_raw_direction_control(adam, hostile_world) -> None:
    client = signed_in(Client(), adam)
    purpose = "Checking repeat abuse"  # the author's history opens once a purpose is recorded
    recorded = client.post(f"/authors/{hostile_world.author_id}/", {"purpose": purpose})
    assert recorded.status_code == 302
    start = ["/queue/", "/settings/", "/accounts/users/", "/escalations/", "/replies/awaiting/"]
    start += ["/reports/", "/audit/"]
    pages = crawl(client, start)

    assert len(pages) > 30, sorted(pages)
    raw = [
        f"{path}: …{html[max(0, m.start() - 50) : m.end() + 10]!r}"
        for path, html in sorted(pages.items())
        for m in BIDI_CONTROLS.finditer(html)
    ]
    assert raw == [], "\n".join(raw)


def test_saving_the_staff_list_as_shown_keeps_it_exactly(hostile_world) -> None:
    org = Organisation.current()
    shown = OrganisationForm(instance=org)
    data = {name: shown[name].value() for name in shown.fields}
    t = "⟨U+202E⟩"
    assert data["staff_names"] == f"Sam Lee {t}nimda\nAnn Bell {t}nimda — Chief {t}nimda"

    form = OrganisationForm({k: v for k, v in data.items() if v is not None}, instance=org)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["staff_names"] == org.staff_names
    assert form.cleaned_data["name"] == org.name


def test_the_message_after_inviting_someone_names_them_with_a_token(adam) -> None:
    """Messages name what an action touched, in the words typed: they are shown with tokens
    too (the invitation's said "Invited Jo Price", the override reversing "ecirP")."""
    response = signed_in(Client(), adam).post(
        "/accounts/users/",
        {
            "username": "jprice",
            "full_name": "Jo \u202eecirP",
            "email": "jprice@example.org",
            "role": "officer",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Invited Jo ⟨U+202E⟩ecirP:" in html
    assert not BIDI_CONTROLS.search(html)
