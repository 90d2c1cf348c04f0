"""A session id planted in someone's browser before they open an emailed link gains nothing.

Found in testing: the invitation and set-up links keep their token in the session (so that it
leaves the address at once); a session id planted in the invitee's browser beforehand (cookie
tossing from a sibling subdomain, a shared kiosk) would then have held the token, and whoever
planted it could have chosen the invitee's password. Opening a link now gives the browser a new
session id; the planted one holds nothing.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import set_up_link
from accounts.actions import do_change_user_role
from accounts.audit import SystemActor
from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db
STORE = import_module(settings.SESSION_ENGINE).SessionStore


def _planted(victim: Client) -> str:
    """The attacker's own session id, put into the victim's browser."""
    session = STORE()
    session["planted"] = True
    session.save()
    assert session.session_key is not None
    victim.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def _attacker_with(key: str) -> Client:
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = key
    return attacker


def test_a_planted_session_cannot_choose_an_invitees_password() -> None:
    invitee = make_user("priya", "officer")
    invitee.set_unusable_password()
    invitee.save()
    uid = urlsafe_base64_encode(force_bytes(invitee.pk))
    token = default_token_generator.make_token(invitee)
    victim = Client()
    key = _planted(victim)

    assert victim.get(f"/accounts/set-password/{uid}/{token}/").status_code == 302

    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != key
    attacker = _attacker_with(key)
    response = attacker.post(
        "/accounts/set-password/", {"new_password1": "x" * 20, "new_password2": "x" * 20}
    )
    assert response.status_code == 400
    assert not User.objects.get(pk=invitee.pk).has_usable_password()


def test_a_planted_session_does_not_receive_a_set_up_link(olivia) -> None:
    do_change_user_role(olivia, "manager", actor=SystemActor.system("test"))
    uid = urlsafe_base64_encode(force_bytes(olivia.pk))
    token = set_up_link.tokens.make_token(olivia)
    victim = Client()
    key = _planted(victim)

    victim.get(f"/accounts/two-factor/enrol/{uid}/{token}/")

    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != key
    assert set_up_link.SESSION_KEY not in STORE(session_key=key).load()
