"""After an admin resets someone's two-factor sign-in (a lost phone), the new authenticator is
set up through the link emailed to them, not with their password alone.

Found in testing: after a reset the person "set up again at their next sign-in", so whoever held
a manager's password (the one factor left) at that moment chose the new second factor; someone
who had phished a manager's password only needed them to lose their phone. The reset now sends
the same one-time set-up link a promotion does.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import PASSWORD
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import plain_static_files  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db
SET_UP = "/accounts/two-factor/"


def _password_only(client: Client, person: User) -> Client:
    client.post(
        "/accounts/sign-in/", {"username": person.username, "password": PASSWORD, "otp_token": ""}
    )
    return client


def test_a_reset_managers_password_alone_gets_no_authenticator_key(
    adam, maya, django_capture_on_commit_callbacks
) -> None:
    signed_in(Client(), maya)  # she has an authenticator, then loses her phone
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(Client(), adam).post(f"/accounts/users/{maya.pk}/two-factor/reset/")

    mallory = _password_only(Client(), maya)

    assert mallory.get(SET_UP).status_code == 403
    assert not TOTPDevice.objects.filter(user=maya).exists()
    link = re.search(
        r"https?://[^/\s]+(/accounts/two-factor/enrol/\S+/)", str(mail.outbox[-1].body)
    )
    assert link is not None and mail.outbox[-1].to == [maya.email]
    maya_browser = Client()
    maya_browser.get(link.group(1))
    assert _password_only(maya_browser, maya).get(SET_UP).status_code == 200


def test_a_reset_from_the_django_admin_sends_the_link_too(
    adam, maya, django_capture_on_commit_callbacks
) -> None:
    TOTPDevice.objects.create(user=maya, name="phone", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(Client(), adam).post(
            "/django-admin/accounts/user/",
            {"action": "reset_two_factor", "_selected_action": [maya.pk]},
        )

    maya.refresh_from_db()
    assert maya.set_up_link_required
    assert "/accounts/two-factor/enrol/" in mail.outbox[-1].body
