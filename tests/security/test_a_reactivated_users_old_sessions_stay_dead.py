"""Deactivating someone ends their sessions for good: reactivating them later must not bring a
session that was open before (say, on a shared or stolen laptop) back to life."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.actions import do_deactivate_user, do_reactivate_user, do_reset_two_factor
from accounts.audit import SystemActor
from accounts.models import AuditEvent
from tests.helpers import signed_in

ADMIN = SystemActor.system("test")


@pytest.mark.django_db
def test_a_session_from_before_deactivation_is_dead_after_reactivation(olivia) -> None:
    old_laptop = signed_in(Client(), olivia)
    assert old_laptop.get("/queue/").status_code == 200
    do_deactivate_user(olivia, actor=ADMIN)
    do_reactivate_user(olivia, actor=ADMIN)
    response = old_laptop.get("/queue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert signed_in(Client(), olivia).get("/queue/").status_code == 200


@pytest.mark.django_db
def test_resetting_two_factor_ends_sessions_and_removes_every_device(maya) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    phone_thief = signed_in(Client(), maya)
    phone_thief.post("/accounts/backup-codes/")
    do_reset_two_factor(maya, actor=ADMIN)
    assert phone_thief.get("/queue/").status_code == 302
    assert not TOTPDevice.objects.filter(user=maya).exists()
    assert not StaticDevice.objects.filter(user=maya).exists()
    assert AuditEvent.objects.filter(event_type="accounts.two_factor.reset").exists()


@pytest.mark.django_db
def test_an_admin_resets_someones_two_factor_from_their_page(adam, maya) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    signed_in(Client(), maya)
    client = signed_in(Client(), adam)
    response = client.post(f"/accounts/users/{maya.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=maya).exists()
    event = AuditEvent.objects.get(event_type="accounts.two_factor.reset")
    assert event.actor_id == adam.pk
