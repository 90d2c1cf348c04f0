"""The period picker: sensible defaults, London days, and no crash on nonsense input."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.reports.forms import AuditFilterForm, ReportPeriodForm
from tests.factories import ChannelFactory

TODAY = dt.date(2025, 8, 8)


def period_for(params: dict[str, str]):
    form = ReportPeriodForm(params)
    return form, form.period(TODAY)


@pytest.mark.django_db
def test_without_a_choice_the_report_covers_the_last_seven_days() -> None:
    period = ReportPeriodForm().period(TODAY)
    assert (period.start, period.end, period.channel_id) == (dt.date(2025, 8, 2), TODAY, None)


@pytest.mark.django_db
def test_a_channel_alone_keeps_the_default_dates() -> None:
    channel = ChannelFactory()
    _, period = period_for({"channel": str(channel.pk)})
    assert (period.start, period.end, period.channel_id) == (dt.date(2025, 8, 2), TODAY, channel.pk)


@pytest.mark.django_db
def test_a_period_is_london_midnight_to_midnight() -> None:
    _, period = period_for({"start": "2025-08-01", "end": "2025-08-31"})
    assert period.start_at.isoformat() == "2025-08-01T00:00:00+01:00"
    assert period.end_at.isoformat() == "2025-09-01T00:00:00+01:00"
    assert period.label == "1 August 2025 to 31 August 2025"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-08-09", "end": "2025-08-01"},
        {"start": "9999-12-31", "end": "9999-12-31"},
        {"start": "2020-01-01", "end": "2025-01-01"},
        {"start": "yesterday", "end": "\u202e2025-08-01"},
        {"channel": "999999"},
    ],
)
def test_nonsense_is_refused_and_the_default_period_shown(params: dict[str, str]) -> None:
    form, period = period_for(params)
    assert not form.is_valid()
    assert (period.start, period.end) == (dt.date(2025, 8, 2), TODAY)


@pytest.mark.django_db
def test_the_audit_filters_refuse_dates_that_cannot_be_searched() -> None:
    assert not AuditFilterForm({"end": "9999-12-31"}).is_valid()
    assert not AuditFilterForm({"start": "2025-08-09", "end": "2025-08-01"}).is_valid()
    assert AuditFilterForm({"event_type": "moderation.", "target_id": "12"}).is_valid()
