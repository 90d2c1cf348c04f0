"""`manage.py bluesky_oauth_key [--kid NAME]`: print a new ES256 signing key for Bluesky OAuth.

Set its output as `BLUESKY_OAUTH_KEY` (a secret, like SECRET_KEY) to make the console a
confidential client. Its public half is published at PUBLIC_URL/oauth/bluesky/jwks.json. Bluesky
binds each session to the key it started with: replacing the key ends every Bluesky OAuth
session, and those channels must be reconnected.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from joserfc.jwk import ECKey


class Command(BaseCommand):
    help = "Print a new private ES256 JWK for BLUESKY_OAUTH_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kid", default="", help="the key's id (default: today's date)")

    def handle(self, *args: Any, **options: Any) -> None:
        kid = options["kid"] or f"smpolicy-{dt.datetime.now(dt.UTC):%Y-%m-%d}"
        key = ECKey.generate_key("P-256", parameters={"kid": kid}, private=True)
        self.stdout.write(json.dumps(key.as_dict(private=True)))
