"""One address cannot try a common password on every username (password spraying).

Found in testing: django-axes locks a username at one address after five failures, and nothing
else, so one address could try four passwords an hour on every username there is, without end.
An address with ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures (any usernames, known or not) within
``LOGIN_LOCKOUT_MINUTES`` is now refused for every username; other addresses are not affected,
so it still cannot lock anyone out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ATTACKER = {"REMOTE_ADDR": "203.0.113.5"}
COLLEAGUE = {"REMOTE_ADDR": "198.51.100.7"}


def sign_in(username: str, password: str, **meta: Any) -> int:
    response = Client(**meta).post(
        "/accounts/sign-in/", {"username": username, "password": password}
    )
    return response.status_code


@pytest.fixture
def limit(settings) -> int:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    return 12


def test_spraying_one_password_over_many_usernames_stops_that_address(olivia, limit) -> None:
    for n in range(limit):
        assert sign_in(f"user{n}", "Winter2026!", **ATTACKER) == 401

    assert sign_in("olivia", PASSWORD, **ATTACKER) == 429
    assert AuditEvent.objects.filter(
        event_type="accounts.user.sign_in_failed",
        data__reason="too many failures from this address",
    ).exists()


def test_other_addresses_still_sign_in(olivia, limit) -> None:
    for n in range(limit + 3):
        sign_in(f"user{n}", "Winter2026!", **ATTACKER)

    assert sign_in("olivia", PASSWORD, **COLLEAGUE) == 302


def test_fewer_failures_than_the_limit_stop_nobody(olivia, limit) -> None:
    for n in range(limit - 1):
        sign_in(f"user{n}", "Winter2026!", **ATTACKER)

    assert sign_in("olivia", PASSWORD, **ATTACKER) == 302
