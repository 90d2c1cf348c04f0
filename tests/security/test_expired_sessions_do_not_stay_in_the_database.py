"""An expired session's row is deleted by the daily housekeeping.

A session may hold an emailed link's token between its first visit and the password form
(accounts/views: the token leaves the address at once and waits in the session); nothing else
deletes expired rows, so without this they stayed in the database for good.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from moderation.housekeeping import apply_retention_job

pytestmark = pytest.mark.django_db


def test_the_daily_housekeeping_deletes_expired_sessions_and_keeps_live_ones() -> None:
    expired = SessionStore()
    expired["set_password_token"] = "held-token"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )
    live = SessionStore()
    live["anything"] = 1
    live.create()

    apply_retention_job()

    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert Session.objects.filter(session_key=live.session_key).exists()
