"""The queue page and its live counts: the rows worst first, with badges, due times and claims."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User
from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.claims import holder_of
from moderation.actions.undo import can_undo
from moderation.at_risk import open_at_risk_items
from moderation.campaigns import Campaign, open_campaigns
from moderation.console.forms import (
    BULK_VERBS,
    QueueFilterForm,
)
from moderation.console.highlight import PERSONAL_DATA, render_comment_html
from moderation.console.queries import (
    OPEN_STATUSES,
    TABS,
    WAITING_STATES,
    QueueFilters,
    filtered,
    ordering_for,
    page_of,
    tab_counts,
    top_item_id,
)
from moderation.console.shown import (
    SNIPPET_LENGTH,
    category_label,
    filter_query,
    masks_personal_data,
    visible_flags,
)
from moderation.console.status import describe_moment, is_overdue, monitoring_statuses
from moderation.models import (
    Channel,
    Comment,
    Flag,
    ModerationAction,
)

LAST_ACTION_SESSION_KEY = "console_last_action"


def filters_for(request: HttpRequest, form: QueueFilterForm) -> QueueFilters:
    """The queue filters asked for, searching personal data only if the role may reveal it."""
    me = acting_user(request)
    return form.filters(me=me.pk, search_personal_data=user_can(me, "reveal_personal_data"))


def undo_offered(request: HttpRequest) -> bool:
    """Whether "u" would really undo the officer's last action now (see ``can_undo``)."""
    last = request.session.get(LAST_ACTION_SESSION_KEY)
    if not isinstance(last, dict) or not isinstance(last.get("comment"), int):
        return False
    action_id = last.get("action")
    return can_undo(
        last["comment"],
        str(last.get("verb", "")),
        action_id if isinstance(action_id, int) else None,
        actor=acting_user(request),
    )


def due_label(comment: Comment, now: dt.datetime) -> str:
    if comment.due_at is None or comment.status not in OPEN_STATUSES:
        return ""
    return describe_moment(comment.due_at, now)


@dataclass(frozen=True)
class Badge:
    label: str
    severity: int
    rule: str


def badges_for(flags: list[Flag]) -> list[Badge]:
    """One badge per category, at its worst severity, worst first."""
    worst: dict[str, Flag] = {}
    for flag in flags:
        if flag.category not in worst or flag.severity > worst[flag.category].severity:
            worst[flag.category] = flag
    ordered = sorted(worst.values(), key=lambda f: -f.severity)
    return [Badge(category_label(f.category), f.severity, f.rule_name) for f in ordered]


SHORT_STATUS: dict[str, str] = {
    Comment.Status.NEW: "Not checked yet",
    Comment.Status.CLEAN: "Nothing found",
    Comment.Status.REVIEW: "To review",
    Comment.Status.HELD: "Held",
    Comment.Status.ESCALATED: "Escalated",
    Comment.Status.DONE: "Done",
}


@dataclass(frozen=True)
class QueueRow:
    comment: Comment
    status: str
    snippet: str
    badges: list[Badge]
    overdue: bool
    due: str
    claimed_by_other: User | None
    waiting: list[ModerationAction]
    campaign: Campaign | None = None


def queue_rows(
    request: HttpRequest, comments: list[Comment], now: dt.datetime, *, group_campaigns: bool
) -> list[QueueRow]:
    """A row per comment; with ``group_campaigns``, one row per campaign on the page (its first
    copy, with the campaign's count and authors)."""
    me = acting_user(request)
    campaigns = (
        open_campaigns({c.campaign_key for c in comments if c.campaign_key})
        if group_campaigns
        else {}
    )
    rows = []
    shown_campaigns: set[str] = set()
    for comment in comments:
        campaign = campaigns.get(comment.campaign_key) if comment.campaign_key else None
        if campaign is not None and campaign.count > 1:
            if campaign.key in shown_campaigns:
                continue
            shown_campaigns.add(campaign.key)
        else:
            campaign = None
        flags = list(comment.flags.all())
        holder = holder_of(comment, now)
        rows.append(
            QueueRow(
                comment=comment,
                status=SHORT_STATUS.get(comment.status, comment.status),
                snippet=render_comment_html(
                    comment.text,
                    flags,
                    mask_personal_data=masks_personal_data(request, comment.pk),
                    limit=SNIPPET_LENGTH,
                ),
                badges=badges_for(flags),
                overdue=is_overdue(comment.due_at, comment.status, now),
                due=due_label(comment, now),
                claimed_by_other=holder if holder is not None and holder.pk != me.pk else None,
                waiting=list(getattr(comment, "waiting_actions", [])),
                campaign=campaign,
            )
        )
    return rows


def queue_context(request: HttpRequest) -> dict[str, Any]:
    form = QueueFilterForm(request.GET)
    filters = filters_for(request, form)
    now = timezone.now()
    ordering = ordering_for(filters.tab_spec)
    comments = (
        filtered(filters)
        .select_related("channel", "author", "claimed_by", "handled_by", "assigned_to")
        .prefetch_related(
            Prefetch("flags", queryset=visible_flags()),
            "tags",
            Prefetch(
                "actions",
                queryset=ModerationAction.objects.filter(state__in=WAITING_STATES).order_by(
                    "-requested_at"
                ),
                to_attr="waiting_actions",
            ),
        )
    )
    page = page_of(
        comments,
        ordering,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    channels = list(Channel.objects.filter(enabled=True).order_by("name"))
    counts = tab_counts(filters)
    at_risk = at_risk_rows(request)
    return {
        "nav": "queue",
        "form": form,
        "filters": filters,
        "tab": filters.tab_spec,
        "tabs": TABS,
        "page": page,
        "rows": queue_rows(request, page.items, now, group_campaigns=not filters.campaign),
        "counts": counts,
        "held_waiting": next((c for c in counts if c.tab.key == "held" and c.count), None),
        "top_id": page.items[0].pk if page.items and not request.GET.get("after") else None,
        "query": filter_query(request.GET),
        "query_without_tab": filter_query(request.GET, drop=("tab",)),
        "filter_fields": parse_qsl(filter_query(request.GET)),
        "statuses": [s for s in monitoring_statuses(channels, now) if not s.monitored],
        "bulk_verbs": BULK_VERBS,
        # "Select their open items" arrives with select=all: every row on the page is ticked.
        "preselected": request.GET.get("select") == "all" and bool(page.items),
        "undo_offered": undo_offered(request),
        "at_risk": at_risk,
        "at_risk_count": at_risk_count(at_risk),
    }


AT_RISK_SHOWN = 5


def at_risk_count(shown: list[tuple[Comment, str]]) -> int:
    """How many open items someone may be at risk in: counted only when the box is full."""
    if len(shown) < AT_RISK_SHOWN:
        return len(shown)
    return open_at_risk_items().count()


def at_risk_rows(request: HttpRequest) -> list[tuple[Comment, str]]:
    """Open items someone may be at risk in, shown above every tab (the most urgent few)."""
    return [
        (
            comment,
            render_comment_html(
                comment.text,
                # Only to mask personal data: the item page explains the rest.
                [f for f in comment.flags.all() if f.category == PERSONAL_DATA],
                mask_personal_data=masks_personal_data(request, comment.pk),
                limit=SNIPPET_LENGTH,
            ),
        )
        for comment in open_at_risk_items()
        .select_related("claimed_by")  # the box says who has each one
        .prefetch_related(Prefetch("flags", queryset=visible_flags()))[:AT_RISK_SHOWN]
    ]


@require_permission("work_queue")
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/console/queue.html", queue_context(request))


@require_permission("work_queue")
def queue_counts(request: HttpRequest) -> HttpResponse:
    """The tab counts, polled every 10 s; announces changes in the page's live region."""
    form = QueueFilterForm(request.GET)
    filters = filters_for(request, form)
    counts = tab_counts(filters)
    previous = _seen_counts(request.GET.get("seen", ""))
    changes = [
        f"{c.tab.label.lower()} {c.label} (was {previous[c.tab.key]:,})"
        for c in counts
        if c.tab.key in previous and previous[c.tab.key] != c.count
    ]
    top = top_item_id(filters)
    shown_top = request.GET.get("top", "")
    stale_list = bool(shown_top) and str(top or "") != shown_top
    return render(
        request,
        "moderation/console/_tabs.html",
        {
            "counts": counts,
            "tab": filters.tab_spec,
            "query": filter_query(request.GET),
            "query_without_tab": filter_query(request.GET, drop=("tab",)),
            "announcement": _announcement(
                changes, stale_list and request.GET.get("notified") != "1"
            ),
            "top_id": shown_top if stale_list else (top or ""),
            "stale_list": stale_list,
            "polled": True,
        },
    )


def _announcement(changes: list[str], stale_list: bool) -> str:
    parts = []
    if changes:
        parts.append("Queue updated: " + "; ".join(changes) + ".")
    if stale_list:
        parts.append("New items have reached the top of this list.")
    return " ".join(parts)


def _seen_counts(raw: str) -> dict[str, int]:
    """Parse "review:12,held:3" from the poll's own URL; anything odd is ignored."""
    seen: dict[str, int] = {}
    for part in raw[:300].split(","):
        key, _, value = part.partition(":")
        if key and value.isdigit() and len(value) < 9:
            seen[key] = int(value)
    return seen
