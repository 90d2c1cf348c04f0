"""`manage.py bluesky_oauth_key` prints a key the console accepts as BLUESKY_OAUTH_KEY."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from moderation.bluesky_client import console_client


def test_the_printed_key_makes_the_console_a_confidential_client(settings: Any) -> None:
    out = io.StringIO()
    call_command("bluesky_oauth_key", "--kid", "council-1", stdout=out)
    settings.BLUESKY_OAUTH_KEY = out.getvalue().strip()
    settings.PUBLIC_URL = "https://moderation.example.gov.uk"

    client = console_client()

    assert client.metadata()["token_endpoint_auth_method"] == "private_key_jwt"
    assert (
        client.metadata()["jwks_uri"] == "https://moderation.example.gov.uk/oauth/bluesky/jwks.json"
    )
    assert [k["kid"] for k in client.jwks()["keys"]] == ["council-1"]
