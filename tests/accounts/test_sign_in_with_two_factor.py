from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.factories import PASSWORD


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, username: str, token: str = "") -> int:
    response = client.post(
        "/accounts/sign-in/", {"username": username, "password": PASSWORD, "otp_token": token}
    )
    return response.status_code


@pytest.mark.django_db
def test_an_officer_without_an_authenticator_signs_in_with_a_password(olivia) -> None:
    client = Client()
    assert sign_in(client, "olivia") == 302
    assert client.get("/queue/").status_code == 200
    assert AuditEvent.objects.filter(event_type="accounts.user.signed_in", actor=olivia).exists()


@pytest.mark.django_db
def test_a_manager_without_an_authenticator_must_set_one_up_first(maya) -> None:
    client = Client()
    assert sign_in(client, "maya") == 302
    response = client.get("/queue/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
    setup = client.get("/accounts/two-factor/")
    assert b"Set up two-factor sign-in" in setup.content
    shown = re.search(rb'<code class="secret">([A-Z2-7]+)</code>', setup.content)
    assert shown is not None
    key = base64.b32decode(shown.group(1) + b"=" * (-len(shown.group(1)) % 8))
    assert (
        client.post("/accounts/two-factor/", {"otp_token": f"{totp(key):06d}"}).status_code == 302
    )
    device = TOTPDevice.objects.get(user=maya)
    assert device.confirmed
    assert client.get("/queue/").status_code == 200


@pytest.mark.django_db
def test_a_manager_with_an_authenticator_needs_the_right_code(maya) -> None:
    device = TOTPDevice.objects.create(user=maya, name="phone", confirmed=True)
    client = Client()
    assert sign_in(client, "maya", code_for(device)) == 302
    assert client.get("/queue/").status_code == 200
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert sign_in(Client(), "maya", wrong) == 401
    assert sign_in(Client(), "maya", "") == 401


@pytest.mark.django_db
def test_a_wrong_password_is_refused_and_audited(olivia) -> None:
    response = Client().post("/accounts/sign-in/", {"username": "olivia", "password": "nope"})
    assert response.status_code == 401
    assert b"Sign-in failed" in response.content
    event = AuditEvent.objects.get(event_type="accounts.user.sign_in_failed")
    assert event.data["username"] == "olivia"
    assert event.data["reason"] == "wrong username or password"
