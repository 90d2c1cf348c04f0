"""X: the monthly usage cap (429 `UsageCapExceeded`) is a stop until the reset with a clear
message, not a transient error retried every poll; every post read is counted."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.connectors.errors import TransientError


@pytest.fixture
def kit(make_kit):
    return make_kit("x")


def test_every_post_read_is_counted(kit):
    post = kit.post()
    for n in range(7):
        kit.comment(post, f"@council {n}")

    page = kit.connector(page_size=5).fetch_comments(None)

    assert page.reads == len(page.comments) == 5


def test_the_monthly_cap_stops_until_the_reset_without_retrying(kit, slept):
    post = kit.post()
    for n in range(3):
        kit.comment(post, f"@council {n}")
    kit.emulator.store.x_monthly_cap = 2
    kit.emulator.store.x_posts_read = 2

    with pytest.raises(TransientError) as raised:
        kit.connector(page_size=5).fetch_comments(None)

    error = raised.value
    assert error.code == "usage-capped"
    assert slept == []
    today = dt.datetime.now(dt.UTC)
    month_start = today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    first_of_next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    assert error.retry_after is not None
    assert error.retry_after >= (first_of_next_month - today).total_seconds() - 60
    message = str(error)
    assert "monthly" in message.lower() and "cap" in message.lower()
    assert first_of_next_month.strftime("%-d %B %Y") in message
