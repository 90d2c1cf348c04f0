"""Token health: the scheduler's check renews tokens ahead of their end (not in requests), keeps
when each ends, warns admins 14, 7 and 1 days before a reconnect is due (banner on every page
they open, and email once per warning), and a refused renewal is shown in the platform's words.
Tokens come from the emulator's OAuth endpoints, which end them on the platforms' schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions.channels import do_record_refreshed_credentials
from moderation.connectors.authorization import Place, authorization_request, exchange_code
from moderation.connectors.oauth_apps import OAUTH_APPS
from moderation.credentials import decrypt_credentials
from moderation.emulator import Emulator
from moderation.jobs import poll_channel
from moderation.models import Channel
from moderation.tokens import (
    backfill_days,
    check_channel_tokens,
    refresh_ahead,
    refresh_channel_token,
    send_expiry_email,
    warning_threshold,
)
from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.connectors.test_each_platform_connects_by_oauth_against_the_emulator import (
    CLIENT,
    REDIRECT,
    _approve,
)

YOUTUBE = "UCexamplecouncil000000001"


@pytest.fixture
def emulator(settings: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    settings.PLATFORM_BASE_URL = running.url
    running.store.account("youtube", YOUTUBE)
    running.store.account("threads", "25000000000000001")
    yield running
    running.stop()


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, tuple[Any, ...]]]:
    noted: list[tuple[str, Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, calls: noted.extend((queue, job, tuple(a)) for a in calls),
    )
    return noted


def _granted(emulator: Emulator, flow: str) -> dict[str, str]:
    app, place = OAUTH_APPS[flow], Place(emulator=emulator.url)
    started = authorization_request(app, CLIENT, REDIRECT, place)
    grant = exchange_code(
        app,
        CLIENT,
        REDIRECT,
        _approve(started.url)["code"],
        place,
        code_verifier=started.code_verifier,
    )
    login = {"access_token": grant.access_token, "client_id": "council-app"}
    if grant.refresh_token:
        login |= {"refresh_token": grant.refresh_token, "client_secret": "council-secret"}
    return login


def test_how_far_ahead_tokens_are_renewed_and_warnings_given() -> None:
    assert refresh_ahead("youtube") == dt.timedelta(minutes=15)
    assert refresh_ahead("x") == dt.timedelta(minutes=30)
    assert refresh_ahead("tiktok") == dt.timedelta(hours=6)
    assert refresh_ahead("threads") == dt.timedelta(days=15)
    assert warning_threshold(dt.timedelta(days=20)) is None
    assert warning_threshold(dt.timedelta(days=13)) == 14
    assert warning_threshold(dt.timedelta(days=6, hours=23)) == 7
    assert warning_threshold(dt.timedelta(hours=3)) == 1
    assert warning_threshold(dt.timedelta(hours=-3)) == 1
    now = timezone.now()
    assert backfill_days(None, 7, now) == 7
    assert backfill_days(now - dt.timedelta(days=12, hours=2), 7, now) == 14
    assert backfill_days(now - dt.timedelta(days=400), 7, now) == 90


@pytest.mark.django_db
def test_a_youtube_token_near_its_end_is_renewed_by_the_scheduler_and_polls_keep_working(
    emulator: Emulator, enqueued
) -> None:
    emulator.add_comment("youtube", YOUTUBE, emulator.add_post("youtube", YOUTUBE), "Hello")
    login = _granted(emulator, "youtube")
    channel = ChannelFactory(
        platform="youtube",
        account_id=YOUTUBE,
        connected_with="youtube",
        login=login,
        token_expires_at=timezone.now() + dt.timedelta(minutes=50),
    )
    # Not due yet: a quarter of its hour is left only after 45 minutes.
    assert check_channel_tokens()["token_refreshes"] == 0

    emulator.advance_clock(50 * 60)  # the old token has ended on the platform's clock
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=40)):
        assert check_channel_tokens()["token_refreshes"] == 1
        assert ("default", refresh_channel_token, (channel.pk,)) in [
            (q, j, a) for q, j, a in enqueued
        ]
        assert refresh_channel_token(channel.pk) == "renewed"

        channel.refresh_from_db()
        stored = decrypt_credentials(channel.credentials)
        assert stored["access_token"] != login["access_token"]
        assert stored["refresh_token"] == login["refresh_token"]  # Google keeps it
        assert channel.token_expires_at is not None
        assert channel.token_expires_at - timezone.now() > dt.timedelta(minutes=55)
        assert channel.reconnect_by is None  # Google's refresh tokens do not end by age
        assert refresh_channel_token(channel.pk) == "already renewed"
        assert poll_channel(channel.pk) == 1
    event = AuditEvent.objects.get(event_type="moderation.channel.token_refreshed")
    assert stored["access_token"] not in str([event.before, event.after, event.data])


@pytest.mark.django_db
def test_a_threads_token_is_renewed_with_itself(emulator: Emulator) -> None:
    login = _granted(emulator, "threads")
    channel = ChannelFactory(
        platform="threads",
        account_id="25000000000000001",
        connected_with="threads",
        login={"access_token": login["access_token"]},
        token_expires_at=timezone.now() + dt.timedelta(days=10),
    )

    assert refresh_channel_token(channel.pk) == "renewed"

    channel.refresh_from_db()
    assert channel.token_expires_at is not None
    assert channel.token_expires_at - timezone.now() > dt.timedelta(days=59)


@pytest.mark.django_db
def test_a_refused_renewal_is_shown_in_the_platforms_words_and_a_reconnect_is_due(
    emulator: Emulator, client: Client, adam
) -> None:
    ends = timezone.now() + dt.timedelta(minutes=5)
    channel = ChannelFactory(
        platform="youtube",
        account_id=YOUTUBE,
        name="Council YouTube",
        connected_with="youtube",
        login={"access_token": "a", "refresh_token": "revoked", "client_id": "council-app"},
        token_expires_at=ends,
    )
    emulator.store.spent_refresh_tokens.add("revoked")  # Google answers invalid_grant

    assert refresh_channel_token(channel.pk) == "refused"

    channel.refresh_from_db()
    assert "invalid_grant" in channel.token_error
    assert channel.reconnect_by == ends
    signed_in(client, adam)
    page = client.get(f"/settings/channels/{channel.pk}/health/").content.decode()
    assert "invalid_grant" in page and "Renewal refused" in page
    assert "Reconnect soon" in page


@pytest.mark.django_db
def test_admins_are_warned_14_7_and_1_days_ahead_once_each(
    client: Client, adam, olivia, django_capture_on_commit_callbacks
) -> None:
    ends = timezone.now() + dt.timedelta(days=13)
    channel = ChannelFactory(
        platform="linkedin",
        name="Council LinkedIn",
        connected_with="linkedin",
        login={"access_token": "t"},
        token_expires_at=ends,
        reconnect_by=ends,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert check_channel_tokens()["expiry_warnings"] == 1
        assert check_channel_tokens()["expiry_warnings"] == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["adam@example.org"]
    assert "Council LinkedIn" in mail.outbox[0].subject
    assert "within 14 days" in mail.outbox[0].subject

    for days_before, threshold in ((6, 7), (0.5, 1)):
        with (
            time_machine.travel(ends - dt.timedelta(days=days_before)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert check_channel_tokens()["expiry_warnings"] == 1
        assert f"within {threshold} day" in mail.outbox[-1].subject
    assert len(mail.outbox) == 3
    warned = AuditEvent.objects.filter(event_type="moderation.channel.expiry_warned")
    assert sorted(e.data["days"] for e in warned) == [1, 7, 14]
    event = warned.first()
    assert event is not None and send_expiry_email(event.pk) == "already sent"

    signed_in(client, adam)
    banner = client.get("/settings/").content.decode()
    assert "Reconnect soon" in banner and "Council LinkedIn" in banner
    assert f"/settings/channels/{channel.pk}/health/" in banner
    client.logout()
    signed_in(client, olivia)
    assert "Reconnect soon" not in client.get("/queue/").content.decode()


@pytest.mark.django_db
def test_a_connector_refresh_after_a_401_keeps_when_the_new_token_ends() -> None:
    channel = ChannelFactory(platform="x", connected_with="x", login={"access_token": "old"})

    do_record_refreshed_credentials(
        channel.pk,
        {"access_token": "new", "refresh_token": "r", "client_id": "c"},
        actor=SystemActor.connector("x connector"),
    )

    channel.refresh_from_db()
    assert channel.token_expires_at is not None
    left = channel.token_expires_at - timezone.now()
    assert dt.timedelta(minutes=119) < left <= dt.timedelta(hours=2)
    assert channel.reconnect_by is None


@pytest.mark.django_db
def test_a_backfill_after_reconnecting_reads_the_days_since_the_last_success(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moderation import tokens

    asked: list[tuple[int, int | None]] = []

    def poll_channel(pk: int, backfill_days: int | None = None) -> int:
        asked.append((pk, backfill_days))
        return 0

    monkeypatch.setattr(tokens, "poll_channel", poll_channel)
    channel = ChannelFactory(
        platform="facebook",
        backfill_days=7,
        last_success_at=timezone.now() - dt.timedelta(days=20, hours=3),
    )

    tokens.backfill_channel(channel.pk)

    assert asked == [(channel.pk, 22)]  # 21 days since, and a day of overlap
    assert Channel.objects.get(pk=channel.pk).backfill_days == 7  # the setting is unchanged
