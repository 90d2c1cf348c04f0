"""Personal data: officers see it masked everywhere; a manager may reveal it, and revealing is an
audited action."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.actions import ActionRefused, do_reveal_personal_data
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

TEXT = "my number is 07700 900123 call me"
SPAN = (13, 25)


def test_an_officer_sees_the_number_masked_on_the_item_and_in_the_queue(olivia) -> None:
    item = open_item(TEXT, category="personal_data", spans=[SPAN])
    client = signed_in(Client(), olivia)
    for url in (f"/queue/{item.pk}/", "/queue/"):
        html = client.get(url).content.decode()
        assert "07700" not in html
        assert "[personal data hidden]" in html
    assert "Your role cannot reveal it" in client.get(f"/queue/{item.pk}/").content.decode()


def test_an_officer_cannot_reveal(olivia) -> None:
    item = open_item(TEXT, category="personal_data", spans=[SPAN])
    with pytest.raises(ActionRefused):
        do_reveal_personal_data(item, actor=olivia)
    signed_in(Client(), olivia).post(f"/queue/{item.pk}/reveal/")
    assert not AuditEvent.objects.filter(
        event_type="moderation.comment.personal_data_revealed"
    ).exists()


def test_a_manager_sees_it_masked_until_revealing_which_is_audited(maya) -> None:
    item = open_item(TEXT, category="personal_data", spans=[SPAN])
    client = signed_in(Client(), maya)
    assert "07700" not in client.get(f"/queue/{item.pk}/").content.decode()
    client.post(f"/queue/{item.pk}/reveal/")
    assert "07700 900123" in client.get(f"/queue/{item.pk}/").content.decode()
    event = AuditEvent.objects.get(event_type="moderation.comment.personal_data_revealed")
    assert event.actor == maya and event.target_id == str(item.pk)
