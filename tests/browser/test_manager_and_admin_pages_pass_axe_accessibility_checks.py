"""axe-core finds no serious or critical WCAG 2.2 AA problems on the managers' and admins' pages
this work changed (reports, the printable paper, the audit log, the publish review and a
version's changes, a backtest, channel hours, routes), and each fits 390 px without sideways
scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.busy_console import rule_history
from tests.browser.conftest import no_horizontal_scroll, sign_in, wider_than_the_viewport
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import busy_fortnight, london

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
WIDTHS = ((1400, 900), (390, 844))


@pytest.fixture
def world(olivia: Any, oscar: Any) -> dict[str, int]:
    busy_fortnight(london(2025, 8, 4, 8), [olivia, oscar])
    fire = ChannelFactory(
        name="Exampleshire Fire and Rescue ‮eriF‬",
        platform="x",
        hours_days="0123456",
        bank_holidays_monitored=True,
    )
    CommentFactory(channel=fire, text="Smoke over the quarry, is it a controlled burn?")
    return {"channel": fire.pk, **rule_history()}


def _check(page: Any, path: str, name: str, axe: Any, shoot: Any) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        assert axe(page) == [], (path, width)
        assert no_horizontal_scroll(page), (path, width, wider_than_the_viewport(page))
        shoot(page, f"{name}-{width}")


def test_the_managers_pages(
    page: Any, maya: Any, world: dict[str, int], axe: Any, shoot: Any
) -> None:
    sign_in(page, maya)
    period = "?start=2025-08-04&end=2025-08-17"
    for path, name in (
        (f"/reports/{period}", "axe-reports"),
        (f"/reports/print/{period}", "axe-report-paper"),
        ("/audit/", "axe-audit-people"),
        ("/audit/?actor_kind=all", "axe-audit-everything"),
        (f"/rules/versions/{world['published']}/changes/", "axe-rule-changes"),
        ("/escalations/", "axe-escalations"),
    ):
        _check(page, path, name, axe, shoot)


def test_the_admins_pages(
    page: Any, adam: Any, world: dict[str, int], axe: Any, shoot: Any
) -> None:
    sign_in(page, adam)
    for path, name in (
        (f"/rules/versions/{world['draft']}/publish/", "axe-rule-publish"),
        (f"/rules/backtests/{world['backtest']}/", "axe-backtest"),
        (f"/settings/channels/{world['channel']}/", "axe-channel-hours"),
        ("/settings/channels/", "axe-channels"),
        ("/settings/routes/", "axe-routes"),
    ):
        _check(page, path, name, axe, shoot)
