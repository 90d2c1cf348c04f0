"""An invitation's token is in the address for one request only, and never in a Referer.

Found in testing: the set-password page kept the token in its address for as long as the person
took (its form posted back to it, an error re-rendered it), so it was written to the access log
and any proxy's log at each step and was in the address bar to be copied or sent on. The first
visit now keeps the token in the session and sends the browser to a token-free address, with
``Referrer-Policy: no-referrer`` on the link's answer (the form's page keeps the site's
same-origin policy: no token is in its address, and no-referrer there broke the form in
Chromium); the token still works once and expires.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db
FORM_PAGE = "/accounts/set-password/"
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def invited() -> User:
    user = make_user("priya", "officer")
    user.set_unusable_password()
    user.save()
    return user


def _link(user: User) -> tuple[str, str]:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/set-password/{uid}/{token}/", token


def test_the_first_visit_moves_the_token_out_of_the_address(invited: User) -> None:
    visitor = Client()
    link, token = _link(invited)

    response = visitor.get(link)

    assert response.status_code == 302
    assert response["Location"] == FORM_PAGE
    assert response["Referrer-Policy"] == "no-referrer"
    page = visitor.get(FORM_PAGE)
    assert page.status_code == 200
    # The form's address holds no token; no-referrer there made Chromium send "Origin: null"
    # with the form and the CSRF check refused it (tests/browser: an invited person sets …).
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"].startswith("no-store")
    assert token not in page.content.decode()
    assert not re.search(r'action="[^"]*/set-password/[^"]+/', page.content.decode())


def test_the_password_is_set_on_the_token_free_page_and_the_link_is_spent(invited: User) -> None:
    visitor = Client()
    link, _ = _link(invited)
    visitor.get(link)

    response = visitor.post(FORM_PAGE, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 302
    assert User.objects.get(pk=invited.pk).check_password(PASSWORD)
    assert visitor.get(FORM_PAGE).status_code == 400
    assert Client().get(link).status_code == 400


def test_the_token_free_page_does_nothing_without_a_visit_to_the_link(invited: User) -> None:
    stranger = Client()

    assert stranger.get(FORM_PAGE).status_code == 400
    response = stranger.post(FORM_PAGE, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 400
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_the_link_itself_takes_no_form(invited: User) -> None:
    link, _ = _link(invited)

    response = Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 405
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_a_bad_link_is_refused_without_a_referrer(invited: User) -> None:
    response = Client().get("/accounts/set-password/MQ/not-a-token/")

    assert response.status_code == 400
    assert response["Referrer-Policy"] == "no-referrer"
    # The tab says what happened, not "Choose your password" (a set-up link shares the page).
    assert "<title>This link no longer works" in response.content.decode()
