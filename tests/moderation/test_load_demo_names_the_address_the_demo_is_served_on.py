"""`load_demo` ends by saying where to sign in. Found in testing: it always said
http://127.0.0.1:8000/, so a second demo on a shared machine (`make demo DEMO_PORT=8105`, which
sets PUBLIC_URL to match) sent people to the first one. It names PUBLIC_URL when set, else the
DEMO_PORT the demo is served on, else 8000 (`make demo`'s default)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from moderation.management.commands.load_demo import sign_in_address


# Loading stores comments whose evaluation runs on commit, as in `make demo`.
@pytest.mark.django_db(transaction=True)
def test_the_demo_prints_its_public_url(settings) -> None:
    settings.DEBUG = True
    settings.PUBLIC_URL = "http://127.0.0.1:8105"
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "Sign in at http://127.0.0.1:8105/ with:" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_without_a_public_url_it_names_the_demo_port(settings, monkeypatch) -> None:
    settings.PUBLIC_URL = ""
    monkeypatch.setenv("DEMO_PORT", "8123")
    assert sign_in_address() == "http://127.0.0.1:8123/"


def test_with_neither_it_names_the_default_port(settings, monkeypatch) -> None:
    settings.PUBLIC_URL = ""
    monkeypatch.delenv("DEMO_PORT", raising=False)
    assert sign_in_address() == "http://127.0.0.1:8000/"


def test_a_public_url_wins_over_the_port(settings, monkeypatch) -> None:
    settings.PUBLIC_URL = "https://demo.example.org"
    monkeypatch.setenv("DEMO_PORT", "8123")
    assert sign_in_address() == "https://demo.example.org/"
