from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_the_account_is_paused_after_five_failures_even_with_the_right_password(
    olivia,
    settings,
) -> None:
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(4):
        assert (
            client.post("/accounts/sign-in/", {"username": "olivia", "password": "x"}).status_code
            == 401
        )
    # The fifth failure is refused with the lockout page (django-axes locks at the limit).
    assert (
        client.post("/accounts/sign-in/", {"username": "olivia", "password": "x"}).status_code
        == 429
    )
    response = client.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content


@pytest.mark.django_db
def test_a_success_before_the_limit_clears_the_count(olivia, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        client.post("/accounts/sign-in/", {"username": "olivia", "password": "x"})
    assert (
        client.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD}).status_code
        == 302
    )
    other = Client()
    for _ in range(2):
        other.post("/accounts/sign-in/", {"username": "olivia", "password": "x"})
    assert (
        other.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_a_session_ends_after_thirty_minutes_of_inactivity(olivia) -> None:
    client = Client()
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False) as traveller:
        client.post("/accounts/sign-in/", {"username": "olivia", "password": PASSWORD})
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get("/queue/").status_code == 200  # activity pushes the expiry forward
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/queue/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        assert client.get("/queue/").status_code == 302
