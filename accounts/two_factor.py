"""Second factors: an authenticator app (TOTP) and backup codes (django-otp static tokens).

``verify_code`` is the one check sign-in and the second-factor step use. Authenticator codes are
tried first; a backup code is spent only through ``do_use_backup_code``, which audits its use.
"""

from __future__ import annotations

import base64

from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.actions import do_use_backup_code
from accounts.models import User

SETUP_KEY_SESSION_KEY = "two_factor_setup_key"


def has_second_factor(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device is not None else 0


def verify_code(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts ``code`` (an authenticator code or a backup code), or None."""
    code = code.strip().replace(" ", "")
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return do_use_backup_code(code, actor=user)


def setup_key(request: HttpRequest) -> str:
    """The key offered on the set-up page, kept in the session (not the database) until the
    person proves it with a code, so that opening the page changes nothing."""
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY_SESSION_KEY] = key
    return str(key)


def setup_code_is_right(key: str, code: str) -> bool:
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return False
    totp = TOTP(bytes.fromhex(key))
    return bool(totp.verify(int(code), tolerance=1))


def base32_of(key: str) -> str:
    return base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
