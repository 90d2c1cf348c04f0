"""/django-admin/login/ used to sign a superuser in with a password alone: no second factor,
no throttle, no audit event. Admin sign-in now goes through the console's own sign-in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.models import AuditEvent
from tests.factories import PASSWORD, make_user


@pytest.fixture
def root(db: None):
    user = make_user("root", "admin")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.mark.django_db
def test_posting_a_password_to_the_admin_login_signs_nobody_in(root) -> None:
    client = Client()
    client.post(
        "/django-admin/login/?next=/django-admin/", {"username": "root", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/sign-in/")


@pytest.mark.django_db
def test_the_admin_login_page_sends_people_to_the_console_sign_in(root) -> None:
    response = Client().get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/django-admin/"]


@pytest.mark.django_db
def test_a_wrong_password_for_the_admin_is_audited_on_the_console_sign_in(root) -> None:
    Client().post("/accounts/sign-in/?next=/django-admin/", {"username": "root", "password": "x"})
    assert AuditEvent.objects.filter(
        event_type="accounts.user.sign_in_failed", data__username="root"
    ).exists()
