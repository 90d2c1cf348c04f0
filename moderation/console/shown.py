"""How a comment is shown on any console page: its flags, its text with personal data masked
unless revealed on the record, safe links, and the queue's filters carried from page to page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from accounts.roles import acting_user, user_can
from moderation.console.highlight import render_comment_html
from moderation.models import (
    Comment,
    Flag,
)

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
FLAG_FIELDS = ("id", "comment_id", "category", "severity", "rule_name", "spans", "shadow")


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
    if not user_can(acting_user(request), "reveal_personal_data"):
        return True
    return comment_id not in request.session.get(REVEALED_SESSION_KEY, [])


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


def seen_token(comment: Comment) -> str:
    """What the officer saw: an action posted against a different state is stale."""
    handled = comment.handled_at.isoformat() if comment.handled_at else ""
    return f"{comment.status}|{handled}"


def visible_flags() -> QuerySet[Flag]:
    return Flag.objects.filter(shadow=False).only(*FLAG_FIELDS).order_by("-severity", "id")


def category_label(category: str) -> str:
    """ "personal_data" → "personal data": the category's fixed name, readable. A flag with no
    category is the engine's one signal, a campaign (``rules.engine.types.SIGNALS``)."""
    return category.replace("_", " ") if category else "campaign"
