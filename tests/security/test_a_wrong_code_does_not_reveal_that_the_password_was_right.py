"""Sign-in errors must not tell an attacker that the password they guessed was right."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import code_for

ERRORS = re.compile(rb'<div class="error-summary".*?</div>|<p class="field-error">.*?</p>', re.S)


def attempt(password: str, token: str) -> tuple[int, list[bytes]]:
    """The status and every error message the page shows."""
    response = Client().post(
        "/accounts/sign-in/", {"username": "maya", "password": password, "otp_token": token}
    )
    return response.status_code, ERRORS.findall(response.content)


@pytest.mark.django_db
def test_right_password_wrong_code_looks_like_wrong_password(maya) -> None:
    device = TOTPDevice.objects.create(user=maya, name="phone", confirmed=True)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    right_password = attempt(PASSWORD, wrong)
    wrong_password = attempt("not the password", wrong)
    no_code = attempt(PASSWORD, "")
    assert right_password == wrong_password == no_code
    assert right_password[0] == 401
    assert len(right_password[1]) == 1


@pytest.mark.django_db
def test_the_audit_log_keeps_the_real_reason_for_admins(maya) -> None:
    TOTPDevice.objects.create(user=maya, name="phone", confirmed=True)
    attempt(PASSWORD, "")
    event = AuditEvent.objects.get(event_type="accounts.user.sign_in_failed")
    assert "authentication code" in event.data["reason"]
