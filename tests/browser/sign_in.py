"""Signing a member of the cast in through the real sign-in page, in the browser, with an
authenticator code when their role needs one."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import requires_two_factor
from tests.factories import PASSWORD
from tests.helpers import code_for


def sign_in(page: Any, user: User) -> Any:
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    if requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        page.fill("input[name=otp_token]", code_for(device))
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")
    return page
