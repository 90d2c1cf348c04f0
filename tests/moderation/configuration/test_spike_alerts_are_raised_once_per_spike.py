"""Spike alerts: more than three times a channel's usual hourly rate is a spike, recorded once,
emailed once to the crisis route, shown on the settings page, and closed when it subsides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.actions.spikes import check_spikes
from moderation.models import Channel, EscalationRoute
from moderation.spikes import hourly_rates, open_spike_alerts
from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import comments_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _crisis_route_with_an_address() -> None:
    EscalationRoute.objects.filter(key="crisis").update(email="crisis@example.gov.uk")


def _usual_fortnight(channel: Channel, now: dt.datetime, per_hour: int = 2) -> None:
    """``per_hour`` comments in every hour of the last fortnight, except the last hour."""
    moments = [
        now - dt.timedelta(hours=hours, minutes=10 + 5 * n)
        for hours in range(1, 14 * 24)
        for n in range(per_hour)
    ]
    comments_at(channel, moments)


def test_the_usual_rate_is_the_same_hours_median_or_the_weekly_mean() -> None:
    now = timezone.now()
    channel = ChannelFactory()
    _usual_fortnight(channel, now, per_hour=2)

    rate = hourly_rates(now)[channel.pk]

    assert rate.last_hour == 0
    assert rate.trailing_mean == pytest.approx(2.0, abs=0.05)
    assert rate.baseline == pytest.approx(2.0, abs=0.05)
    assert rate.has_history


def test_an_hour_at_more_than_three_times_the_usual_rate_raises_one_alert() -> None:
    now = timezone.now()
    channel = ChannelFactory(name="Fire and Rescue")
    _usual_fortnight(channel, now)
    comments_at(channel, [now - dt.timedelta(minutes=1 + n) for n in range(30)])

    first = check_spikes(now)
    second = check_spikes(now)

    assert first["detected"] == 1
    assert second["detected"] == 0
    event = AuditEvent.objects.get(event_type="moderation.spike.detected")
    assert event.channel_id == channel.pk
    assert event.data["last_hour"] == 30
    assert [a.channel_name for a in open_spike_alerts()] == [f"Fire and Rescue ({channel.where})"]


def test_the_crisis_route_is_emailed_once_without_any_comment_text(
    django_capture_on_commit_callbacks,
) -> None:
    now = timezone.now()
    channel = ChannelFactory(name="Fire and Rescue")
    _usual_fortnight(channel, now)
    comments_at(channel, [now - dt.timedelta(minutes=1 + n) for n in range(30)])

    with django_capture_on_commit_callbacks(execute=True):
        check_spikes(now)
    with django_capture_on_commit_callbacks(execute=True):
        check_spikes(now)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["crisis@example.gov.uk"]
    assert "Fire and Rescue" in message.subject
    assert "Thanks for the update" not in message.body
    assert AuditEvent.objects.filter(event_type="moderation.spike.emailed").count() == 1


def test_a_spike_ends_when_the_hour_is_back_to_normal_and_can_recur() -> None:
    now = timezone.now()
    channel = ChannelFactory()
    _usual_fortnight(channel, now)
    burst = [now - dt.timedelta(minutes=1 + n) for n in range(30)]
    comments_at(channel, burst)
    check_spikes(now)

    later = now + dt.timedelta(hours=2)
    ended = check_spikes(later)

    assert ended["ended"] == 1
    assert open_spike_alerts() == []
    comments_at(channel, [later - dt.timedelta(minutes=1 + n) for n in range(40)])
    assert check_spikes(later)["detected"] == 1


def test_a_busy_hour_below_the_multiple_is_not_a_spike() -> None:
    now = timezone.now()
    channel = ChannelFactory()
    _usual_fortnight(channel, now, per_hour=4)
    comments_at(channel, [now - dt.timedelta(minutes=1 + n) for n in range(11)])

    assert check_spikes(now)["detected"] == 0


def test_a_channel_without_a_weeks_history_is_not_judged() -> None:
    now = timezone.now()
    channel = ChannelFactory()
    comments_at(channel, [now - dt.timedelta(minutes=1 + n) for n in range(50)])

    assert check_spikes(now)["detected"] == 0
    assert not hourly_rates(now)[channel.pk].has_history


def test_open_spikes_are_shown_on_the_settings_page(adam) -> None:
    now = timezone.now()
    channel = ChannelFactory(name="Libraries")
    _usual_fortnight(channel, now)
    comments_at(channel, [now - dt.timedelta(minutes=1 + n) for n in range(30)])
    check_spikes(now)

    page = signed_in(Client(), adam).get("/settings/")

    assert b"Comment spike" in page.content
    assert b"Libraries" in page.content
