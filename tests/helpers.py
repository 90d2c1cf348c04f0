"""Helpers shared by view tests: signing a member of the cast in through the real sign-in page."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import requires_two_factor
from tests.factories import PASSWORD


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def signed_in(client: Client, user: User) -> Client:
    """Sign ``user`` in with their password, and a TOTP code when their role needs one.

    Each call gives the user a fresh authenticator, so signing the same person in twice within
    one 30-second step does not trip django-otp's refusal to accept a code twice.
    """
    token = ""
    if requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
        token = code_for(device)
    response = client.post(
        "/accounts/sign-in/", {"username": user.username, "password": PASSWORD, "otp_token": token}
    )
    assert response.status_code == 302, f"sign-in failed for {user.username}"
    return client
