"""The plain ways of doing what keeps the queue fast, timed beside the shipped ways by
``bench.queue_latency`` in the same run (alternated sample by sample, so a change in the
machine's load falls on both alike). The code under test is never edited.

* **Exact counts** (the queue page and its 10-second poll): every tab counted to the end, the
  plain way, instead of stopping after ``COUNT_CAP`` + 1 rows of the index.
* **A deep page by OFFSET** (a query): the to-review tab's rows ``depth`` … ``depth`` + 50 by
  ``OFFSET``, the plain way, against the keyset condition the queue uses at the same depth.
* **"Next" in one query** (a query): the worst free item of to review and held by one query
  over both statuses, the plain way, against one ordered index scan per status
  (``do_claim_next_comment``'s search).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(times: list[float]) -> dict[str, float]:
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "max": max(times)}


@contextlib.contextmanager
def exact_counts() -> Iterator[None]:
    """Tab counts counted to the end: no cap."""
    from moderation.console import queries

    with mock.patch.object(queries, "COUNT_CAP", 10**9):
        yield


@contextlib.contextmanager
def nothing_changed() -> Iterator[None]:
    yield


def side_by_side(
    shipped: Callable[[], Any],
    plain: Callable[[], Any],
    plain_way: Callable[[], contextlib.AbstractContextManager[None]],
    samples: int,
    warm_up: int,
) -> tuple[dict[str, float], dict[str, float]]:
    """Milliseconds of ``shipped`` and of ``plain`` (run inside ``plain_way()``), alternated."""

    def once(call: Callable[[], Any]) -> float:
        started = time.perf_counter()
        answer = call()
        elapsed = (time.perf_counter() - started) * 1000
        if getattr(answer, "status_code", 200) not in (200, 302):
            raise SystemExit(f"HTTP {answer.status_code}")
        return elapsed

    for _ in range(warm_up):
        once(shipped)
        with plain_way():
            once(plain)
    shipped_times, plain_times = [], []
    for _ in range(samples):
        shipped_times.append(once(shipped))
        with plain_way():
            plain_times.append(once(plain))
    return summary(shipped_times), summary(plain_times)


def deep_page_queries(depth: int) -> tuple[Callable[[], list[int]], Callable[[], list[int]]]:
    """The to-review tab's page at ``depth`` rows: by keyset (shipped) and by OFFSET (plain)."""
    from moderation.console.queries import PAGE_SIZE, WORST_FIRST, _after, order_by_args
    from moderation.models import Comment

    to_review = Comment.objects.filter(status="review")
    order = order_by_args(WORST_FIRST)
    row = to_review.order_by(*order)[depth - 1 : depth].get()
    values = [getattr(row, key.field) for key in WORST_FIRST]

    def keyset() -> list[int]:
        after = to_review.filter(_after(WORST_FIRST, values, reverse=False))
        return list(after.order_by(*order).values_list("pk", flat=True)[: PAGE_SIZE + 1])

    def offset() -> list[int]:
        page = to_review.order_by(*order).values_list("pk", flat=True)
        return list(page[depth : depth + PAGE_SIZE + 1])

    return keyset, offset


def next_item_queries(username: str) -> tuple[Callable[[], int], Callable[[], int]]:
    """The worst free item of to review and held, found as "next" finds it (one ordered index
    scan per status, the worst head wins) and in one query over both statuses; each locks its
    row as "next" does, in a transaction that ends without a change."""
    from django.db import transaction
    from django.db.models import QuerySet
    from django.utils import timezone

    from accounts.models import User
    from moderation.actions.claims import (
        NEXT_STATUSES,
        QUEUE_ORDER,
        assigned_to_nobody_else,
        free_for,
        queue_position,
    )
    from moderation.models import Comment

    actor = User.objects.get(username=username)

    def free(now: dt.datetime) -> QuerySet[Comment]:
        return Comment.objects.filter(free_for(actor, now)).filter(assigned_to_nobody_else(actor))

    def head(candidates: QuerySet[Comment]) -> Comment | None:
        return (
            candidates.select_for_update(skip_locked=True, of=("self",))
            .order_by(*QUEUE_ORDER)
            .only("pk", "priority", "due_at")
            .first()
        )

    def per_status() -> int:
        with transaction.atomic():
            now = timezone.now()
            heads = [h for s in NEXT_STATUSES if (h := head(free(now).filter(status=s)))]
            return min(heads, key=queue_position).pk

    def one_query() -> int:
        with transaction.atomic():
            found = head(free(timezone.now()).filter(status__in=NEXT_STATUSES))
            assert found is not None
            return found.pk

    return per_status, one_query
