"""Browser tests: Debian's Chromium, headless, driven by Playwright against pytest-django's live
server (a real server thread on the test database).

Playwright's sync API runs an event loop in the test's thread, so Django's guard against ORM
calls from async code is lifted for these tests (the calls are in fact synchronous). Platform
calls are not made: the outbox rows an action writes stay pending, as they would until a worker
picks them up, and the test inspects them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium(django_db_setup: None) -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must run the browser tests, but there is no Chromium at {CHROMIUM}.")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Rows made by data migrations are re-made after each flush by tests/conftest.py, so the
    # fresh connection Django hands out under Playwright's event loop needs nothing carried over.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def _static_files_without_collectstatic(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def _no_platform_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Jobs enqueued after commit are recorded instead of run (no network in tests)."""
    enqueued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, calls: enqueued.extend((queue, args) for args in calls),
    )
    return enqueued


@pytest.fixture
def _audit_log_truncatable(transactional_db: None) -> Iterator[None]:
    """Let the closing flush of a live-server test empty the audit table (see the console's
    conftest: the audit trigger refuses TRUNCATE, so that one flush runs with triggers off)."""
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


@pytest.fixture
def page(
    chromium: Any,
    live_server: Any,
    _audit_log_truncatable: None,
    _static_files_without_collectstatic: None,
    _no_platform_calls: list[tuple[Any, ...]],
) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 900}
    )
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture
def shoot() -> Any:
    """``shoot(page, name)`` saves a full-page screenshot in test-artifacts/screenshots/."""

    def save(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def officer_page(page: Any, olivia: Any) -> Any:
    """A page signed in as olivia, an officer, through the real sign-in form."""
    from tests.factories import PASSWORD

    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", olivia.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")
    return page


@pytest.fixture
def axe() -> Any:
    """``axe(page)``: the serious and critical WCAG 2.x A/AA violations axe-core finds."""

    def run(page: Any) -> list[dict[str, Any]]:
        # Through the DevTools protocol, as a person's browser extension would: the pages'
        # Content-Security-Policy rightly refuses an inline <script> (add_script_tag).
        session = page.context.new_cdp_session(page)
        session.send("Runtime.evaluate", {"expression": AXE.read_text()})
        session.detach()
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
        )
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


def sign_in(page: Any, user: Any) -> Any:
    """Sign ``user`` in through the real form, with an authenticator code if the role needs one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.roles import requires_two_factor
    from tests.factories import PASSWORD
    from tests.helpers import code_for

    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    if requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        page.fill("input[name=otp_token]", code_for(device))
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")
    return page


@pytest.fixture
def manager_page(page: Any, maya: Any) -> Any:
    """A page signed in as maya, a manager, with her authenticator code."""
    return sign_in(page, maya)


def no_horizontal_scroll(page: Any) -> bool:
    """Whether the page fits its viewport's width (the 390 px rule)."""
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def wider_than_the_viewport(page: Any) -> list[str]:
    """The outermost elements that reach past the viewport's right edge (why a page scrolls)."""
    return list(
        page.evaluate(
            """() => {
              const width = document.documentElement.clientWidth;
              const clipped = e => {
                for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                  if (getComputedStyle(a).overflowX !== 'visible') return true;
                }
                return false;
              };
              const wide = [...document.querySelectorAll('body *')].filter(e => {
                const r = e.getBoundingClientRect();
                return r.right > width + 0.5 && r.width > 0 && !clipped(e);
              });
              return wide.filter(e => !wide.includes(e.parentElement)).map(e =>
                e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (e.className && e.className.baseVal === undefined ? '.' + e.className : '') +
                ' ' + Math.round(e.getBoundingClientRect().right));
            }"""
        )
    )
