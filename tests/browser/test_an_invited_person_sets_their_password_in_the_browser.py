"""An invited person opens the emailed link in Chromium and sets their password.

Found trying the invitation as a user: with ``Referrer-Policy: no-referrer`` on the form's
page, Chromium sends ``Origin: null`` with the form, and Django's CSRF check refused every
password (403). Only the link's own answer, whose address holds the token, needs no-referrer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-and-unusual-passphrase-2026"


def test_an_invited_person_sets_their_password_in_the_browser(page: Any) -> None:
    invited = User.objects.create_user(username="nina", email="nina@example.org")
    invited.set_unusable_password()
    invited.save()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)

    page.goto(f"/accounts/set-password/{uid}/{token}/")
    assert token not in page.url
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/sign-in/**")

    assert User.objects.get(pk=invited.pk).check_password(NEW_PASSWORD)
