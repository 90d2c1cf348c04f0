"""Asking before an action that cannot be undone on the platform.

A removal is permanent everywhere; a block is permanent where the platform cannot lift it
(YouTube). The first post of such an action, on one item or many, answers with a page that says
so, per platform, in the platform's own words, and a form that posts the same action again with
``confirmed=yes``. Enter or "y" confirms (the button has the focus), Escape goes back. The check
is on the server, so it holds without JavaScript and for a form posted from anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moderation.actions.comments import ACTIONABLE
from moderation.console.highlight import render_comment_html
from moderation.console.shown import masks_personal_data, visible_flags
from moderation.models import Comment
from moderation.platforms import VERB_CAPABILITY, capabilities_for, permanent_because

CONFIRMED = "yes"
# verb → (title for one item, title for several, the confirm button)
WORDING = {
    "remove": ("Remove this comment?", "Remove {n} comments?", "Yes, remove permanently"),
    "reject": ("Reject this comment?", "Reject {n} comments?", "Yes, reject permanently"),
    "block": (
        "Block the author of this comment?",
        "Block the authors of {n} comments?",
        "Yes, block",
    ),
}


def needs_confirmation(request: HttpRequest, verb: str, comments: Sequence[Comment]) -> bool:
    """True when the action cannot be undone on some item's platform and was not confirmed."""
    if request.POST.get("confirmed") == CONFIRMED:
        return False
    # A removal of an item already handled is refused at once, without asking first.
    askable = [c for c in comments if verb == "block" or c.status in ACTIONABLE]
    return any(permanent_because(comment.channel, verb) for comment in askable)


@dataclass(frozen=True)
class PlatformWarning:
    platform: str
    items: int
    permanent: str  # why it cannot be undone there ("" if it can)
    refused: str  # why the platform cannot do it at all ("" if it can)


def warnings_for(verb: str, comments: Sequence[Comment]) -> list[PlatformWarning]:
    by_platform: dict[str, list[Comment]] = {}
    for comment in comments:
        by_platform.setdefault(comment.channel.get_platform_display(), []).append(comment)
    warnings = []
    for platform, items in sorted(by_platform.items()):
        channel = items[0].channel
        caps = capabilities_for(channel)
        capability = VERB_CAPABILITY.get(verb, verb)
        allowed = caps.allows(capability)
        warnings.append(
            PlatformWarning(
                platform=platform,
                items=len(items),
                permanent=permanent_because(channel, verb) if allowed else "",
                refused="" if allowed else caps.notes.get(capability) or "Not possible there.",
            )
        )
    return warnings


def confirmation_page(
    request: HttpRequest,
    verb: str,
    comments: Sequence[Comment],
    *,
    action: str,
    hidden: Sequence[tuple[str, str]],
    back: str,
) -> HttpResponse:
    """The page that asks; ``action`` and ``hidden`` re-post the same request, confirmed."""
    one, several, button = WORDING.get(verb, ("Are you sure?", "Are you sure?", "Yes"))
    with_flags = list(
        Comment.objects.filter(pk__in=[c.pk for c in comments])
        .select_related("channel", "author")
        .prefetch_related(Prefetch("flags", queryset=visible_flags()))
        .order_by("-priority", "id")
    )
    return render(
        request,
        "moderation/console/confirm.html",
        {
            "nav": "queue",
            "title": one if len(comments) == 1 else several.format(n=len(comments)),
            "button": button,
            "verb": verb,
            "warnings": warnings_for(verb, comments),
            "items": [
                (
                    comment,
                    render_comment_html(
                        comment.text,
                        list(comment.flags.all()),
                        mask_personal_data=masks_personal_data(request, comment.pk),
                        limit=200,
                    ),
                )
                for comment in with_flags[:20]
            ],
            "more": max(0, len(with_flags) - 20),
            "action": action,
            "hidden": hidden,
            "back": back,
        },
    )
