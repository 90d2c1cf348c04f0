"""Every page names its icon, a static file, so browsers do not ask for /favicon.ico (a 404 in
every officer's console log, on every page)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_names_an_icon_that_exists() -> None:
    page = Client().get("/accounts/sign-in/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg") is not None


def test_the_printable_report_names_it_too(maya) -> None:
    page = signed_in(Client(), maya).get("/reports/print/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in page
