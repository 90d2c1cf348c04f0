"""Meta renews a long-lived Threads or Instagram Login token only once it is at least a day old
(and before it ends). A renewal asked for sooner (a forced job, a token Meta gave a short life)
is skipped with the reason, without calling the platform and without marking the channel
broken. When each token was issued is kept with it for that."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.connectors.oauth_apps import OAUTH_APPS, meta_token_too_new
from moderation.connectors.oauth_requests import Grant
from moderation.tokens import refresh_channel_token, renewed
from tests.factories import ChannelFactory

DAY = dt.timedelta(days=1)


@pytest.fixture
def platform_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def refresh(app: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(app.flow)
        raise AssertionError("the platform was called")

    monkeypatch.setattr("moderation.tokens.refresh", refresh)
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "flow,platform", [("threads", "threads"), ("instagram_login", "instagram")]
)
@pytest.mark.parametrize("ends_in", [dt.timedelta(days=10), None])
def test_a_token_issued_an_hour_ago_is_not_sent_to_meta(
    platform_calls, flow: str, platform: str, ends_in: dt.timedelta | None
) -> None:
    issued = timezone.now() - dt.timedelta(hours=1)
    channel = ChannelFactory(
        platform=platform,
        connected_with=flow,
        login={"access_token": "long-lived", "access_token_issued_at": issued.isoformat()},
        token_expires_at=timezone.now() + ends_in if ends_in else None,
    )

    outcome = refresh_channel_token(channel.pk)

    assert outcome.startswith("too new")
    assert "at least a day old" in outcome
    assert platform_calls == []
    channel.refresh_from_db()
    assert channel.token_error == ""
    assert not AuditEvent.objects.filter(event_type__startswith="moderation.channel.token").exists()


def test_a_token_is_old_enough_a_day_after_it_was_issued() -> None:
    threads, now = OAUTH_APPS["threads"], timezone.now()

    def issued(ago: dt.timedelta) -> dict[str, str]:
        return {"access_token_issued_at": (now - ago).isoformat()}

    assert meta_token_too_new(threads, issued(dt.timedelta(hours=23)), now)
    assert not meta_token_too_new(threads, issued(dt.timedelta(hours=25)), now)
    assert not meta_token_too_new(threads, {}, now)  # connected before this was kept: Meta decides
    assert not meta_token_too_new(threads, {"access_token_issued_at": "yesterday"}, now)
    assert not meta_token_too_new(OAUTH_APPS["youtube"], issued(dt.timedelta(minutes=5)), now)


def test_a_renewed_token_is_kept_with_when_it_was_issued() -> None:
    before = timezone.now()
    old = {"access_token": "old", "access_token_issued_at": "2026-01-01T00:00:00+00:00"}

    kept = renewed(old, Grant(access_token="new", access_expires_at=before + 60 * DAY))

    assert kept["access_token"] == "new"
    assert dt.datetime.fromisoformat(kept["access_token_issued_at"]) >= before
