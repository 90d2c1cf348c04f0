"""The Django admin's lists show a person's or a route's name with its direction controls as
visible tokens (⟨U+202E⟩), as the console does. Found in testing: the users list and the
escalation routes list showed a full name or route name as stored, so "Jo ‮nimda" read as
"Jo admin" there while every console page showed the token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.actions import do_deactivate_user
from accounts.names import BIDI_CONTROLS
from moderation.models import Escalation, EscalationRoute, ModerationAction, Note, Strike
from tests.factories import ChannelFactory, make_user
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

RLO, TOKEN = "\u202e", "⟨U+202E⟩"
CHANGELISTS = re.compile(r'href="(/django-admin/[a-z_]+/[a-z_]+/)"')


def spoofed(text: str) -> str:
    return f"{text} {RLO}nimda"


@pytest.fixture
def hostile_names(adam) -> None:
    """A person and a route whose names carry a right-to-left override, and the records that
    name them: their devices, what they did, where items were escalated."""
    staff = make_user("jo", "officer", full_name=spoofed("Jo Price"))
    StaticDevice.objects.create(user=staff, name="backup")
    route = EscalationRoute.objects.get(key="foi")
    route.name = spoofed("FOI")
    route.save()
    channel = ChannelFactory()
    item = open_item("When is the bin day?", channel=channel)
    Escalation.objects.create(
        comment=item,
        route=route,
        assignee=staff,
        deadline_at=timezone.now(),
        created_by_label=staff.label,
        created_at=timezone.now(),
    )
    Note.objects.create(comment=item, text="Called back", written_by_label=staff.label)
    ModerationAction.objects.create(
        channel=channel,
        comment=item,
        author=item.author,
        kind="hide",
        actor_label=staff.label,
        requested_at=timezone.now(),
    )
    Strike.objects.create(
        author=item.author, verb="hide", given_by_label=staff.label, given_at=timezone.now()
    )
    do_deactivate_user(staff, actor=adam)  # an audit event naming Jo, by and about a person


def test_every_admin_list_shows_names_with_tokens(adam, hostile_names) -> None:
    client = signed_in(Client(), adam)
    index = client.get("/django-admin/").content.decode()
    lists = sorted(set(CHANGELISTS.findall(index)))
    assert "/django-admin/accounts/user/" in lists
    assert "/django-admin/moderation/escalationroute/" in lists

    pages = {path: client.get(path).content.decode() for path in lists}

    raw = [
        f"{path}: …{html[max(0, m.start() - 60) : m.end() + 10]!r}"
        for path, html in pages.items()
        for m in BIDI_CONTROLS.finditer(html)
    ]
    assert raw == [], "\n".join(raw)
    assert f"Jo Price {TOKEN}nimda" in pages["/django-admin/accounts/user/"]
    assert f"FOI {TOKEN}nimda" in pages["/django-admin/moderation/escalationroute/"]
