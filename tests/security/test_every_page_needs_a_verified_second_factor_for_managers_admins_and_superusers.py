"""A password alone must not reach anything but sign-in, the second-factor step, authenticator
set-up and sign-out, for the roles that need two-factor sign-in and for every superuser."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent, User
from tests.factories import PASSWORD, make_user

# Pages a signed-in admin reaches once verified; none of them may open before.
GUARDED = [
    "/accounts/users/",
    "/queue/",
    "/rules/",
    "/settings/",
    "/audit/",
    "/django-admin/",
    "/accounts/backup-codes/",
]


def password_only(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", GUARDED)
def test_an_admin_without_an_authenticator_reaches_set_up_only(adam, path: str) -> None:
    client = password_only("adam")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


@pytest.mark.django_db
def test_an_unverified_admin_cannot_invite_an_admin(adam) -> None:
    client = password_only("adam")
    response = client.post(
        "/accounts/users/",
        {"username": "mallory", "full_name": "Mallory", "email": "m@example.org", "role": "admin"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert not User.objects.filter(username="mallory").exists()
    assert not AuditEvent.objects.filter(event_type="accounts.user.created").exists()


@pytest.mark.django_db
def test_an_unverified_admin_cannot_change_a_role(adam, olivia) -> None:
    client = password_only("adam")
    response = client.post(f"/accounts/users/{olivia.pk}/", {"role": "admin"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert not olivia.groups.filter(name="admin").exists()


@pytest.mark.django_db
def test_a_superuser_with_an_officers_role_still_needs_a_second_factor() -> None:
    user = make_user("root", "officer")
    user.is_superuser = True
    user.save()
    client = password_only("root")
    response = client.get("/queue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/accounts/two-factor/"])
def test_sign_in_and_the_second_factor_step_stay_open(adam, path: str) -> None:
    client = password_only("adam")
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_sign_out_stays_open(adam) -> None:
    client = password_only("adam")
    assert client.post("/accounts/sign-out/").status_code == 302
    assert "_auth_user_id" not in client.session
