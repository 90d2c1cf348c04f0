"""Console pages: the queue, an item, the escalations list, and their htmx partials.

Views are thin: parse and validate, check the permission, read through ``queries``, render.
Everything that changes state is in ``moderation.console.acting`` and goes through one audited
action each. Comment text reaches templates only as HTML built by ``highlight`` (escaped, with
marks and masks), or as plain strings that templates auto-escape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.models import User
from accounts.roles import require_permission, user_can
from moderation.actions.authors import strikes_across_linked
from moderation.actions.claims import holder_of
from moderation.actions.undo import can_undo
from moderation.console.forms import (
    BULK_VERBS,
    CloseEscalationForm,
    EscalateForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    officers,
)
from moderation.console.highlight import redact_personal_data, render_comment_html
from moderation.console.item_policy import policy_context
from moderation.console.queries import (
    OPEN_STATUSES,
    TABS,
    WAITING_STATES,
    QueueFilters,
    filtered,
    neighbours,
    ordering_for,
    page_of,
    tab_counts,
    top_item_id,
)
from moderation.console.status import describe_moment, is_overdue, monitoring_statuses
from moderation.deadlines import escalation_deadline, is_overdue_escalation, posted_at
from moderation.models import (
    Channel,
    Comment,
    Escalation,
    EscalationRoute,
    Flag,
    ModerationAction,
    Organisation,
    QuarantinedItem,
    ReplyTemplate,
    Tag,
)
from moderation.platforms import capabilities_for
from moderation.replies import render_template, suggested_keys, templates_for

FILTER_KEYS = (
    "tab",
    "channel",
    "platform",
    "category",
    "status",
    "assignee",
    "author",
    "received_from",
    "received_to",
    "q",
    "overdue",
    "tag",
)
SNIPPET_LENGTH = 280
REVEALED_SESSION_KEY = "console_revealed"
LAST_ACTION_SESSION_KEY = "console_last_action"
FLAG_FIELDS = ("id", "comment_id", "category", "severity", "rule_name", "spans", "shadow")
REPLIES_SHOWN = 20
PLATFORM_VERBS = (
    # (verb, capability, label, shortcut, closes the item)
    ("approve", "", "Approve (keep)", "a", True),
    ("hide", "hide", "Hide", "h", True),
    ("remove", "remove", "Remove", "r", True),
    ("ignore", "", "Ignore", "i", True),
    ("unhide", "unhide", "Unhide", "v", False),
    ("block", "block", "Block the author", "b", False),
    # Offered only for a comment the platform holds, where hide and remove are not: r again.
    ("reject", "reject", "Reject", "r", True),
    ("detach_quote", "detach_quote", "Detach the quote", "d", True),
    ("mute", "mute", "Mute the author", "z", False),
    ("report", "report", "Report to the platform", "f", False),
)
# Verbs that only make sense for a comment the platform itself holds (YouTube), or for a quote.
HELD_ONLY = frozenset({"reject"})
QUOTE_ONLY = frozenset({"detach_quote"})
OPTIONAL_VERBS = frozenset({"reject", "detach_quote", "mute", "report"})
# What may be done with a private message: judge it here, and answer it privately.
PRIVATE_VERBS = frozenset({"approve", "ignore"})


def current_user(request: HttpRequest) -> User:
    """The signed-in user (the permission decorators have already turned away anyone else)."""
    return cast(User, request.user)


def filter_query(params: QueryDict, *, drop: tuple[str, ...] = ()) -> str:
    """The queue's filters as a query string, to carry from the queue to items and back."""
    kept = [
        (key, value[:200])
        for key in FILTER_KEYS
        if key not in drop
        for value in params.getlist(key)[:1]
        if value
    ]
    return urlencode(kept)


def safe_link(url: str) -> str:
    """The URL if it is an http(s) link to somewhere, else "" (never javascript: or data:)."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def masks_personal_data(request: HttpRequest, comment_id: int) -> bool:
    """Personal data stays masked unless the role may reveal it and this person has revealed it."""
    if not user_can(current_user(request), "reveal_personal_data"):
        return True
    return comment_id not in request.session.get(REVEALED_SESSION_KEY, [])


def filters_for(request: HttpRequest, form: QueueFilterForm) -> QueueFilters:
    """The queue filters asked for, searching personal data only if the role may reveal it."""
    me = current_user(request)
    return form.filters(me=me.pk, search_personal_data=user_can(me, "reveal_personal_data"))


@dataclass(frozen=True)
class ShownComment:
    """A comment as a page outside the queue shows it (subject access, backtests): marked,
    masked for this person unless revealed, bidi controls visible (``_shown_comment.html``)."""

    comment: Comment
    html: str
    masked: bool


def shown_comments(
    request: HttpRequest, comments: list[Comment], limit: int | None = None
) -> list[ShownComment]:
    flags: dict[int, list[Flag]] = {}
    for flag in visible_flags().filter(comment_id__in=[c.pk for c in comments]):
        flags.setdefault(flag.comment_id, []).append(flag)
    shown = []
    for comment in comments:
        own = flags.get(comment.pk, [])
        mask = masks_personal_data(request, comment.pk)
        shown.append(
            ShownComment(
                comment,
                render_comment_html(comment.text, own, mask_personal_data=mask, limit=limit),
                mask and any(f.category == "personal_data" and f.spans for f in own),
            )
        )
    return shown


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
        actor=current_user(request),
    )


def seen_token(comment: Comment) -> str:
    """What the officer saw: an action posted against a different state is stale."""
    handled = comment.handled_at.isoformat() if comment.handled_at else ""
    return f"{comment.status}|{handled}"


def visible_flags() -> QuerySet[Flag]:
    return Flag.objects.filter(shadow=False).only(*FLAG_FIELDS).order_by("-severity", "id")


def due_label(comment: Comment, now: dt.datetime) -> str:
    if comment.due_at is None or comment.status not in OPEN_STATUSES:
        return ""
    return describe_moment(comment.due_at, now)


def category_label(category: str) -> str:
    """ "personal_data" → "personal data": the category's fixed name, readable."""
    return category.replace("_", " ")


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


def queue_rows(request: HttpRequest, comments: list[Comment], now: dt.datetime) -> list[QueueRow]:
    me = current_user(request)
    rows = []
    for comment in comments:
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
    return {
        "nav": "queue",
        "form": form,
        "filters": filters,
        "tab": filters.tab_spec,
        "tabs": TABS,
        "page": page,
        "rows": queue_rows(request, page.items, now),
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
    }


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


def _action_options(comment: Comment) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The action buttons the platform allows for this item, and the ones it does not (why)."""
    caps = capabilities_for(comment.channel)
    platform = comment.channel.get_platform_display()
    is_open = comment.status in OPEN_STATUSES or comment.status in ("new", "clean")
    hidden = comment.visibility == Comment.Visibility.HIDDEN
    offered: list[dict[str, Any]] = []
    refused: list[dict[str, str]] = []
    quote = comment.raw.get("reason") == "quote" if isinstance(comment.raw, dict) else False
    for verb, capability, label, key, closes in PLATFORM_VERBS:
        if closes and not is_open:
            continue
        if comment.private and verb not in PRIVATE_VERBS:
            continue
        if verb == "unhide" and (not hidden or comment.platform_status):
            continue
        if verb in ("hide", "remove") and comment.platform_status and caps.reject:
            continue  # already held by the platform: approve or reject it instead
        if verb == "block" and comment.author.blocked:
            continue
        if (verb in HELD_ONLY and not comment.platform_status) or (
            verb in QUOTE_ONLY and not quote
        ):
            continue
        if verb == "approve" and comment.platform_status and caps.approve:
            capability = "approve"  # publishes what the platform held
        label = caps.labels.get(capability, label) if capability else label
        note = caps.notes.get(capability, "") if capability else ""
        if capability and not caps.allows(capability):
            if verb in OPTIONAL_VERBS:
                continue  # offered where the platform has it; not worth a "not possible" line
            refused.append({"label": label, "reason": note or f"{platform} does not allow it."})
            continue
        offered.append({"verb": verb, "label": label, "key": key, "note": note})
    if not caps.allows("reply"):
        refused.append({"label": "Reply", "reason": caps.notes.get("reply", "") or "No replies."})
    if comment.private:
        refused.append(
            {
                "label": "Hide, remove, block",
                "reason": "This is a private message: it is answered privately and never acted "
                "on in public.",
            }
        )
    return offered, refused


@require_permission("work_queue")
def item(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "channel",
            "author",
            "post",
            "parent",
            "parent__author",
            "claimed_by",
            "handled_by",
            "assigned_to",
        ).annotate(was_quarantined=was_quarantined()),
        pk=pk,
    )
    return render(request, "moderation/console/item.html", item_context(request, comment))


def was_quarantined() -> Exists:
    """Whether a comment has quarantine records, asked in the comment's own query: the records
    are read only for the few that have any, so the item page's query count stays fixed."""
    return Exists(QuarantinedItem.objects.filter(comment_id=OuterRef("pk")))


def item_context(request: HttpRequest, comment: Comment) -> dict[str, Any]:
    now = timezone.now()
    me = current_user(request)
    org = Organisation.current()
    flags = list(Flag.objects.filter(comment=comment, shadow=False).order_by("-severity", "id"))
    masked = masks_personal_data(request, comment.pk)
    has_personal_data = any(f.category == "personal_data" and f.spans for f in flags)
    replies = list(
        comment.replies.select_related("author")
        .prefetch_related(Prefetch("flags", queryset=visible_flags()))
        .order_by("created_at", "id")[:REPLIES_SHOWN]
    )
    parent_html = None
    if comment.parent is not None:
        parent_flags = list(visible_flags().filter(comment=comment.parent))
        parent_html = render_comment_html(
            comment.parent.text,
            parent_flags,
            mask_personal_data=masks_personal_data(request, comment.parent.pk),
        )
    templates = templates_for(comment, org, ReplyTemplate.objects.all())
    chosen_key = request.GET.get("template", "")[:60]
    chosen = next((t for t in templates if t.key == chosen_key), None)
    reply_text = render_template(chosen, comment, org) if chosen else ""
    routes = [
        (
            route,
            escalation_deadline(
                route, comment.channel, posted_at=posted_at(comment), escalated_at=now
            ),
        )
        for route in EscalationRoute.objects.all()
    ]
    # Preselect the route a rule named (an FOI request → the FOI team), else the manager.
    suggested_route = next((f.route for f in flags if f.route), "") or "manager"
    offered, refused = _action_options(comment)
    holder = holder_of(comment, now)
    queue_filters = filters_for(request, QueueFilterForm(request.GET))
    previous_id, next_id = (None, None)
    if comment.status in OPEN_STATUSES or queue_filters.tab in ("done", "all", "waiting"):
        previous_id, next_id = neighbours(
            filtered(queue_filters), ordering_for(queue_filters.tab_spec), comment
        )
    statuses = monitoring_statuses([comment.channel], now)
    return {
        "nav": "queue",
        "comment": comment,
        "comment_html": render_comment_html(comment.text, flags, mask_personal_data=masked),
        "flags": [
            (
                flag,
                category_label(flag.category),
                redact_personal_data(
                    flag.explanation,
                    comment.text,
                    flags,
                    quoted=flag.category == "personal_data",
                )
                if masked
                else flag.explanation,
            )
            for flag in flags
        ],
        "masked": masked and has_personal_data,
        "can_reveal": user_can(me, "reveal_personal_data"),
        "parent_html": parent_html,
        "replies": [
            (
                reply,
                render_comment_html(
                    reply.text,
                    list(reply.flags.all()),
                    mask_personal_data=masks_personal_data(request, reply.pk),
                    limit=SNIPPET_LENGTH * 2,
                ),
            )
            for reply in replies
        ],
        "post_link": safe_link(comment.post.permalink) if comment.post else "",
        "permalink": safe_link(comment.permalink),
        "author": author_summary(request, comment, org),
        "offered": offered,
        "refused": refused,
        "can_reply": capabilities_for(comment.channel).allows("reply"),
        "platform_notes": capabilities_for(comment.channel).notes,
        "templates": templates,
        "suggested": suggested_keys(comment, templates),
        "chosen_template": chosen,
        "reply_form": ReplyForm(initial={"text": reply_text, "template": chosen_key}),
        "escalate_form": EscalateForm(),
        "note_form": NoteForm(),
        "routes": routes,
        "suggested_route": suggested_route,
        "officers": list(officers()),
        "tags": (tags := list(comment.tags.all())),
        "available_tags": [t for t in Tag.objects.filter(active=True) if t not in tags],
        **outbox_context(comment),
        "escalations": [
            (e, redact_personal_data(e.note, comment.text, flags) if masked else e.note)
            for e in comment.escalations.select_related("route", "assignee")
        ],
        "notes": [
            (n, redact_personal_data(n.text, comment.text, flags) if masked else n.text)
            for n in comment.notes.all()[:20]
        ],
        "quarantine_notes": [
            (
                item,
                redact_personal_data(item.reason, comment.text, flags) if masked else item.reason,
            )
            for item in (
                comment.quarantined.all() if getattr(comment, "was_quarantined", True) else []
            )
        ],
        "holder": holder,
        "held_by_other": holder is not None and holder.pk != me.pk,
        "held_by_me": holder is not None and holder.pk == me.pk,
        "is_open": comment.status in OPEN_STATUSES,
        "overdue": is_overdue(comment.due_at, comment.status, now),
        "due": due_label(comment, now),
        "monitoring": statuses[0] if statuses else None,
        "seen": seen_token(comment),
        "query": filter_query(request.GET),
        "filter_fields": parse_qsl(filter_query(request.GET)),
        "crisis": org.crisis_mode or comment.channel.crisis_mode,
        "previous_id": previous_id,
        "next_id": next_id,
        "undo_offered": undo_offered(request),
        **policy_context(request, comment, org),
    }


def outbox_context(comment: Comment) -> dict[str, Any]:
    """The item's outbox rows, newest first, and whether any is still on its way."""
    rows = list(
        ModerationAction.objects.filter(comment=comment).order_by("-requested_at", "-id")[:20]
    )
    in_flight = any(a.state in ("pending", "sending") for a in rows)
    return {"outbox": rows, "in_flight": in_flight}


@dataclass(frozen=True)
class AuthorSummary:
    comments: int
    flagged: int
    platform_actions: int
    channels: int
    strikes: int  # with those of authors an officer confirmed are the same person
    recommend_block: bool
    threshold: int


def author_summary(request: HttpRequest, comment: Comment, org: Organisation) -> AuthorSummary:
    """The author's moderation record: counts and strikes. Their history and the notes about
    them are a profile of a person, shown on the author page (purpose asked, views audited)."""
    author = comment.author
    totals = Comment.objects.filter(author=author).aggregate(
        comments=Count("id"),
        flagged=Count("id", filter=Q(priority__gt=0)),
        channels=Count("channel", distinct=True),
    )
    strikes = strikes_across_linked(author)
    return AuthorSummary(
        comments=totals["comments"],
        flagged=totals["flagged"],
        # Every outbox row carries its comment's author (queue_platform_action sets it).
        platform_actions=ModerationAction.objects.filter(author=author).count(),
        channels=totals["channels"],
        strikes=strikes,
        recommend_block=strikes >= org.strike_threshold and not author.blocked,
        threshold=org.strike_threshold,
    )


@require_permission("work_queue")
def item_outbox(request: HttpRequest, pk: int) -> HttpResponse:
    """The item's platform actions and their states (polled while any is still on its way)."""
    comment = get_object_or_404(Comment.objects.select_related("channel"), pk=pk)
    return render(
        request,
        "moderation/console/_outbox.html",
        {"comment": comment, **outbox_context(comment), "query": filter_query(request.GET)},
    )


@require_permission("work_queue")
def reply_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply editor filled from the chosen template, for the officer to check and edit."""
    comment = get_object_or_404(Comment.objects.select_related("channel", "author"), pk=pk)
    org = Organisation.current()
    key = request.GET.get("template", "")[:60]
    template = ReplyTemplate.objects.filter(key=key, active=True).first()
    if template is None:
        raise Http404("No such reply template.")
    form = ReplyForm(initial={"text": render_template(template, comment, org), "template": key})
    return render(
        request,
        "moderation/console/_reply_editor.html",
        {
            "comment": comment,
            "reply_form": form,
            "chosen_template": template,
            "seen": seen_token(comment),
            "query": filter_query(request.GET),
        },
    )


@require_permission("work_queue")
def escalations(request: HttpRequest) -> HttpResponse:
    """Open escalations by route and deadline, overdue first within each route."""
    now = timezone.now()
    me = current_user(request)
    routes = list(EscalationRoute.objects.all())
    route_key = request.GET.get("route", "")[:30]
    mine = request.GET.get("mine") == "1"
    state = "closed" if request.GET.get("state") == "closed" else "open"
    open_escalations = Escalation.objects.filter(state=state).select_related(
        "route", "assignee", "comment", "comment__channel", "comment__author"
    )
    if route_key:
        open_escalations = open_escalations.filter(route__key=route_key)
    if mine:
        open_escalations = open_escalations.filter(assignee=me)
    ordered = open_escalations.order_by(
        "route__name", "deadline_at" if state == "open" else "-closed_at", "id"
    )[:300]
    items = list(ordered.prefetch_related(Prefetch("comment__flags", queryset=visible_flags())))
    rows = [
        {
            "escalation": e,
            "overdue": is_overdue_escalation(e.state, e.deadline_at, now),
            "deadline": describe_moment(e.deadline_at, now),
            "snippet": render_comment_html(
                e.comment.text,
                list(e.comment.flags.all()),
                mask_personal_data=masks_personal_data(request, e.comment_id),
                limit=200,
            ),
            "note": (
                redact_personal_data(e.note, e.comment.text, list(e.comment.flags.all()))
                if masks_personal_data(request, e.comment_id)
                else e.note
            ),
        }
        for e in items
    ]
    return render(
        request,
        "moderation/console/escalations.html",
        {
            "nav": "escalations",
            "rows": rows,
            "routes": routes,
            "route_key": route_key,
            "mine": mine,
            "state": state,
            "close_form": CloseEscalationForm(),
            "overdue_count": sum(1 for r in rows if r["overdue"]),
        },
    )
