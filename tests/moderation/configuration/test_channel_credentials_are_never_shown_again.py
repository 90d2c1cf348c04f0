"""Credentials are typed once into password fields, encrypted, and never shown again: not in any
page, not in the audit log (which names the keys only). Re-entering replaces them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.credentials import decrypt_credentials
from moderation.models import Channel
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

SECRET = "EAAG-very-secret-token-5f1c"
APP_SECRET = "app-secret-9d2e"
NEW_SECRET = "EAAG-replacement-token-77aa"


def _connect(client: Client) -> Channel:
    response = client.post(
        "/settings/channels/new/",
        {
            "platform": "facebook",
            "account_id": "104857200318842",
            "name": "Exampleshire County Council",
            "nation": "wales",
            "hours_start": "08:30",
            "hours_end": "18:00",
            "hours_days": ["0", "1", "2", "3", "4", "5"],
            "response_target_minutes": "120",
            "poll_interval_seconds": "60",
            "backfill_days": "7",
            "enabled": "on",
            "access_token": SECRET,
            "app_secret": APP_SECRET,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return Channel.objects.get(account_id="104857200318842")


def _every_audit_event_as_text() -> str:
    return json.dumps(
        [[e.target_repr, e.before, e.after, e.data] for e in AuditEvent.objects.order_by("id")]
    )


def test_connecting_a_channel_stores_its_settings_and_encrypted_credentials(adam) -> None:
    channel = _connect(signed_in(Client(), adam))

    assert channel.nation == "wales"
    assert channel.hours_days == "012345"
    assert channel.response_target_minutes == 120
    assert SECRET not in channel.credentials
    assert decrypt_credentials(channel.credentials) == {
        "access_token": SECRET,
        "app_secret": APP_SECRET,
    }


def test_no_page_shows_a_credential_after_it_is_entered(adam) -> None:
    client = signed_in(Client(), adam)
    channel = _connect(client)

    for page in ("/settings/", "/settings/channels/", f"/settings/channels/{channel.pk}/"):
        content = client.get(page).content.decode()
        assert SECRET not in content, page
        assert APP_SECRET not in content, page
    edit_page = client.get(f"/settings/channels/{channel.pk}/").content.decode()
    assert "Set on" in edit_page
    assert 'type="password"' in edit_page


def test_the_audit_log_names_the_credential_keys_but_never_their_values(adam) -> None:
    client = signed_in(Client(), adam)
    channel = _connect(client)

    client.post(f"/settings/channels/{channel.pk}/credentials/", {"access_token": NEW_SECRET})

    logged = _every_audit_event_as_text()
    for secret in (SECRET, APP_SECRET, NEW_SECRET):
        assert secret not in logged
    replaced = AuditEvent.objects.get(event_type="moderation.channel.credentials_replaced")
    assert replaced.before == {"login_keys": ["access_token", "app_secret"]}
    assert replaced.after == {"login_keys": ["access_token"]}


def test_re_entering_credentials_replaces_all_of_them(adam) -> None:
    client = signed_in(Client(), adam)
    channel = _connect(client)

    response = client.post(
        f"/settings/channels/{channel.pk}/credentials/", {"access_token": NEW_SECRET}
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert decrypt_credentials(channel.credentials) == {"access_token": NEW_SECRET}
    assert NEW_SECRET not in client.get(response["Location"]).content.decode()


def test_an_empty_replacement_is_refused_and_keeps_the_old_credentials(adam) -> None:
    client = signed_in(Client(), adam)
    channel = _connect(client)

    response = client.post(f"/settings/channels/{channel.pk}/credentials/", {"access_token": " "})

    assert response.status_code == 400
    assert b"Enter at least one credential" in response.content
    channel.refresh_from_db()
    assert decrypt_credentials(channel.credentials)["access_token"] == SECRET


def test_a_refresh_token_needs_the_client_id_and_is_then_stored(adam) -> None:
    client = signed_in(Client(), adam)
    channel = _connect(client)
    url = f"/settings/channels/{channel.pk}/credentials/"

    refused = client.post(url, {"access_token": NEW_SECRET, "refresh_token": "refresh-1"})
    accepted = client.post(
        url,
        {"access_token": NEW_SECRET, "refresh_token": "refresh-1", "client_id": "council-app"},
    )

    assert refused.status_code == 400
    assert b"A refresh token needs the app&#x27;s client id." in refused.content
    assert b"refresh-1" not in refused.content  # the typed secret is not echoed back
    assert accepted.status_code == 302
    channel.refresh_from_db()
    assert decrypt_credentials(channel.credentials) == {
        "access_token": NEW_SECRET,
        "refresh_token": "refresh-1",
        "client_id": "council-app",
    }
