"""The "n" key: claim the worst unclaimed item in this queue and open it, or say why not."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.claims import (
    NEXT_STATUSES,
    do_claim_next_comment,
)
from moderation.console.forms import (
    QueueFilterForm,
)
from moderation.console.queries import (
    TABS_BY_KEY,
    QueueFilters,
    filtered,
    waiting_for_judgement,
)
from moderation.console.shown import filter_query
from moderation.models import (
    Comment,
)
from moderation.views.acting import item_url
from moderation.views.queue import filters_for

# Tabs whose own items "next" hands out; from any other tab (the to-review tab included) it
# hands out items to review and held ones together, worst first, so hidden comments get judged.
CLAIM_TABS = ("held", "escalated")


@require_POST
@require_permission("work_queue")
def claim_next(request: HttpRequest) -> HttpResponse:
    """ "n": claim the worst unclaimed item in the current queue and open it."""
    me = acting_user(request)
    filters = filters_for(request, QueueFilterForm(request.POST))
    tab = TABS_BY_KEY.get(filters.tab)
    mine = tab is not None and tab.mine
    statuses = (
        tab.statuses if tab is not None and (tab.key in CLAIM_TABS or mine) else NEXT_STATUSES
    )
    scope = Q(pk__in=filtered(filters, with_tab=False).values("pk")) if filters.narrowed else None
    skip = request.POST.get("skip", "")
    comment = do_claim_next_comment(
        actor=me,
        statuses=statuses,
        scope=scope,
        skip_ids=[int(skip)] if skip.isdigit() and len(skip) < 19 else [],
        mine_only=mine,
    )
    query = filter_query(request.POST)
    if comment is None:
        messages.info(
            request,
            "Nothing assigned to you is waiting to be claimed."
            if mine
            else nothing_to_claim(filters, statuses),
        )
        queue_url = reverse("moderation:queue")
        return HttpResponseRedirect(f"{queue_url}?{query}" if query else queue_url)
    return HttpResponseRedirect(item_url(comment.pk, query))


def nothing_to_claim(filters: QueueFilters, statuses: tuple[str, ...]) -> str:
    """Why "next" found nothing: the queue is clear, or what is waiting is elsewhere or taken."""
    waiting = waiting_for_judgement(filters)
    if not any(waiting.values()):
        return "The queue is clear: nothing to review and nothing held."
    elsewhere = {status: n for status, n in waiting.items() if n and status not in statuses}
    if elsewhere:
        return (
            "Nothing left to claim on this tab, but "
            + " and ".join(
                f"{n} {'held' if status == Comment.Status.HELD else 'to review'}"
                for status, n in elsewhere.items()
            )
            + " wait: press n on the To review tab."
        )
    return "Nothing left to claim: every item waiting is taken by another officer."
