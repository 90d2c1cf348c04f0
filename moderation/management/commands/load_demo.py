"""`manage.py load_demo`: channels on every platform, a week of comments, users for each role."""

from __future__ import annotations

import io
import os
from typing import Any

import qrcode
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from moderation.demo_loader import DEMO_PASSWORD, load_demo, totp_secret

# `make demo`'s DEMO_PORT when the shell has none.
DEFAULT_DEMO_PORT = "8000"


def sign_in_address() -> str:
    """Where the demo is served: PUBLIC_URL (`make demo` sets it from DEMO_PORT), else DEMO_PORT
    on this machine, as `run_demo` is started beside a load run by hand."""
    if settings.PUBLIC_URL:
        return f"{settings.PUBLIC_URL.rstrip('/')}/"
    port = os.environ.get("DEMO_PORT", "").strip() or DEFAULT_DEMO_PORT
    return f"http://127.0.0.1:{port}/"


class Command(BaseCommand):
    help = "Load the demo (safe to re-run) and print how each demo user signs in."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # The demo's admin has a published password and a derivable authenticator key.
            raise CommandError(
                "load_demo creates users with a published password: it runs only with "
                "DEBUG=true (make demo sets it), never against a production database."
            )
        result = load_demo()
        self.stdout.write(
            f"Demo loaded: {result['channels']} channels, {result['stored']} new comments stored, "
            f"{result['worked']} items worked by the demo officers."
        )
        self.stdout.write(f"\nSign in at {sign_in_address()} with:")
        for demo, _user, device in result["users"]:
            self.stdout.write(
                f"\n  {demo.role:8} username {demo.username!r}  password {DEMO_PASSWORD!r}"
            )
            if device is not None:
                secret = totp_secret(device.key)
                self.stdout.write(
                    f"           two-factor: add this key to an authenticator app: {secret}\n"
                    f"           (or scan the QR code below; or {device.config_url})"
                )
                qr = qrcode.QRCode(border=1)
                qr.add_data(device.config_url)
                out = io.StringIO()
                qr.print_ascii(out=out, invert=True)
                self.stdout.write(out.getvalue())
