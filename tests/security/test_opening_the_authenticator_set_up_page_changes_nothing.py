"""Opening the set-up page must change nothing: no device is created or replaced, and nothing is
recorded, until the person confirms with a valid code from the key they were shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.factories import PASSWORD

KEY = re.compile(rb'<code class="secret">([A-Z2-7]+)</code>')


def password_only(username: str) -> Client:
    client = Client()
    client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    return client


def shown_key(client: Client) -> bytes:
    import base64

    response = client.get("/accounts/two-factor/")
    assert response.status_code == 200
    secret = KEY.search(response.content)
    assert secret is not None
    text = secret.group(1).decode()
    return base64.b32decode(text + "=" * (-len(text) % 8))


@pytest.mark.django_db
def test_opening_set_up_creates_no_device_and_records_nothing(maya) -> None:
    client = password_only("maya")
    events = AuditEvent.objects.count()
    shown_key(client)
    shown_key(client)
    assert not TOTPDevice.objects.filter(user=maya).exists()
    assert not StaticDevice.objects.filter(user=maya).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_opening_set_up_leaves_someone_elses_pending_device_alone(maya) -> None:
    pending = TOTPDevice.objects.create(user=maya, name="old", confirmed=False)
    shown_key(password_only("maya"))
    assert TOTPDevice.objects.filter(pk=pending.pk).exists()


@pytest.mark.django_db
def test_a_wrong_code_confirms_nothing(maya) -> None:
    client = password_only("maya")
    key = shown_key(client)
    right = f"{totp(key):06d}"
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/accounts/two-factor/", {"otp_token": wrong})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=maya).exists()


@pytest.mark.django_db
def test_the_right_code_for_the_shown_key_confirms_one_device(maya) -> None:
    client = password_only("maya")
    key = shown_key(client)
    response = client.post("/accounts/two-factor/", {"otp_token": f"{totp(key):06d}"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=maya)
    assert device.confirmed
    assert device.bin_key == key
    assert AuditEvent.objects.filter(
        event_type="accounts.two_factor.confirmed", actor=maya
    ).exists()
    assert client.get("/queue/").status_code == 200
