"""A malformed environment variable stops start-up, naming the variable and what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "a-long-enough-secret-key-for-these-start-up-tests-0123456789",
    "CREDENTIALS_KEY": "dGVzdC1vbmx5LWNyZWRlbnRpYWxzLWtleS0zMmJ5dGU=",
    "AUDIT_HMAC_KEY": "an-audit-key-for-these-start-up-tests-0123456789",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "example.org",
}


def start(**overrides: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(GOOD)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["DJANGO_SETTINGS_MODULE"] = "smpolicy.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_good_settings_start() -> None:
    result = start()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is shorter than 32"),
        ({"AUDIT_HMAC_KEY": None}, "AUDIT_HMAC_KEY is not set"),
        ({"AUDIT_HMAC_KEY": "short"}, "AUDIT_HMAC_KEY is shorter than 32"),
        (
            {
                "OAUTH_REDIRECT_URL": "http://console.example.org/settings/channels/connect/callback/"
            },
            "OAUTH_REDIRECT_URL must be an https:// address",
        ),
        (
            {"DATABASE_URL": "mysql://db/smpolicy"},
            "DATABASE_URL='mysql://db/smpolicy' is not a URL",
        ),
        ({"DATABASE_URL": "postgres://"}, "DATABASE_URL='postgres://' has no host name"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL='http://127.0.0.1:6379' is not a URL"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a yes/no value"),
        (
            {"SESSION_IDLE_MINUTES": "half an hour"},
            "SESSION_IDLE_MINUTES='half an hour' is not a whole number",
        ),
        ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES='0' must be at least 1"),
        ({"CREDENTIALS_KEY": "not-a-key"}, "CREDENTIALS_KEY is not a Fernet key"),
        ({"CREDENTIALS_KEY": None}, "CREDENTIALS_KEY is not set"),
    ],
)
def test_a_bad_value_names_the_variable(overrides: dict[str, str | None], expected: str) -> None:
    result = start(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert expected in result.stderr


def test_debug_allows_a_development_secret_key() -> None:
    result = start(DEBUG="true", SECRET_KEY=None, CREDENTIALS_KEY=None)
    assert result.returncode == 0, result.stderr
