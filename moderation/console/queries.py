"""The queue as queries: tabs, filters, keyset pagination, neighbours and live counts.

Pagination is by keyset, never OFFSET: a page is "the N rows after this row's sort key", so
page 500 costs what page 1 costs and rows arriving meanwhile do not shift what an officer sees.
The open tabs sort worst first (priority, then the earliest due time, then id) along the
``comment_queue_order`` index; the done and all tabs newest first along the primary key.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OrderBy, OuterRef, Q, QuerySet
from django.utils import timezone

from moderation.console.highlight import PERSONAL_DATA
from moderation.deadlines import past_due
from moderation.hours import LONDON
from moderation.models import Comment, CommentTag, Flag, ModerationAction

PAGE_SIZE = 50
COUNT_CAP = 999
MAX_SEARCH_LENGTH = 200
WAITING_STATES = (
    ModerationAction.State.AWAITING_APPROVAL,
    ModerationAction.State.PENDING,
    ModerationAction.State.SENDING,
    ModerationAction.State.FAILED,
)
OPEN_STATUSES = (Comment.Status.REVIEW, Comment.Status.HELD, Comment.Status.ESCALATED)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    statuses: tuple[str, ...] = ()
    waiting: bool = False
    worst_first: bool = True
    listed: bool = True  # shown in the tab bar, with a live count
    mine: bool = False  # only items assigned to the officer looking


TABS: tuple[Tab, ...] = (
    Tab("review", "To review", (Comment.Status.REVIEW,)),
    Tab("held", "Held", (Comment.Status.HELD,)),
    Tab("escalated", "Escalated", (Comment.Status.ESCALATED,)),
    # Open items assigned to the officer looking, whatever their status.
    Tab("mine", "Mine", OPEN_STATUSES, mine=True),
    Tab("waiting", "Waiting on the platform", waiting=True),
    Tab("done", "Done", (Comment.Status.DONE,), worst_first=False),
    Tab("all", "All", worst_first=False),
    # Every open item at once, for one author's open items ("select their open items").
    Tab("open", "Open (to review, held, escalated)", OPEN_STATUSES, listed=False),
)
TABS_BY_KEY = {tab.key: tab for tab in TABS}
DEFAULT_TAB = "review"


@dataclass(frozen=True)
class SortKey:
    """One column of a keyset ordering. Nullable columns sort their NULLs last (as the index)."""

    field: str
    descending: bool = False
    nullable: bool = False
    kind: str = "int"  # "int" or "datetime": how the cursor stores the value


WORST_FIRST = (
    SortKey("priority", descending=True),
    SortKey("due_at", nullable=True, kind="datetime"),
    SortKey("id"),
)
NEWEST_FIRST = (SortKey("id", descending=True),)


@dataclass(frozen=True)
class QueueFilters:
    """What the officer asked to see. Every field is optional; the tab defaults to "review"."""

    tab: str = DEFAULT_TAB
    channel_id: int | None = None
    platform: str = ""
    category: str = ""
    status: str = ""
    assignee_id: int | None = None
    author_id: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str = ""
    overdue: bool = False
    # Whether the search may match personal data, i.e. the searcher's role may reveal it. Not a
    # filter of its own, so it takes no part in comparing filters.
    search_personal_data: bool = field(default=False, compare=False)
    tag: str = ""
    campaign: str = ""  # one campaign's copies (moderation.campaigns), listed in full
    me: int | None = None  # the officer looking (for the "Mine" tab), not a filter they chose

    @property
    def tab_spec(self) -> Tab:
        return TABS_BY_KEY.get(self.tab, TABS_BY_KEY[DEFAULT_TAB])

    @property
    def narrowed(self) -> bool:
        """Whether any filter beyond the tab is set."""
        return self != QueueFilters(tab=self.tab, me=self.me)


def ordering_for(tab: Tab) -> tuple[SortKey, ...]:
    return WORST_FIRST if tab.worst_first else NEWEST_FIRST


def order_by_args(ordering: Sequence[SortKey], *, reverse: bool = False) -> list[OrderBy]:
    args = []
    for key in ordering:
        descending = key.descending != reverse
        expression = F(key.field)
        if key.nullable:
            # NULLs last going forward, so NULLs first when walking backwards.
            args.append(
                expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)
            )
        else:
            args.append(expression.desc() if descending else expression.asc())
    return args


def _after(ordering: Sequence[SortKey], values: Sequence[Any], *, reverse: bool) -> Q:
    """Rows strictly after ``values`` in the ordering (or before it, when ``reverse``)."""
    condition: Q | None = None
    for key, value in reversed(list(zip(ordering, values, strict=True))):
        descending = key.descending != reverse
        nulls_last = not reverse  # nullable keys: NULLs last forwards, first backwards
        if value is None:
            greater = Q(pk__in=[]) if nulls_last else Q(**{f"{key.field}__isnull": False})
            equal = Q(**{f"{key.field}__isnull": True})
        else:
            greater = Q(**{f"{key.field}__{'lt' if descending else 'gt'}": value})
            if key.nullable and nulls_last:
                greater |= Q(**{f"{key.field}__isnull": True})
            equal = Q(**{key.field: value})
        condition = greater if condition is None else greater | (equal & condition)
    if condition is None:
        return Q()
    lead, lead_value = ordering[0], values[0]
    if not lead.nullable and lead_value is not None:
        # Redundant, but a plain range on the leading column becomes an index bound, so the
        # scan starts at the cursor instead of filtering every row before it.
        descending = lead.descending != reverse
        condition &= Q(**{f"{lead.field}__{'lte' if descending else 'gte'}": lead_value})
    return condition


def encode_cursor(ordering: Sequence[SortKey], row: Comment) -> str:
    values = []
    for key in ordering:
        value = getattr(row, key.field)
        values.append(value.isoformat() if isinstance(value, dt.datetime) else value)
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(ordering: Sequence[SortKey], cursor: str) -> list[Any] | None:
    """The sort values in a cursor, or None if it is not one of ours (it came from a URL)."""
    if not cursor or len(cursor) > 400:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(ordering):
        return None
    decoded: list[Any] = []
    for key, value in zip(ordering, values, strict=True):
        if value is None and key.nullable:
            decoded.append(None)
        elif key.kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            decoded.append(value)
        elif key.kind == "datetime" and isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return None
            if moment.tzinfo is None:
                return None
            decoded.append(moment)
        else:
            return None
    return decoded


def filtered(filters: QueueFilters, *, with_tab: bool = True) -> QuerySet[Comment]:
    """Comments matching the filters (and the tab, unless counting every tab at once)."""
    queryset = Comment.objects.all()
    if with_tab:
        queryset = in_tab(queryset, filters.tab_spec, filters.me)
    if filters.channel_id is not None:
        queryset = queryset.filter(channel_id=filters.channel_id)
    if filters.platform:
        queryset = queryset.filter(channel__platform=filters.platform)
    if filters.category:
        queryset = queryset.filter(
            Exists(
                Flag.objects.filter(
                    comment_id=OuterRef("pk"), category=filters.category, shadow=False
                )
            )
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.assignee_id is not None:
        queryset = queryset.filter(
            Q(claimed_by_id=filters.assignee_id) | Q(handled_by_id=filters.assignee_id)
        )
    if filters.author_id is not None:
        queryset = queryset.filter(author_id=filters.author_id)
    if filters.tag:
        queryset = queryset.filter(
            Exists(CommentTag.objects.filter(comment_id=OuterRef("pk"), tag__key=filters.tag))
        )
    if filters.campaign:
        queryset = queryset.filter(campaign_key=filters.campaign)
    if filters.received_from is not None:
        queryset = queryset.filter(received_at__gte=_start_of(filters.received_from))
    if filters.received_to is not None:
        queryset = queryset.filter(
            received_at__lt=_start_of(filters.received_to + dt.timedelta(days=1))
        )
    if filters.overdue:
        queryset = queryset.filter(past_due(timezone.now()))
    search = filters.search.strip()[:MAX_SEARCH_LENGTH]
    if search:
        queryset = queryset.filter(
            text_search(search, personal_data=filters.search_personal_data)
            | Q(author__handle__icontains=search)
            | Q(author__display_name__icontains=search)
        )
    return queryset


def text_search(search: str, *, personal_data: bool) -> Q:
    """Comments whose text contains ``search``, as the searcher can see the text.

    Without ``personal_data`` the search must not match masked spans, or a sequence of searches
    ("card is 4", "card is 41" …) would read them: a comment with personal data is searched in
    its masked copy; one without is searched as it is, once the rules have looked at it (until
    then no one knows what in it must be masked); one whose personal data has no masked copy
    is not searched by its text at all.
    """
    if personal_data:
        return Q(text__icontains=search)
    has_personal_data = Exists(
        Flag.objects.filter(comment_id=OuterRef("pk"), category=PERSONAL_DATA, shadow=False)
    )
    return Q(masked_text__icontains=search) | (
        Q(masked_text="")
        & ~Q(status=Comment.Status.NEW)
        & ~has_personal_data
        & Q(text__icontains=search)
    )


def in_tab(queryset: QuerySet[Comment], tab: Tab, me: int | None = None) -> QuerySet[Comment]:
    if tab.mine:
        # Nobody is looking (a count without a person): the tab is empty, not everyone's.
        queryset = queryset.filter(assigned_to_id=me) if me else queryset.none()
    if tab.waiting:
        return queryset.filter(
            pk__in=ModerationAction.objects.filter(
                state__in=WAITING_STATES, comment__isnull=False
            ).values("comment_id")
        )
    if tab.statuses:
        return queryset.filter(status__in=tab.statuses)
    return queryset


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)


@dataclass(frozen=True)
class QueuePage:
    items: list[Comment]
    next_cursor: str | None
    previous_cursor: str | None


def page_of(
    queryset: QuerySet[Comment],
    ordering: Sequence[SortKey],
    *,
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> QueuePage:
    """One page by keyset: the ``size`` rows after ``after`` (or just before ``before``)."""
    before_values = decode_cursor(ordering, before) if before else None
    if before_values is not None:
        rows = list(
            queryset.filter(_after(ordering, before_values, reverse=True)).order_by(
                *order_by_args(ordering, reverse=True)
            )[: size + 1]
        )
        more_before = len(rows) > size
        items = list(reversed(rows[:size]))
        return QueuePage(
            items=items,
            next_cursor=encode_cursor(ordering, items[-1]) if items else None,
            previous_cursor=encode_cursor(ordering, items[0]) if items and more_before else None,
        )
    after_values = decode_cursor(ordering, after) if after else None
    if after_values is not None:
        queryset = queryset.filter(_after(ordering, after_values, reverse=False))
    rows = list(queryset.order_by(*order_by_args(ordering))[: size + 1])
    items = rows[:size]
    return QueuePage(
        items=items,
        next_cursor=encode_cursor(ordering, items[-1]) if len(rows) > size else None,
        previous_cursor=(
            encode_cursor(ordering, items[0]) if items and after_values is not None else None
        ),
    )


def neighbours(
    queryset: QuerySet[Comment], ordering: Sequence[SortKey], comment: Comment
) -> tuple[int | None, int | None]:
    """The ids of the items just before and just after ``comment`` in this queue."""
    values = [getattr(comment, key.field) for key in ordering]
    following = (
        queryset.filter(_after(ordering, values, reverse=False))
        .order_by(*order_by_args(ordering))
        .values_list("pk", flat=True)
        .first()
    )
    preceding = (
        queryset.filter(_after(ordering, values, reverse=True))
        .order_by(*order_by_args(ordering, reverse=True))
        .values_list("pk", flat=True)
        .first()
    )
    return preceding, following


@dataclass(frozen=True)
class TabCount:
    tab: Tab
    count: int
    capped: bool

    @property
    def label(self) -> str:
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.count:,}"


def tab_counts(filters: QueueFilters) -> list[TabCount]:
    """How many items each tab holds under the current filters, counted up to a cap.

    Capping keeps the 10-second poll cheap on a million rows: an officer needs "lots", not
    "412,318", and each count stops after COUNT_CAP + 1 rows of the index.
    """
    base = filtered(filters, with_tab=False)
    unfiltered = not filters.narrowed
    counts = []
    for tab in TABS:
        if tab.key == "all" or not tab.listed:
            continue
        if tab.waiting and unfiltered:
            # Every waiting item has an outbox row: count those, without joining the comments.
            waiting = ModerationAction.objects.filter(
                state__in=WAITING_STATES, comment__isnull=False
            )
            counted = waiting.order_by().values("comment_id").distinct()[: COUNT_CAP + 1].count()
        else:
            # No ORDER BY (the model's default would sort every row before the LIMIT).
            counted = in_tab(base, tab, filters.me).order_by().values("pk")[: COUNT_CAP + 1].count()
        counts.append(TabCount(tab, min(counted, COUNT_CAP), counted > COUNT_CAP))
    return counts


def waiting_for_judgement(filters: QueueFilters) -> dict[str, int]:
    """How many items to review and held wait under the filters (capped like the tab counts)."""
    base = filtered(filters, with_tab=False).order_by()
    return {
        status: base.filter(status=status).values("pk")[: COUNT_CAP + 1].count()
        for status in (Comment.Status.REVIEW, Comment.Status.HELD)
    }


def top_item_id(filters: QueueFilters) -> int | None:
    """The first item on the tab's first page: when it changes, the list is out of date."""
    ordering = ordering_for(filters.tab_spec)
    first: int | None = (
        filtered(filters).order_by(*order_by_args(ordering)).values_list("pk", flat=True).first()
    )
    return first
