"""An item's page: the comment, why it was flagged, what can be done on its platform, its outbox
and the reply preview, and the page again for a refused reply or notice. Reads only; what
changes state is in ``moderation.views.acting``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.authors import strikes_across_linked
from moderation.actions.claims import holder_of
from moderation.at_risk import AT_RISK_CATEGORY
from moderation.classifiers.scoring import shown_scores
from moderation.console.flag_evidence import evidence_for
from moderation.console.forms import (
    EscalateForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    officers,
)
from moderation.console.forms_policy import NoticeForm
from moderation.console.highlight import redact_personal_data, render_comment_html
from moderation.console.item_policy import policy_context
from moderation.console.queries import (
    OPEN_STATUSES,
    filtered,
    neighbours,
    ordering_for,
)
from moderation.console.shown import (
    SNIPPET_LENGTH,
    category_label,
    filter_query,
    masks_personal_data,
    safe_link,
    seen_token,
    visible_flags,
)
from moderation.console.status import is_overdue, monitoring_statuses
from moderation.deadlines import escalation_deadline, posted_at
from moderation.models import (
    Comment,
    EscalationRoute,
    Flag,
    ModerationAction,
    Organisation,
    QuarantinedItem,
    ReplyTemplate,
    Strike,
    Tag,
)
from moderation.platforms import capabilities_for
from moderation.replies import render_template, suggested_keys, templates_for
from moderation.send_check import SendCheck
from moderation.views.queue import due_label, filters_for, undo_offered

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
    return render(request, "moderation/console/item.html", item_context(request, _item(pk)))


def item_again(
    request: HttpRequest,
    pk: int,
    *,
    reply_form: ReplyForm | None = None,
    notice_form: NoticeForm | None = None,
    send_check: SendCheck | None = None,
) -> HttpResponse:
    """The item page, as it is now, for a reply or notice that was refused: the form as the
    officer sent it, so their words stay in the box beside the reason (the messages, or the
    policy check's findings), and a reply keeps the template it started from, whose own
    direction marks it may still carry. A redirect would fill the box afresh and lose them."""
    context = item_context(request, _item(pk))
    if reply_form is not None:
        key = reply_form["template"].value() or ""
        chosen = next((t for t in context["templates"] if t.key == key), None)
        context.update(reply_form=reply_form, chosen_template=chosen, send_check=send_check)
    if notice_form is not None:
        context["notice_form"] = notice_form
    return render(request, "moderation/console/item.html", context, status=400)


def _item(pk: int) -> Comment:
    return get_object_or_404(
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


def was_quarantined() -> Exists:
    """Whether a comment has quarantine records, asked in the comment's own query: the records
    are read only for the few that have any, so the item page's query count stays fixed."""
    return Exists(QuarantinedItem.objects.filter(comment_id=OuterRef("pk")))


def item_context(request: HttpRequest, comment: Comment) -> dict[str, Any]:
    now = timezone.now()
    me = acting_user(request)
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
    if chosen is None and not chosen_key and AT_RISK_CATEGORY in (comment.categories or []):
        # Someone may be at risk: the Samaritans and 999 reply is ready to send (still checked).
        chosen = next((t for t in templates if AT_RISK_CATEGORY in t.for_categories), None)
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
        "outside_scores": shown_scores(comment),
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
                evidence_for(flag, comment.text, masked=masked, flags=flags),
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
    last_strike_at: dt.datetime | None  # this account's latest strike not taken back
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
        last_strike_at=Strike.objects.filter(author=author, taken_back_at__isnull=True).aggregate(
            last=Max("given_at")
        )["last"],
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
