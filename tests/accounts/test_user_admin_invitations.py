"""Inviting someone: an account with no usable password, an email with a one-use link to set
it, and the invitation audited without its token."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AuditEvent, User
from accounts.roles import role_of
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import plain_static_files  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db

INVITE = {
    "username": "priya",
    "full_name": "Priya Raman",
    "email": "priya@example.gov.uk",
    "role": "officer",
}


def _invite(client: Client, on_commit: Any) -> str:
    """Invite Priya (the email goes after commit); return the path of the link in it."""
    with on_commit(execute=True):
        response = client.post("/accounts/users/", INVITE)
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/set-password/\S+/)", str(mail.outbox[-1].body))
    assert link is not None
    return link.group(1)


@pytest.fixture
def admin_client(adam) -> Client:
    return signed_in(Client(), adam)


def test_an_invited_person_gets_an_account_without_a_password_and_an_email(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    _invite(admin_client, django_capture_on_commit_callbacks)

    priya = User.objects.get(username="priya")
    assert role_of(priya) == "officer"
    assert not priya.has_usable_password()
    assert mail.outbox[-1].to == ["priya@example.gov.uk"]
    assert "priya" in mail.outbox[-1].body


def test_the_link_sets_a_password_once(admin_client, django_capture_on_commit_callbacks) -> None:
    link = _invite(admin_client, django_capture_on_commit_callbacks)
    visitor = Client()
    password = "a long and unusual passphrase 42"

    page = visitor.get(link, follow=True)
    assert page.status_code == 200
    response = visitor.post(
        "/accounts/set-password/", {"new_password1": password, "new_password2": password}
    )

    assert response.status_code == 302
    assert User.objects.get(username="priya").check_password(password)
    assert visitor.get(link).status_code == 400
    assert AuditEvent.objects.filter(event_type="accounts.user.password_set").exists()


def test_the_invitation_is_audited_without_its_token(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    link = _invite(admin_client, django_capture_on_commit_callbacks)

    token = link.rstrip("/").rsplit("/", 1)[-1]
    logged = json.dumps([[e.before, e.after, e.data] for e in AuditEvent.objects.all()])
    assert token not in logged
    event = AuditEvent.objects.get(event_type="accounts.user.invited")
    assert event.data == {"email": "priya@example.gov.uk"}


def test_a_taken_username_is_refused(admin_client, olivia) -> None:
    response = admin_client.post("/accounts/users/", {**INVITE, "username": "OLIVIA"})
    assert response.status_code == 400
    assert b"already has this username" in response.content


def test_a_tampered_link_is_refused() -> None:
    assert Client().get("/accounts/set-password/MQ/not-a-token/").status_code == 400
