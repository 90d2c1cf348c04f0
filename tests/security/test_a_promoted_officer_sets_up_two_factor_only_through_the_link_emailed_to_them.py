"""An officer promoted to manager or admin sets up their authenticator only through a one-time
link emailed to them by the promotion, not with their password alone.

Found in testing: a promoted officer was sent to authenticator set-up at their next page, so
whoever held the officer's password (one factor) at that moment chose the manager's second factor.
Promotion now emails a set-up link, as an invitation does: set-up needs the password (sign-in)
and the link (the mailbox), and the link works until an authenticator is set up.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import AuditEvent, User
from tests.factories import PASSWORD
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import plain_static_files  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db
SET_UP = "/accounts/two-factor/"


def _promote(adam: User, person: User, on_commit: Any, role: str = "manager") -> str:
    """Promote ``person`` from adam's console; return the path of the set-up link emailed."""
    with on_commit(execute=True):
        response = signed_in(Client(), adam).post(f"/accounts/users/{person.pk}/", {"role": role})
    assert response.status_code == 302
    found = re.search(
        r"https?://[^/\s]+(/accounts/two-factor/enrol/\S+/)", str(mail.outbox[-1].body)
    )
    assert found is not None and mail.outbox[-1].to == [person.email]
    return found.group(1)


def _password_only(person: User) -> Client:
    client = Client()
    response = client.post(
        "/accounts/sign-in/", {"username": person.username, "password": PASSWORD, "otp_token": ""}
    )
    assert response.status_code == 302
    return client


def _confirm(client: Client) -> int:
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    return client.post(SET_UP, {"otp_token": code}).status_code


def test_the_password_alone_cannot_set_up_a_promoted_officers_authenticator(
    adam, olivia, django_capture_on_commit_callbacks
) -> None:
    _promote(adam, olivia, django_capture_on_commit_callbacks)
    mallory = _password_only(olivia)

    page = mallory.get(SET_UP)

    assert page.status_code == 403
    assert b"otpauth" not in page.content and b"secret" not in page.content
    assert two_factor.SETUP_KEY_SESSION_KEY not in mallory.session
    assert mallory.post(SET_UP, {"otp_token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=olivia).exists()
    assert mallory.get("/queue/").status_code == 302  # still only the second-factor step


def test_the_emailed_link_and_the_password_set_it_up_once(
    adam, olivia, django_capture_on_commit_callbacks
) -> None:
    link = _promote(adam, olivia, django_capture_on_commit_callbacks)
    browser = Client()

    opened = browser.get(link)
    assert opened.status_code == 302 and "enrol" not in opened["Location"]
    assert opened["Referrer-Policy"] == "no-referrer"
    browser.post(
        "/accounts/sign-in/", {"username": "olivia", "password": PASSWORD, "otp_token": ""}
    )
    assert browser.get(SET_UP).status_code == 200

    assert _confirm(browser) == 302
    assert TOTPDevice.objects.filter(user=olivia, confirmed=True).count() == 1
    assert browser.get("/queue/").status_code == 200
    assert Client().get(link).status_code == 400  # spent


def test_a_link_opened_in_one_persons_browser_does_not_serve_another(
    adam, olivia, django_capture_on_commit_callbacks
) -> None:
    link = _promote(adam, olivia, django_capture_on_commit_callbacks)
    other = User.objects.create_user("oscar", email="oscar@example.org", password=PASSWORD)
    _promote(adam, other, django_capture_on_commit_callbacks)
    browser = Client()
    browser.get(link)

    browser.post("/accounts/sign-in/", {"username": "oscar", "password": PASSWORD, "otp_token": ""})

    assert browser.get(SET_UP).status_code == 403


def test_an_officer_with_an_authenticator_is_promoted_without_a_link(
    adam, olivia, django_capture_on_commit_callbacks
) -> None:
    TOTPDevice.objects.create(user=olivia, name="phone", confirmed=True)

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(Client(), adam).post(f"/accounts/users/{olivia.pk}/", {"role": "manager"})

    assert mail.outbox == []
    olivia.refresh_from_db()
    assert not olivia.set_up_link_required


def test_the_admin_can_send_the_link_again_and_it_is_never_audited(
    adam, olivia, django_capture_on_commit_callbacks
) -> None:
    first = _promote(adam, olivia, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(Client(), adam).post(f"/accounts/users/{olivia.pk}/invite/")

    assert response.status_code == 302
    assert "/accounts/two-factor/enrol/" in mail.outbox[-1].body
    token = first.rstrip("/").rsplit("/", 1)[-1]
    logged = json.dumps([[e.before, e.after, e.data] for e in AuditEvent.objects.all()])
    assert token not in logged
    assert AuditEvent.objects.filter(event_type="accounts.two_factor.set_up_link_sent").count() == 2
