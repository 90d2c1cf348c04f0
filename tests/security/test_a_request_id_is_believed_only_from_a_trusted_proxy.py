"""The audit log records each event's request id. A client's own X-Request-ID used to be written
as given; it is now believed only from a trusted proxy, and only if it looks like an id."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent

GENERATED = re.compile(r"^[0-9a-f]{32}$")


def failed_sign_in(**meta: Any) -> tuple[str, str]:
    response = Client().post("/accounts/sign-in/", {"username": "x", "password": "y"}, **meta)
    event = AuditEvent.objects.filter(event_type="accounts.user.sign_in_failed").latest("id")
    return response["X-Request-ID"], event.request_id


@pytest.mark.django_db
def test_a_clients_own_request_id_is_replaced(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    header, recorded = failed_sign_in(HTTP_X_REQUEST_ID="blame-someone-else")
    assert GENERATED.match(header)
    assert recorded == header


@pytest.mark.django_db
def test_a_trusted_proxys_request_id_is_kept(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    header, recorded = failed_sign_in(REMOTE_ADDR="10.0.0.1", HTTP_X_REQUEST_ID="edge-7f3a.2")
    assert header == recorded == "edge-7f3a.2"


@pytest.mark.django_db
def test_a_malformed_id_even_from_the_proxy_is_replaced(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    header, recorded = failed_sign_in(REMOTE_ADDR="10.0.0.1", HTTP_X_REQUEST_ID="a b<script>")
    assert GENERATED.match(header)
    assert recorded == header
