"""X's monthly cap stops polling until the reset, with the reason on the channel; reads are
counted per month."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from moderation.jobs import dispatch_due_work, poll_channel
from moderation.models import Channel
from tests.factories import channel_on

pytestmark = pytest.mark.django_db
USER = "1001"


@pytest.fixture
def x_channel(emulator):
    return channel_on(emulator, "x", USER, login={"access_token": "x-token"})


def test_the_monthly_cap_pauses_the_channel_until_the_reset(emulator, x_channel, monkeypatch):
    post = emulator.add_post("x", USER)
    emulator.add_comment("x", USER, post, "@council hello")
    emulator.store.x_monthly_cap = 0
    enqueued: list[int] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_now",
        lambda queue, job, *args: (
            # A job is a function or its dotted path (smpolicy/queue.py).
            enqueued.append(args[0])
            if str(getattr(job, "__name__", job)).endswith("poll_channel")
            else None
        ),
    )

    poll_channel(x_channel.pk)
    Channel.objects.filter(pk=x_channel.pk).update(last_polled_at=None)
    dispatch_due_work()

    x_channel.refresh_from_db()
    assert x_channel.status == "error"
    assert "monthly usage cap" in x_channel.last_error
    assert x_channel.paused_until is not None
    assert x_channel.paused_until > timezone.now() + dt.timedelta(hours=1)
    assert enqueued == []


def test_posts_read_are_counted_for_the_month(emulator, x_channel):
    post = emulator.add_post("x", USER)
    for n in range(4):
        emulator.add_comment("x", USER, post, f"@council {n}")

    poll_channel(x_channel.pk)

    x_channel.refresh_from_db()
    assert x_channel.reads_in_month == 4
    assert x_channel.reads_month == f"{timezone.now():%Y-%m}"
