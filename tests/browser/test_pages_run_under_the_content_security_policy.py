"""The console's pages work under their Content-Security-Policy: htmx loads and updates the live
counts, the keyboard script runs, the authenticator's QR code shows, and the browser reports
no violation (a refused inline script or style would appear in the console)."""

from __future__ import annotations

from typing import Any

import pytest

from moderation.models import Comment
from tests.factories import PASSWORD
from tests.moderation.console.factories_console import open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_the_console_runs_without_a_violation(officer_page: Any, shoot: Any) -> None:
    item = open_item("A comment to look at", status=Comment.Status.REVIEW)
    page = officer_page
    seen = violations(page)
    page.goto("/queue/")
    page.wait_for_function("() => window.htmx !== undefined")
    # The live counts: what the 10-second poll does, started at once.
    page.evaluate("() => htmx.trigger('#queue-tabs', 'every 10s')")
    with page.expect_response(lambda r: "/queue/counts/" in r.url):
        page.evaluate("() => htmx.ajax('GET', '/queue/counts/', '#queue-tabs')")
    page.keyboard.press("?")
    assert page.locator("dialog#shortcuts[open]").count() == 1
    page.keyboard.press("Escape")
    page.goto(f"/queue/{item.pk}/")
    page.goto("/escalations/")
    shoot(page, "csp-escalations")
    assert seen == []


def test_the_authenticator_set_up_shows_its_qr_code(page: Any, maya: Any, shoot: Any) -> None:
    seen = violations(page)
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", maya.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/")
    qr = page.locator("img.qr")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    shoot(page, "csp-two-factor-set-up")
    assert seen == []
