"""Live counts: the tabs poll every 10 seconds; changed counts and new items at the top of the
list are announced in a live region, once."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.models import Comment
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def test_the_queue_polls_the_counts_every_ten_seconds_with_a_live_region(olivia) -> None:
    open_item()
    html = signed_in(Client(), olivia).get("/queue/").content.decode()
    assert 'hx-trigger="every 10s"' in html
    assert 'hx-get="/queue/counts/?seen=review:1,held:0,escalated:0,mine:0,waiting:0,done:0' in html
    assert (
        '<div id="queue-announcer" class="visually-hidden" role="status" aria-live="polite">'
        in html
    )


def test_a_changed_count_is_announced(olivia) -> None:
    first = open_item(severity=2)
    open_item(severity=1)
    open_item(status=Comment.Status.HELD)
    client = signed_in(Client(), olivia)
    html = client.get(f"/queue/counts/?seen=review:1,held:0&top={first.pk}").content.decode()
    assert "to review 2 (was 1)" in html and "held 1 (was 0)" in html
    assert 'hx-swap-oob="innerHTML"' in html


def test_a_new_item_at_the_top_offers_to_refresh_and_is_announced_once(olivia) -> None:
    shown = open_item(severity=1)
    open_item(severity=5)
    client = signed_in(Client(), olivia)
    first_poll = client.get(f"/queue/counts/?seen=review:2&top={shown.pk}").content.decode()
    assert "New items have reached the top of this list." in first_poll
    assert "Show the latest" in first_poll
    second_poll = client.get(
        f"/queue/counts/?seen=review:2&top={shown.pk}&notified=1"
    ).content.decode()
    assert "Show the latest" in second_poll
    assert (
        "New items have reached the top of this list."
        not in second_poll.split("Show the latest")[1]
    )


def test_nothing_changed_means_nothing_announced(olivia) -> None:
    only = open_item()
    html = (
        signed_in(Client(), olivia)
        .get(f"/queue/counts/?seen=review:1&top={only.pk}")
        .content.decode()
    )
    assert '<div id="queue-announcer" hx-swap-oob="innerHTML"></div>' in html


def test_counts_stop_at_a_cap_and_say_so(olivia, monkeypatch) -> None:
    monkeypatch.setattr("moderation.console.queries.COUNT_CAP", 2)
    for _ in range(3):
        open_item()
    html = signed_in(Client(), olivia).get("/queue/counts/").content.decode()
    assert "2+" in html
