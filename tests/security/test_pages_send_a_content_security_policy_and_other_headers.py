"""Every page carries a Content-Security-Policy that allows no inline or foreign script, a
Referrer-Policy and a Permissions-Policy; no template has an inline script or event handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.helpers import signed_in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/queue/", "/django-admin/"])
def test_pages_send_the_headers(adam, path: str) -> None:
    response = signed_in(Client(), adam).get(path)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not inline_script.search(text), template
        assert not handler.search(text), template
        assert "javascript:" not in text.lower(), template
        assert "hx-on" not in text, template
