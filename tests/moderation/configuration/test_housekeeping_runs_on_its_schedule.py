"""The scheduler's hook: spike checks every five minutes and retention daily, each enqueued once
per period however often the scheduler ticks; and who sees the spike alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.context_processors import spike_alerts
from moderation.housekeeping import dispatch_housekeeping
from moderation.models import Comment
from tests.factories import ChannelFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_each_check_is_enqueued_once_per_period() -> None:
    first = dispatch_housekeeping()
    second = dispatch_housekeeping()

    assert first == {"spike_checks": 1, "retention_runs": 1, "token_checks": 1}
    assert second == {"spike_checks": 0, "retention_runs": 0, "token_checks": 0}


def test_the_daily_run_erases_what_is_past_retention(django_capture_on_commit_callbacks) -> None:
    moment = timezone.now() - dt.timedelta(days=1000)
    comment = CommentFactory(channel=ChannelFactory(), created_at=moment, received_at=moment)

    # django-rq enqueues when the transaction commits; the test runs inside one.
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_housekeeping()

    assert Comment.objects.get(pk=comment.pk).text == ""
    assert AuditEvent.objects.filter(event_type="moderation.retention.applied").count() == 1


def test_spike_alerts_are_offered_to_people_who_work_the_queue(olivia) -> None:
    request = RequestFactory().get("/queue/")
    request.user = olivia
    assert spike_alerts(request) == {"spike_alerts": []}
    request.user = AnonymousUser()
    assert spike_alerts(request) == {}
