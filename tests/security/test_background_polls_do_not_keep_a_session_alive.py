"""Idle sign-out: 30 minutes without an action by the person ends the session, even while a
console tab keeps polling in the background (htmx live counts, outbox and backtest progress)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.factories import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POLL: dict[str, Any] = {"HTTP_HX_REQUEST": "true", "HTTP_X_BACKGROUND_POLL": "true"}


@pytest.mark.django_db
def test_polling_every_minute_does_not_keep_an_idle_session_alive(olivia) -> None:
    client = Client()
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False) as traveller:
        client.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD})
        assert client.get("/queue/").status_code == 200
        for _ in range(31):
            traveller.shift(dt.timedelta(minutes=1))
            client.get("/queue/counts/", **POLL)
        response = client.get("/queue/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
def test_a_poll_after_the_idle_limit_sends_the_page_to_sign_in(olivia) -> None:
    client = Client()
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False) as traveller:
        client.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD})
        client.get("/queue/")
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/queue/counts/", **POLL)
        assert response["HX-Redirect"].startswith("/accounts/sign-in/")
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_action_by_the_person_keeps_the_session_alive(olivia) -> None:
    client = Client()
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False) as traveller:
        client.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD})
        for _ in range(4):
            traveller.shift(dt.timedelta(minutes=20))
            # A click that htmx sends (no background marker) is the person acting.
            assert client.get("/queue/counts/", HTTP_HX_REQUEST="true").status_code == 200
        assert client.get("/queue/").status_code == 200


def test_every_polling_element_marks_its_requests_as_background() -> None:
    polling = re.compile(r"<[^>]*hx-trigger=\"[^\"]*every [^>]*>", re.S)
    found = 0
    for template in TEMPLATES.rglob("*.html"):
        for element in polling.findall(template.read_text()):
            found += 1
            assert """hx-headers='{"X-Background-Poll": "true"}'""" in element, template
    assert found >= 3
