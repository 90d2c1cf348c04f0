"""Sign-in throttling locks a username at one client address (django-axes), not a whole address
or a whole account: behind the reverse proxy every client shared the proxy's address, so 20
failures from anyone locked everyone out. The client's address is read from X-Forwarded-For only
when the request comes from a configured trusted proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent
from tests.factories import PASSWORD

PROXY = "10.0.0.1"


def sign_in(username: str, password: str, **meta: Any) -> int:
    response = Client(**meta).post(
        "/accounts/sign-in/", {"username": username, "password": password}
    )
    return response.status_code


@pytest.fixture
def behind_the_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 5


@pytest.mark.django_db
def test_a_spray_through_the_proxy_does_not_lock_out_other_people(olivia, behind_the_proxy) -> None:
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for n in range(25):
        sign_in(f"user{n}", "guess", **attacker)
    colleague = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert sign_in("olivia", PASSWORD, **colleague) == 302


@pytest.mark.django_db
def test_guessing_someones_password_does_not_lock_them_out_elsewhere(
    olivia, behind_the_proxy
) -> None:
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(6):
        sign_in("olivia", "guess", **attacker)
    assert sign_in("olivia", PASSWORD, **attacker) == 429
    olivia_at_her_desk = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert sign_in("olivia", PASSWORD, **olivia_at_her_desk) == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_from_anyone_else_is_ignored(olivia, settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(6):
        sign_in("olivia", "guess", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert (
        sign_in("olivia", PASSWORD, REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="1.2.3.4") == 429
    )


@pytest.mark.django_db
def test_a_wrong_second_factor_code_counts_as_a_failure(maya, settings) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.AXES_FAILURE_LIMIT = 3
    TOTPDevice.objects.create(user=maya, name="phone", confirmed=True)
    for _ in range(3):
        Client().post(
            "/accounts/sign-in/", {"username": "maya", "password": PASSWORD, "otp_token": "x"}
        )
    assert sign_in("maya", PASSWORD) == 429


@pytest.mark.django_db
def test_sign_in_and_its_throttle_work_without_redis(olivia, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.AXES_FAILURE_LIMIT = 3
    assert sign_in("olivia", PASSWORD) == 302
    for _ in range(2):
        assert sign_in("olivia", "guess") == 401
    assert sign_in("olivia", "guess") == 429  # the third failure locks
    assert sign_in("olivia", PASSWORD) == 429


@pytest.mark.django_db
def test_every_failure_and_the_lockout_are_audited(olivia, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        sign_in("olivia", "guess")
    reasons = list(
        AuditEvent.objects.filter(event_type="accounts.user.sign_in_failed")
        .order_by("id")
        .values_list("data__reason", flat=True)
    )
    assert reasons[0] == "wrong username or password"
    assert reasons[1].startswith("wrong username or password")
    assert "locked" in reasons[2]
