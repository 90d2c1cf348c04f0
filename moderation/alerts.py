"""Spike alerts and notification emails.

A spike is an hour in which a channel received far more comments than usual: more than
``SPIKE_ALERT_MULTIPLE`` (default 3) times its usual hourly rate, and at least
``SPIKE_ALERT_MIN_COMMENTS`` (default 10) comments. "Usual" is the larger of

- the median number of comments in the same clock hour on each of the past 28 days (this follows
  the daily rhythm: a busy lunchtime is not a spike), and
- the mean hourly number over the past seven days (so a channel quiet at that hour on most days
  still needs a real jump),

counted by when comments were written (``created_at``), so a backfill of old comments is not a
spike. A channel with no comment older than a week has no "usual" yet and is not judged.

Each spike is recorded once in the audit log (``moderation.spike.detected``) and emailed once to
the crisis route; when the hourly count falls back, ``moderation.spike.ended`` closes it. The
audit log is the record of open spikes: a channel's spike is open while its latest spike event is
a detection. Emails never contain comment text, only counts, names and links to the console.
"""

from __future__ import annotations

import datetime as dt
import logging
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.audit import SystemActor, audit_context, record
from accounts.models import AuditEvent
from accounts.roles import user_can
from moderation.actions.data_protection import do_apply_retention_until_done
from moderation.actions.notifications import (
    do_claim_notification,
    do_record_notification_failure,
    do_record_notification_sent,
)
from moderation.actions.quarantine import do_correct_comment_times, impossible_stored_times
from moderation.actions.spikes import (
    SPIKE_DETECTED,
    do_record_spike,
    do_record_spike_end,
    latest_spike_events,
)
from moderation.models import Channel, Comment, Escalation, EscalationRoute, Notification
from smpolicy.queue import enqueue_now

log = logging.getLogger(__name__)

SPIKE_EMAILED = "moderation.spike.emailed"
ESCALATION_EMAILED = "moderation.escalation.emailed"
CRISIS_ROUTE_KEY = "crisis"
SAME_HOUR_DAYS = 28
TRAILING_DAYS = 7
SPIKE_CHECK_EVERY_SECONDS = 300
RETENTION_EVERY_SECONDS = 24 * 3600
TOKEN_CHECK_EVERY_SECONDS = 300


def spike_multiple() -> float:
    return float(getattr(settings, "SPIKE_ALERT_MULTIPLE", 3.0))


def spike_min_comments() -> int:
    return int(getattr(settings, "SPIKE_ALERT_MIN_COMMENTS", 10))


def _actor() -> SystemActor:
    return SystemActor.system("spike detector")


def _job_id() -> str:
    try:
        from rq import get_current_job

        job = get_current_job()
        return job.id if job is not None else ""
    except Exception:  # outside a worker there is no job
        return ""


@dataclass(frozen=True)
class HourlyRate:
    """One channel's last hour against its usual hourly rate."""

    channel_id: int
    last_hour: int
    same_hour_median: float
    trailing_mean: float
    has_history: bool

    @property
    def baseline(self) -> float:
        return max(self.same_hour_median, self.trailing_mean)

    def is_spike(self, multiple: float, min_comments: int) -> bool:
        return (
            self.has_history
            and self.last_hour >= min_comments
            and self.last_hour > multiple * self.baseline
        )

    def as_data(self, multiple: float) -> dict[str, Any]:
        return {
            "last_hour": self.last_hour,
            "usual_per_hour": round(self.baseline, 2),
            "same_hour_median": round(self.same_hour_median, 2),
            "trailing_mean": round(self.trailing_mean, 2),
            "multiple": multiple,
        }


def hourly_rates(now: dt.datetime | None = None) -> dict[int, HourlyRate]:
    """Every enabled channel's rate, in one aggregate query."""
    now = now or timezone.now()
    hour = dt.timedelta(hours=1)
    aggregates: dict[str, Any] = {
        "last_hour": Count("id", filter=Q(created_at__gt=now - hour)),
        "trailing": Count(
            "id",
            filter=Q(
                created_at__gt=now - hour - dt.timedelta(days=TRAILING_DAYS),
                created_at__lte=now - hour,
            ),
        ),
        "history": Count("id", filter=Q(created_at__lte=now - dt.timedelta(days=TRAILING_DAYS))),
    }
    for day in range(1, SAME_HOUR_DAYS + 1):
        end = now - dt.timedelta(days=day)
        aggregates[f"day_{day}"] = Count(
            "id", filter=Q(created_at__gt=end - hour, created_at__lte=end)
        )
    rows: Iterable[dict[str, Any]] = cast(
        "Iterable[dict[str, Any]]",
        Comment.objects.filter(
            channel__enabled=True,
            created_at__gt=now - hour - dt.timedelta(days=SAME_HOUR_DAYS),
            created_at__lte=now,
        )
        .values("channel_id")
        .annotate(**aggregates),
    )
    rates = {}
    for row in rows:
        same_hour = [row[f"day_{day}"] for day in range(1, SAME_HOUR_DAYS + 1)]
        rates[row["channel_id"]] = HourlyRate(
            channel_id=row["channel_id"],
            last_hour=row["last_hour"],
            same_hour_median=float(statistics.median(same_hour)),
            trailing_mean=row["trailing"] / (TRAILING_DAYS * 24),
            has_history=row["history"] > 0,
        )
    return rates


def check_spikes(now: dt.datetime | None = None) -> dict[str, int]:
    """Judge every enabled channel's last hour; record and email new spikes, close ended ones."""
    multiple, min_comments = spike_multiple(), spike_min_comments()
    rates = hourly_rates(now)
    open_spikes = {
        cid for cid, event in latest_spike_events().items() if event.event_type == SPIKE_DETECTED
    }
    detected = ended = 0
    channels = Channel.objects.in_bulk(set(rates) | open_spikes)
    with audit_context(job_id=_job_id()):
        for channel_id, channel in channels.items():
            rate = rates.get(channel_id) or HourlyRate(channel_id, 0, 0.0, 0.0, True)
            if rate.is_spike(multiple, min_comments):
                if channel_id not in open_spikes and do_record_spike(
                    channel, rate.as_data(multiple), actor=_actor()
                ):
                    detected += 1
            elif channel_id in open_spikes and do_record_spike_end(
                channel, rate.as_data(multiple), actor=_actor()
            ):
                ended += 1
    return {"channels": len(rates), "detected": detected, "ended": ended}


@dataclass(frozen=True)
class SpikeAlert:
    """An open spike, as the console shows it."""

    channel_id: int
    channel_name: str
    since: dt.datetime
    last_hour: int
    usual_per_hour: float
    crisis_mode: bool


def open_spike_alerts() -> list[SpikeAlert]:
    """Spikes detected and not yet ended, newest first.

    Every console page asks, so this is one indexed query (and a second only when there are
    open spikes); it is not cached, so a page costs the same number of queries every time.
    """
    detections = [e for e in latest_spike_events().values() if e.event_type == SPIKE_DETECTED]
    channels = Channel.objects.in_bulk([e.channel_id for e in detections])
    alerts = [
        SpikeAlert(
            channel_id=channel.pk,
            channel_name=str(channel),
            since=event.occurred_at,
            last_hour=int(event.data.get("last_hour", 0)),
            usual_per_hour=float(event.data.get("usual_per_hour", 0.0)),
            crisis_mode=channel.crisis_mode,
        )
        for event in sorted(detections, key=lambda e: e.occurred_at, reverse=True)
        if (channel := channels.get(event.channel_id or 0)) is not None
    ]
    return alerts


def spike_alerts(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``spike_alerts`` for people who work the queue or configure."""
    user = getattr(request, "user", None)
    if user is None or not (user_can(user, "work_queue") or user_can(user, "configure")):
        return {}
    return {"spike_alerts": open_spike_alerts()}


# --- Emails ----------------------------------------------------------------------------------


def _console_link(name: str, *args: Any) -> str:
    """An absolute link when ``CONSOLE_BASE_URL`` is set, else the path (still useful in mail)."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = "/"
    return f"{str(getattr(settings, 'CONSOLE_BASE_URL', '')).rstrip('/')}{path}"


def _recipients(route: EscalationRoute | None) -> list[str]:
    if route is None:
        return []
    return [a.strip() for a in route.email.replace(";", ",").split(",") if a.strip()]


def _already_emailed(event_type: str, target_type: str, target_id: int) -> bool:
    return AuditEvent.objects.filter(
        event_type=event_type, target_type=target_type, target_id=str(target_id)
    ).exists()


def send_spike_alert_email(event_id: int) -> str:
    """Email the crisis route about one detected spike, once (from the notification outbox)."""
    with audit_context(job_id=_job_id()):
        event = AuditEvent.objects.filter(pk=event_id, event_type=SPIKE_DETECTED).first()
        if event is None or event.channel_id is None:
            return "no such spike"
        if _already_emailed(SPIKE_EMAILED, "accounts.auditevent", event.pk):
            return "already sent"
        route = EscalationRoute.objects.filter(key=CRISIS_ROUTE_KEY).first()
        recipients = _recipients(route)
        if not recipients:
            log.warning(
                "Spike on channel %s: the crisis route has no email address", event.channel_id
            )
            return "no address"
        channel = Channel.objects.get(pk=event.channel_id)
        data = event.data
        subject = (
            f"Comment spike on {channel.shown_name}: "
            f"{data.get('last_hour')} comments in the last hour"
        )
        body = "\n".join(
            [
                f"{channel.shown_name} ({channel.get_platform_display()}) received "
                f"{data.get('last_hour')} comments in the hour to "
                f"{timezone.localtime(event.occurred_at):%H:%M on %d %B %Y}.",
                f"Usually it receives about {data.get('usual_per_hour')} an hour "
                f"(alert at more than {data.get('multiple')} times that).",
                "",
                "If this is a crisis, switch crisis mode on for the channel: every flagged "
                "comment is then held for review and the listening response is offered first.",
                "",
                f"Queue: {_console_link('moderation:queue')}",
                f"Crisis switch: {_console_link('moderation:settings')}",
            ]
        )
        send_mail(subject, body, None, recipients)
        with transaction.atomic():
            record(
                SPIKE_EMAILED,
                actor=_actor(),
                target=event,
                target_repr=f"spike alert on {channel.shown_name}",
                channel_id=channel.pk,
                data={"route": CRISIS_ROUTE_KEY, "recipients": recipients},
            )
        return "sent"


def deliver_notification(notification_id: int) -> str:
    """Send one notification row (``moderation.actions.notifications``); returns what happened.

    Any failure (the mail server away, a bug) reschedules the row rather than losing it.
    """
    sender = SystemActor.system("notification sender")
    notification = do_claim_notification(notification_id, actor=sender)
    if notification is None:
        return "skipped"
    try:
        if notification.kind == Notification.Kind.SPIKE:
            outcome = send_spike_alert_email(notification.audit_event_id or 0)
        else:
            outcome = notify_escalation(notification.escalation_id or 0)
    except Exception as error:  # a notification must never be lost with its job
        log.exception("Notification %s could not be sent", notification_id)
        return do_record_notification_failure(notification, error, actor=sender)
    do_record_notification_sent(notification, outcome, actor=sender)
    return outcome


def notify_escalation(escalation_id: int) -> str:
    """Email an escalation's route, once, if the route has addresses.

    Sent from the notification outbox (``deliver_notification``): every escalation, by an
    officer or by a rule, queues one. The email names the route, channel, categories and
    deadline and links to the console; it does not copy the comment, which is personal data
    that should stay in the console.
    """
    with audit_context(job_id=_job_id()):
        escalation = (
            Escalation.objects.select_related("route", "comment__channel")
            .filter(pk=escalation_id)
            .first()
        )
        if escalation is None:
            return "no such escalation"
        recipients = _recipients(escalation.route)
        if not recipients:
            return "no address"
        if _already_emailed(ESCALATION_EMAILED, "moderation.escalation", escalation.pk):
            return "already sent"
        comment = escalation.comment
        channel = comment.channel
        deadline = timezone.localtime(escalation.deadline_at)
        categories = ", ".join(c.replace("_", " ") for c in comment.categories) or "none recorded"
        subject = (
            f"[{escalation.route}] New escalation from {channel.shown_name}, due {deadline:%d %b}"
        )
        body = "\n".join(
            [
                f"A comment on {channel.shown_name} ({channel.get_platform_display()}) has been "
                f"escalated to {escalation.route.name} by {escalation.created_by_label}.",
                f"Categories: {categories}",
                f"Deadline: {deadline:%H:%M on %A %d %B %Y}",
                "",
                "The comment itself is in the console (it is not copied into email):",
                _console_link("moderation:escalations"),
            ]
        )
        send_mail(subject, body, None, recipients)
        with transaction.atomic():
            record(
                ESCALATION_EMAILED,
                actor=SystemActor.system("escalation notifier"),
                target=escalation,
                channel_id=channel.pk,
                data={"route": escalation.route.key, "recipients": recipients},
            )
        return "sent"


# --- The scheduler's hook --------------------------------------------------------------------


def check_spikes_job() -> dict[str, int]:
    with audit_context(job_id=_job_id()):
        return check_spikes()


def apply_retention_job() -> int:
    with audit_context(job_id=_job_id()):
        # Times stored before they were checked: year 1 cannot even be shown in UK time.
        impossible = impossible_stored_times()
        if impossible:
            do_correct_comment_times(
                impossible, actor=SystemActor.system("housekeeping"), new_only=False
            )
        return do_apply_retention_until_done(actor=SystemActor.system("retention schedule"))


def dispatch_housekeeping() -> dict[str, int]:
    """Enqueue the periodic checks that are due: spikes and tokens every 5 minutes, retention
    daily.

    Call it from each scheduler tick. ``cache.add`` is atomic on Redis, so if two schedulers
    run by mistake each check is still enqueued once per period.
    """
    spikes = cache.add("housekeeping:spikes", 1, SPIKE_CHECK_EVERY_SECONDS)
    if spikes:
        enqueue_now("default", check_spikes_job)
    retention = cache.add("housekeeping:retention", 1, RETENTION_EVERY_SECONDS)
    if retention:
        enqueue_now("default", apply_retention_job)
    # Tokens renewed ahead of their end, and admins warned before a reconnect is due.
    tokens = cache.add("housekeeping:tokens", 1, TOKEN_CHECK_EVERY_SECONDS)
    if tokens:
        enqueue_now("default", "moderation.tokens.check_channel_tokens")
    return {
        "spike_checks": int(spikes),
        "retention_runs": int(retention),
        "token_checks": int(tokens),
    }
