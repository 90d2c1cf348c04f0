"""Helpers shared by tests: signing a member of the cast in through the real sign-in page,
reading a streamed response, and changing the audit table behind the application's back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from django.db import connection
from django.http import HttpResponseBase, StreamingHttpResponse
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


def streamed(response: HttpResponseBase) -> bytes:
    """The whole body of a streaming response (the CSV exports stream theirs)."""
    assert isinstance(response, StreamingHttpResponse)
    return response.getvalue()


def export(client: Client, path: str, query: Mapping[str, str] | None = None) -> HttpResponseBase:
    """Take an export as its page's form does: a POST, with the filters in the address."""
    if not query:
        return client.post(path)
    return client.post(f"{path}{'&' if '?' in path else '?'}{urlencode(query)}")


def as_the_table_owner(sql: str, params: Sequence[str | int] | None = None) -> None:
    """Change the audit table as someone with the owner role might: triggers off, SQL, back on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER USER")
