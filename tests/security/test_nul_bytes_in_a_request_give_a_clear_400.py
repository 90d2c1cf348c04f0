"""A NUL byte in a query parameter or form field used to reach PostgreSQL and come back as a 500
(e.g. /escalations/?route=%00). It is refused with a 400 that says why, on every page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import signed_in

PAGES = [
    "/escalations/?route=%00",
    "/queue/?q=%00",
    "/queue/?tab=%00",
    "/audit/?event_type=a%00b",
    "/reports/?channel=%00",
    "/accounts/users/?%00=1",
    "/rules/?x=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_nul_in_a_query_parameter_is_a_400(adam, path: str) -> None:
    client = signed_in(Client(raise_request_exception=False), adam)
    response = client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.django_db
def test_a_nul_in_a_sign_in_form_field_is_a_400(olivia) -> None:
    response = Client(raise_request_exception=False).post(
        "/accounts/sign-in/", {"username": "olivia\x00", "password": "x"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_in_a_console_form_is_a_400(adam) -> None:
    client = signed_in(Client(raise_request_exception=False), adam)
    response = client.post(
        "/accounts/users/",
        {"username": "new\x00", "full_name": "N", "email": "n@example.org", "role": "officer"},
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordinary_requests_pass(adam) -> None:
    client = signed_in(Client(), adam)
    assert client.get("/escalations/?route=foi").status_code == 200
