"""The report's period picker and the audit log's filters (both read-only GET forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db.models import Q, QuerySet

from accounts.models import AuditEvent, User
from accounts.names import neutralise_bidi
from moderation.hours import LONDON
from moderation.models import Channel
from moderation.reports.period import ReportPeriod

DEFAULT_DAYS = 7
LONGEST_PERIOD_DAYS = 731
SUGGESTIONS_CACHE_SECONDS = 600


EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def _check_range(data: dict[str, Any]) -> None:
    """Refuse dates no report can mean (and year 9999, whose next day does not exist)."""
    for name in ("start", "end"):
        day = data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(f"Choose dates between {EARLIEST:%Y} and {LATEST:%Y}.")
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        raise forms.ValidationError("The period ends before it starts.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def london_today() -> dt.date:
    return dt.datetime.now(tz=LONDON).date()


def preset_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The periods managers ask for most: label, first day, last day."""
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return [
        ("Last 7 days", today - dt.timedelta(days=6), today),
        ("Last 28 days", today - dt.timedelta(days=27), today),
        ("This month", first_of_month, today),
        ("Last month", last_month_end.replace(day=1), last_month_end),
        ("This quarter", quarter_start, today),
    ]


class ChannelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Channel) -> str:
        return str(obj)  # "Name (Platform, @handle)", direction controls made visible


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To (inclusive)", widget=DateInput(), required=False)
    channel = ChannelChoiceField(
        queryset=Channel.objects.order_by("name"), required=False, empty_label="All channels"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_range(data)
        start, end = data.get("start"), data.get("end") or london_today()
        if start and (end - start).days >= LONGEST_PERIOD_DAYS:
            raise forms.ValidationError("Choose a period of two years or less.")
        return data

    def period(self, today: dt.date) -> ReportPeriod:
        """The chosen period; a missing end is today, a missing start a week before the end.

        With invalid input the report shows the last seven days (and the form its errors).
        """
        if not self.is_bound or not self.is_valid():
            return ReportPeriod(today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
        end = self.cleaned_data.get("end") or max(today, self.cleaned_data.get("start") or today)
        start = self.cleaned_data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        channel = self.cleaned_data.get("channel")
        return ReportPeriod(start, end, channel.pk if channel is not None else None)


# --- The audit log ---------------------------------------------------------------------------


def _cached_distinct(field: str) -> list[str]:
    """Distinct values of an audit column, for suggestions; cached since the table is large."""
    key = f"reports:audit-distinct:{field}"
    values: list[str] | None = cache.get(key)
    if values is None:
        values = sorted(
            value
            for value in AuditEvent.objects.order_by().values_list(field, flat=True).distinct()
            if value
        )
        cache.set(key, values, SUGGESTIONS_CACHE_SECONDS)
    return values


def _words(code: str) -> str:
    return code.replace("_", " ")


def event_type_label(value: str) -> str:
    """An event type in words: "moderation.comment.hidden" is "Comment hidden", and the prefix
    "moderation.comment." is "Anything about comments"."""
    parts = value.rstrip(".").split(".")
    if value.endswith("."):
        if len(parts) == 1:
            return f"Anything in {_words(parts[0])}"
        subject = _words(parts[-1])
        return f"Anything about {subject}{'' if subject.endswith('s') else 's'}"
    return _words(" ".join(parts[-2:])).capitalize()


def target_type_label(value: str) -> str:
    """A kind of record in words: "moderation.comment" is "Comment" (the model's own name)."""
    try:
        return str(apps.get_model(value)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return _words(value.rsplit(".", 1)[-1]).capitalize()


def event_type_suggestions() -> list[tuple[str, str]]:
    """Every event type seen, with its prefixes ("moderation.", "moderation.comment."), each
    with its words."""
    suggestions: set[str] = set()
    for event_type in _cached_distinct("event_type"):
        parts = event_type.split(".")
        suggestions.update(".".join(parts[:n]) + "." for n in range(1, len(parts)))
        suggestions.add(event_type)
    return [(value, event_type_label(value)) for value in sorted(suggestions)]


def target_type_suggestions() -> list[tuple[str, str]]:
    return [(value, target_type_label(value)) for value in _cached_distinct("target_type")]


# What the log shows. People's actions come first: rules, connectors and the system record far
# more events (every poll, every automatic hold) and would bury them.
PEOPLE = AuditEvent.ActorKind.USER
AUTOMATIC = "automatic"
EVERYTHING = "all"
SHOW_CHOICES = [
    (PEOPLE, "People's actions"),
    (AUTOMATIC, "Automatic events (rules, connectors, the system)"),
    (AuditEvent.ActorKind.RULE, "Rules only"),
    (AuditEvent.ActorKind.CONNECTOR, "Connectors only"),
    (AuditEvent.ActorKind.SYSTEM, "The system only"),
    (EVERYTHING, "Everything"),
]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return neutralise_bidi(obj.label) + ("" if obj.is_active else " — deactivated")


class AuditFilterForm(forms.Form):
    actor = PersonChoiceField(
        label="Person",
        queryset=User.objects.order_by("username"),
        required=False,
        empty_label="Anyone",
    )
    actor_kind = forms.ChoiceField(
        label="Show",
        choices=SHOW_CHOICES,
        required=False,
        help_text="People's actions unless you choose otherwise.",
    )
    event_type = forms.CharField(
        label="What happened",
        max_length=80,
        required=False,
        help_text=(
            "Start typing and choose from the list: one kind of event, such as “Comment "
            "hidden”, or a whole group, such as “Anything about comments”."
        ),
    )
    channel = ChannelChoiceField(
        queryset=Channel.objects.order_by("name"), required=False, empty_label="Any channel"
    )
    target_type = forms.CharField(
        label="Kind of record",
        max_length=60,
        required=False,
        help_text="What the events were about: a comment, a channel, a rule, a person …",
    )
    target_id = forms.CharField(
        label="Record number",
        max_length=64,
        required=False,
        help_text=(
            "With a kind of record: the number of that comment, channel, rule or person. "
            "Choosing what an event was about, in the list below, fills both in."
        ),
    )
    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To (inclusive)", widget=DateInput(), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and not data.get("actor_kind"):
            data = data.copy()
            data["actor_kind"] = PEOPLE
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_range(data)
        return data

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """Apply the valid filters; call only after ``is_valid()``."""
        data = self.cleaned_data
        if data.get("actor") is not None:
            events = events.filter(actor_id=data["actor"].pk)
        kind = data.get("actor_kind") or PEOPLE
        if kind == AUTOMATIC:
            events = events.exclude(actor_kind=PEOPLE)
        elif kind != EVERYTHING:
            events = events.filter(actor_kind=kind)
        event_type = (data.get("event_type") or "").strip()
        if event_type.endswith("."):
            events = events.filter(event_type__startswith=event_type)
        elif event_type:
            # An exact type, or everything beneath it as if it had ended in a dot.
            events = events.filter(
                Q(event_type=event_type) | Q(event_type__startswith=event_type + ".")
            )
        if data.get("channel") is not None:
            events = events.filter(channel_id=data["channel"].pk)
        if data.get("target_type"):
            events = events.filter(target_type=data["target_type"].strip())
        if data.get("target_id"):
            events = events.filter(target_id=data["target_id"].strip())
        if data.get("start"):
            start = dt.datetime.combine(data["start"], dt.time(0, 0), tzinfo=LONDON)
            events = events.filter(occurred_at__gte=start)
        if data.get("end"):
            end = dt.datetime.combine(
                data["end"] + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON
            )
            events = events.filter(occurred_at__lt=end)
        return events

    def describe(self) -> dict[str, str]:
        """The filters in use, as text (recorded with an export)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: str(value.pk if hasattr(value, "pk") else value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
