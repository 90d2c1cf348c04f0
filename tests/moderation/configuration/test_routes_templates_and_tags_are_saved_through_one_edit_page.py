"""Routes, reply templates and tags are added and edited through one edit page: each says what
it saved by the name it was given, with any direction control shown as a visible token."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.models import EscalationRoute, ReplyTemplate, Tag
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
NAME = "Bins \u202eevil"


@pytest.mark.parametrize(
    ("address", "data", "model"),
    [
        (
            "/settings/routes/new/",
            {"key": "bins", "email": "", "deadline_kind": "working_days", "deadline_amount": "5"},
            EscalationRoute,
        ),
        (
            "/settings/templates/new/",
            {"key": "bins", "body": "Thanks", "position": "0"},
            ReplyTemplate,
        ),
        ("/settings/tags/new/", {"key": "bins", "active": "on"}, Tag),
    ],
)
def test_a_new_one_is_saved_and_named_without_its_direction_controls(adam, address, data, model):
    response = signed_in(Client(), adam).post(address, {**data, "name": NAME})

    assert response.status_code == 302
    assert model.objects.get(key="bins").name == NAME
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Saved the ")
    assert "\u202e" not in message and "evil" in message


def test_editing_one_that_does_not_exist_is_not_found(adam) -> None:
    client = signed_in(Client(), adam)
    assert client.get("/settings/routes/999999/").status_code == 404
    assert client.get("/settings/templates/999999/").status_code == 404
    assert client.get("/settings/tags/999999/").status_code == 404
