"""A lost phone must not lock an admin out: backup codes (django-otp static tokens) are made in
the console, shown once, work once each at sign-in, and every use is in the audit log."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import signed_in

CODE = re.compile(rb'<li><code class="backup-code">([a-z0-9]+)</code></li>')


def generate(client: Client) -> list[str]:
    response = client.post("/accounts/backup-codes/")
    assert response.status_code == 200
    return [c.decode() for c in CODE.findall(response.content)]


@pytest.mark.django_db
def test_an_admin_generates_ten_codes_shown_once(adam) -> None:
    client = signed_in(Client(), adam)
    codes = generate(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    again = client.get("/accounts/backup-codes/")
    assert again.status_code == 200
    assert not any(code.encode() in again.content for code in codes)
    assert b"10 backup codes left" in again.content
    event = AuditEvent.objects.get(event_type="accounts.two_factor.backup_codes_generated")
    assert event.data == {"count": 10}
    assert not any(code in str(event.data) for code in codes)


@pytest.mark.django_db
def test_regenerating_replaces_every_earlier_code(adam) -> None:
    client = signed_in(Client(), adam)
    first = generate(client)
    second = generate(client)
    assert not set(first) & set(second)
    assert StaticToken.objects.filter(device__user=adam).count() == 10


@pytest.mark.django_db
def test_a_backup_code_signs_in_once_and_its_use_is_audited(adam) -> None:
    codes = generate(signed_in(Client(), adam))
    phone_lost = Client()
    response = phone_lost.post(
        "/accounts/sign-in/", {"username": "adam", "password": PASSWORD, "otp_token": codes[0]}
    )
    assert response.status_code == 302
    assert phone_lost.get("/accounts/users/").status_code == 200
    used = AuditEvent.objects.get(event_type="accounts.two_factor.backup_code_used")
    assert used.actor_id == adam.pk
    assert used.data == {"remaining": 9}
    replay = Client().post(
        "/accounts/sign-in/", {"username": "adam", "password": PASSWORD, "otp_token": codes[0]}
    )
    assert replay.status_code == 401


@pytest.mark.django_db
def test_a_backup_code_works_on_the_second_factor_step_too(adam) -> None:
    codes = generate(signed_in(Client(), adam))
    client = Client()
    # Password first (an old bookmark's form without the code), then the second-factor step.
    assert (
        client.post("/accounts/sign-in/", {"username": "adam", "password": PASSWORD}).status_code
        == 401
    )
    client.force_login(adam)
    response = client.post("/accounts/two-factor/", {"otp_token": codes[1]})
    assert response.status_code == 302
    assert client.get("/accounts/users/").status_code == 200
    assert AuditEvent.objects.filter(event_type="accounts.two_factor.backup_code_used").count() == 1
