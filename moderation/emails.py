"""Notification emails: spike alerts and new escalations, to their route's team mailboxes. They
wait in the database (``Notification``) until sent, and never contain comment text, only
counts, names and links to the console."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.audit import SystemActor, audit_context
from accounts.models import AuditEvent
from accounts.names import one_line
from moderation.actions.notifications import (
    do_claim_notification,
    do_record_email_sent,
    do_record_notification_failure,
    do_record_notification_sent,
)
from moderation.at_risk import send_on_call_alert
from moderation.models import Channel, Escalation, EscalationRoute, Notification
from moderation.spikes import SPIKE_DETECTED
from smpolicy.queue import current_job_id

log = logging.getLogger(__name__)

SPIKE_EMAILED = "moderation.spike.emailed"
ESCALATION_EMAILED = "moderation.escalation.emailed"
CRISIS_ROUTE_KEY = "crisis"


def _actor() -> SystemActor:
    return SystemActor.system("spike detector")


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
    with audit_context(job_id=current_job_id()):
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
        send_mail(one_line(subject), body, None, recipients)
        do_record_email_sent(
            SPIKE_EMAILED,
            event,
            recipients,
            actor=_actor(),
            channel_id=channel.pk,
            target_repr=f"spike alert on {channel.shown_name}",
            data={"route": CRISIS_ROUTE_KEY},
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
        elif notification.kind == Notification.Kind.AT_RISK:
            outcome = send_on_call_alert(notification.escalation_id or 0)
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
    with audit_context(job_id=current_job_id()):
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
        send_mail(one_line(subject), body, None, recipients)
        do_record_email_sent(
            ESCALATION_EMAILED,
            escalation,
            recipients,
            actor=SystemActor.system("escalation notifier"),
            channel_id=channel.pk,
            data={"route": escalation.route.key},
        )
        return "sent"
