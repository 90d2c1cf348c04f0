"""Someone may be at risk (category ``self_harm``): surfaced at once, and the on-call contact
alerted when nobody is watching the channel.

* **Priority**: an at-risk item's priority is raised by ``AT_RISK_PRIORITY``, above any other
  item's (``moderation.actions.evaluation.priority_of`` reaches about 115), so it heads every
  tab it is in, and "next" hands it out first from any tab (``do_claim_next_comment``).
* **On-call alert**: when a rule or the learned stage escalates such a comment to safeguarding
  while its channel is outside monitoring hours, the organisation's on-call contact (Settings →
  On-call contact) is emailed through the ``Notification`` outbox, never inside a request. The
  email names the channel and links to the item; it does not copy the comment.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.audit import PendingEvent, SystemActor
from accounts.models import AuditEvent
from accounts.names import one_line
from moderation.actions.notifications import do_record_email_sent
from moderation.deadlines import monitoring_hours
from moderation.models import Comment, Escalation, Notification, Organisation

log = logging.getLogger(__name__)

AT_RISK_CATEGORY = "self_harm"
AT_RISK_PRIORITY = 1000
ALERT_QUEUED = "moderation.at_risk.on_call_alert_queued"
ALERT_EMAILED = "moderation.at_risk.on_call_emailed"
OPEN_STATUSES = (Comment.Status.REVIEW, Comment.Status.HELD, Comment.Status.ESCALATED)


def _actor() -> SystemActor:
    return SystemActor.system("at-risk alert")


def open_at_risk_items() -> QuerySet[Comment]:
    """Open items someone may be at risk in, worst and oldest first (the queue's strip)."""
    return (
        Comment.objects.filter(status__in=OPEN_STATUSES, priority__gte=AT_RISK_PRIORITY)
        .select_related("channel", "author")
        .order_by("-priority", "due_at", "id")
    )


def on_call_alerts_for(
    escalations: Sequence[Escalation], now: dt.datetime, org: Organisation
) -> tuple[list[Notification], list[PendingEvent]]:
    """Notification rows (unsaved) and their audit events for the escalations about someone at
    risk whose channel nobody is watching at ``now``. ``org`` is the organisation the caller's
    batch already read (its on-call contact): no query of its own."""
    at_risk = [e for e in escalations if AT_RISK_CATEGORY in (e.comment.categories or [])]
    if not at_risk or not org.on_call_email:
        return [], []
    rows: list[Notification] = []
    events: list[PendingEvent] = []
    for escalation in at_risk:
        comment = escalation.comment
        if monitoring_hours(comment.channel).is_monitored(now):
            continue
        rows.append(
            Notification(
                kind=Notification.Kind.AT_RISK,
                escalation=escalation,
                next_attempt_at=now,
                created_at=now,
            )
        )
        events.append(
            PendingEvent(
                ALERT_QUEUED,
                actor=_actor(),
                target=comment,
                channel_id=comment.channel_id,
                data={"route": escalation.route.key, "on_call": org.on_call_name or "on call"},
            )
        )
    return rows, events


def _item_link(comment_id: int) -> str:
    base = str(getattr(settings, "CONSOLE_BASE_URL", "")).rstrip("/")
    return f"{base}{reverse('moderation:item', args=[comment_id])}"


def send_on_call_alert(escalation_id: int) -> str:
    """Email the on-call contact about one at-risk comment, once (from the outbox; the job
    tags the audit event with its id)."""
    escalation = (
        Escalation.objects.select_related("comment__channel").filter(pk=escalation_id).first()
    )
    if escalation is None:
        return "no such escalation"
    comment = escalation.comment
    if AuditEvent.objects.filter(
        event_type=ALERT_EMAILED, target_type="moderation.comment", target_id=str(comment.pk)
    ).exists():
        return "already sent"
    org = Organisation.current()
    if not org.on_call_email:
        log.warning("Someone may be at risk (comment %s): no on-call contact set", comment.pk)
        return "no address"
    channel = comment.channel
    received = timezone.localtime(comment.received_at)
    subject = f"URGENT: someone may be at risk, on {channel.shown_name}"
    body = "\n".join(
        [
            f"A comment on {channel.shown_name} ({channel.get_platform_display()}), received "
            f"at {received:%H:%M on %A %d %B %Y}, says someone may be at risk of harm.",
            "The channel is outside its monitoring hours, so nobody else is watching it.",
            "",
            "Read it and respond in the console (it is not copied into email): the reply "
            "offered first gives Samaritans (116 123, free, 24 hours) and 999.",
            _item_link(comment.pk),
            "",
            "If anyone is in immediate danger, call 999.",
        ]
    )
    send_mail(one_line(subject), body, None, [org.on_call_email])
    do_record_email_sent(
        ALERT_EMAILED,
        comment,
        [org.on_call_email],
        actor=_actor(),
        channel_id=channel.pk,
        data={"escalation_id": escalation.pk},
    )
    return "sent"
