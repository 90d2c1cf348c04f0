"""How fast the console answers with a million comments: the queue, an item, and "next".

Run from the repository root (PostgreSQL at 127.0.0.1:5432, or ``BENCH_POSTGRES``)::

    .venv/bin/python -m bench.queue_latency            # seed once (about a minute), then measure
    .venv/bin/python -m bench.queue_latency --reseed   # drop the database and seed it again

It creates the database ``smpolicy_bench_console``, migrates it, and bulk-loads 1,000,000
comments (with authors, posts, flags, outbox rows and escalations in realistic proportions)
with PostgreSQL ``COPY`` through psycopg, not the ORM. Then it signs an officer in with Django's
test client, in-process, and times each request from the client's side of the WSGI handler
(server time: middleware, views, queries, templates; no network). It prints p50 and p95 per
page, the figures quoted in ``docs/console.md``. The target is p95 under 150 ms.

The baseline, in the same run and alternated sample by sample, is the plain way of doing what
keeps the queue flat (``bench/queue_baselines.py``): the queue's pages with every tab counted
exactly instead of up to a cap, a deep page by OFFSET instead of a keyset, and "next"'s search
as one query over both statuses instead of one ordered index scan per status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.benchdb import SERVER, bench_environment
from bench.queue_baselines import (
    deep_page_queries,
    exact_counts,
    next_item_queries,
    nothing_changed,
    side_by_side,
    summary,
)

# Helpers running side by side each give their own name (BENCH_CONSOLE_DATABASE).
DATABASE = os.environ.get("BENCH_CONSOLE_DATABASE", "smpolicy_bench_console")
COMMENTS = 1_000_000
AUTHORS = 60_000
CHANNELS = 12
POSTS = 2_000
PLATFORMS = ("facebook", "instagram", "youtube", "x", "threads", "bluesky")
# Status mix of a council's year: most comments are clean; a few per cent wait for people.
STATUS_WEIGHTS = {
    "clean": 0.80,
    "done": 0.14,
    "review": 0.04,
    "held": 0.015,
    "escalated": 0.005,
}
CATEGORIES = ("abuse", "spam", "personal_data", "political", "complaint", "foi_request", "hate")
WORDS = [
    "bins",
    "collection",
    "road",
    "council",
    "tax",
    "library",
    "school",
    "parking",
    "flooding",
    "bridge",
    "consultation",
    "thanks",
    "when",
    "why",
    "again",
    "still",
    "nobody",
    "answered",
    "please",
    "fix",
    "terrible",
    "great",
    "idea",
    "meeting",
    "riverside",
    "budget",
    "potholes",
    "bus",
    "route",
    "closed",
    "open",
    "weekend",
]
SAMPLES = 200
WARM_UP = 20
DEEP_PAGE = 20_000  # rows into the to-review tab (about 40,000 long)


def connect_admin() -> Any:
    import psycopg

    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def database_exists() -> bool:
    with connect_admin() as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        return row is not None


def prepare(reseed: bool) -> bool:
    """Point Django at the bench database (created and migrated if need be); True if empty."""
    fresh = reseed or not database_exists()
    if fresh:
        with connect_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    env = bench_environment(DATABASE)
    env["REDIS_URL"] = ""  # jobs in-process; the console's pages enqueue none
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Templates link static files; the manifest storage would need collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from moderation.models import Comment

    return fresh or not Comment.objects.exists()


def copy_rows(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY rows into a table in one stream; returns how many were written."""
    from django.db import connection

    count = 0
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def model_columns(model: Any, filled: str) -> tuple[list[str], list[Any]]:
    """Every concrete column but the id, with the field's default for those not in ``filled``.

    Taking the list from the model keeps the bench working when fields are added; a new
    required field with no default stops the bench with its name.
    """
    columns: list[str] = []
    defaults: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in filled.split():
            defaults.append(None)
        elif field.has_default():
            default = field.get_default()
            defaults.append(json.dumps(default) if isinstance(default, dict | list) else default)
        elif field.null:
            defaults.append(None)
        elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            defaults.append(dt.datetime.now(dt.UTC))
        elif field.empty_strings_allowed and field.get_default() == "":
            defaults.append("")  # a text field left blank
        else:
            raise SystemExit(f"{model.__name__}.{field.name} needs a value in the bench seed.")
    return columns, defaults


def seed() -> None:
    from django.db import connection, transaction

    from accounts.actions import do_create_user
    from accounts.audit import SystemActor
    from moderation.models import Author, Channel, Comment, Escalation, Flag, ModerationAction
    from moderation.models import Post as PostModel

    rng = random.Random(20261123)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with transaction.atomic():
        channels = [
            Channel.objects.create(
                platform=PLATFORMS[n % len(PLATFORMS)], account_id=f"bench-{n}", name=f"Bench {n}"
            )
            for n in range(CHANNELS)
        ]
        for username in ("olivia", "oscar"):
            do_create_user(
                username=username,
                role="officer",
                full_name=username.title(),
                actor=SystemActor.system("bench"),
            )
    channel_platform = {c.pk: c.platform for c in channels}

    def author_rows() -> Iterator[tuple[Any, ...]]:
        columns, base = model_columns(Author, "platform platform_id")
        index = {c: i for i, c in enumerate(columns)}
        for n in range(AUTHORS):
            row = list(base)
            row[index["platform"]] = PLATFORMS[n % len(PLATFORMS)]
            row[index["platform_id"]] = f"a{n}"
            row[index["handle"]] = f"resident{n}"
            row[index["display_name"]] = f"Resident {n}"
            row[index["strikes"]] = rng.choice((0, 0, 0, 0, 1, 2, 3, 5))
            yield tuple(row)

    author_columns, _ = model_columns(Author, "platform platform_id")
    copy_rows(Author._meta.db_table, author_columns, author_rows())
    authors_by_platform: dict[str, list[int]] = {}
    for pk, platform in Author.objects.values_list("pk", "platform"):
        authors_by_platform.setdefault(platform, []).append(pk)

    post_columns, post_base = model_columns(PostModel, "channel_id platform_id")
    post_index = {c: i for i, c in enumerate(post_columns)}

    def post_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(POSTS):
            row = list(post_base)
            row[post_index["channel_id"]] = channels[n % CHANNELS].pk
            row[post_index["platform_id"]] = f"p{n}"
            row[post_index["text"]] = f"Council update {n}: " + " ".join(rng.choices(WORDS, k=20))
            row[post_index["created_at"]] = now - dt.timedelta(days=365 * n / POSTS)
            yield tuple(row)

    copy_rows(PostModel._meta.db_table, post_columns, post_rows())
    posts_by_channel: dict[int, list[int]] = {}
    for pk, channel_id in PostModel.objects.values_list("pk", "channel_id"):
        posts_by_channel.setdefault(channel_id, []).append(pk)

    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    comment_columns, comment_base = model_columns(
        Comment, "channel_id platform_id author_id text created_at received_at"
    )
    ci = {c: i for i, c in enumerate(comment_columns)}

    def comment_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(COMMENTS):
            channel = channels[n % CHANNELS]
            status = rng.choices(statuses, weights)[0]
            received = now - dt.timedelta(seconds=(COMMENTS - n) * 31)
            flagged = status != "clean"
            severity = rng.randint(1, 5) if flagged else 0
            row = list(comment_base)
            row[ci["channel_id"]] = channel.pk
            row[ci["platform_id"]] = f"c{n}"
            row[ci["post_id"]] = rng.choice(posts_by_channel[channel.pk])
            row[ci["author_id"]] = rng.choice(authors_by_platform[channel_platform[channel.pk]])
            row[ci["text"]] = " ".join(rng.choices(WORDS, k=rng.randint(6, 40)))
            row[ci["created_at"]] = received - dt.timedelta(seconds=20)
            row[ci["received_at"]] = received
            row[ci["status"]] = status
            row[ci["visibility"]] = "hidden" if status == "held" else "visible"
            row[ci["priority"]] = severity * 20 + (rng.randint(0, 5) if flagged else 0)
            row[ci["categories"]] = json.dumps([rng.choice(CATEGORIES)] if flagged else [])
            row[ci["due_at"]] = (
                received + dt.timedelta(hours=rng.randint(1, 72)) if flagged else None
            )
            row[ci["evaluated_at"]] = received
            row[ci["evaluated_version"]] = 1
            row[ci["handled_at"]] = received + dt.timedelta(hours=2) if status == "done" else None
            yield tuple(row)

    copy_rows(Comment._meta.db_table, comment_columns, comment_rows())
    print(f"  comments loaded in {time.perf_counter() - started:.0f} s", flush=True)

    flag_columns, flag_base = model_columns(
        Flag, "comment_id ruleset_version rule_key rule_name category severity outcome"
    )
    fi = {c: i for i, c in enumerate(flag_columns)}
    # Read before the COPY starts: one connection cannot fetch rows while it streams a COPY.
    flagged = list(
        Comment.objects.exclude(status="clean").values_list("pk", "categories", "priority")
    )

    def flag_rows() -> Iterator[tuple[Any, ...]]:
        for pk, categories, priority in flagged:
            category = (categories or ["abuse"])[0]
            row = list(flag_base)
            row[fi["comment_id"]] = pk
            row[fi["ruleset_version"]] = 1
            row[fi["rule_key"]] = f"{category}.bench"
            row[fi["rule_name"]] = f"{category} (bench)"
            row[fi["category"]] = category
            row[fi["severity"]] = max(1, priority // 20)
            row[fi["outcome"]] = "review"
            row[fi["spans"]] = json.dumps([[0, 4]])
            row[fi["explanation"]] = "Seeded for the benchmark."
            row[fi["created_at"]] = now
            yield tuple(row)

    copy_rows(Flag._meta.db_table, flag_columns, flag_rows())

    action_columns, action_base = model_columns(
        ModerationAction, "channel_id kind actor_label requested_at"
    )
    ai = {c: i for i, c in enumerate(action_columns)}
    held = list(
        Comment.objects.filter(status__in=["held", "done"]).values_list(
            "pk", "channel_id", "author_id"
        )[:60_000]
    )

    def action_rows() -> Iterator[tuple[Any, ...]]:
        for n, (pk, channel_id, author_id) in enumerate(held):
            row = list(action_base)
            row[ai["channel_id"]] = channel_id
            row[ai["comment_id"]] = pk
            row[ai["author_id"]] = author_id
            row[ai["kind"]] = "hide"
            row[ai["state"]] = (
                "failed" if n % 20 == 0 else "pending" if n % 50 == 1 else "succeeded"
            )
            row[ai["actor_label"]] = "bench"
            row[ai["requested_at"]] = now - dt.timedelta(minutes=n)
            row[ai["last_error"]] = "Seeded failure" if n % 20 == 0 else ""
            yield tuple(row)

    copy_rows(ModerationAction._meta.db_table, action_columns, action_rows())

    escalation_columns, escalation_base = model_columns(
        Escalation, "comment_id route_id deadline_at created_by_label created_at"
    )
    ei = {c: i for i, c in enumerate(escalation_columns)}
    from moderation.models import EscalationRoute

    routes = list(EscalationRoute.objects.values_list("pk", flat=True))
    escalated = list(Comment.objects.filter(status="escalated").values_list("pk", flat=True))

    def escalation_rows() -> Iterator[tuple[Any, ...]]:
        for n, pk in enumerate(escalated):
            row = list(escalation_base)
            row[ei["comment_id"]] = pk
            row[ei["route_id"]] = routes[n % len(routes)]
            row[ei["deadline_at"]] = now + dt.timedelta(days=(n % 40) - 10)
            row[ei["state"]] = "open"
            row[ei["created_by_label"]] = "bench"
            row[ei["created_at"]] = now - dt.timedelta(days=5)
            yield tuple(row)

    copy_rows(Escalation._meta.db_table, escalation_columns, escalation_rows())
    with connection.cursor() as cursor:
        # What autovacuum would have done by now: statistics, and the visibility map that
        # lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE")
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def timed(label: str, request: Callable[[], Any], samples: int) -> dict[str, Any]:
    """A request with no plain way beside it."""
    for _ in range(WARM_UP):
        request()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{label}: HTTP {response.status_code}")
    return {"page": label, **summary(times), "plain": ""}


def compared(
    label: str, shipped: Callable[[], Any], plain: Callable[[], Any], way: str, samples: int
) -> dict[str, Any]:
    """``shipped`` beside the plain way of doing the same (``bench.queue_baselines``)."""
    plain_way = exact_counts if way == "exact counts" else nothing_changed
    ours, theirs = side_by_side(shipped, plain, plain_way, samples, WARM_UP)
    return {
        "page": label,
        **ours,
        "plain": way,
        "plain_p50": theirs["p50"],
        "plain_p95": theirs["p95"],
    }


def measure(samples: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from moderation.models import Comment

    client = Client()
    client.force_login(User.objects.get(username="olivia"))
    open_ids = list(
        Comment.objects.filter(status__in=["review", "held"])
        .order_by("?")
        .values_list("pk", flat=True)[:500]
    )
    rng = random.Random(7)
    first = client.get("/queue/")
    cursor = first.content.decode().split("after=")[1].split('"')[0]

    def get(url: str) -> Callable[[], Any]:
        return lambda: client.get(url)

    def counted(label: str, url: str) -> dict[str, Any]:
        return compared(label, get(url), get(url), "exact counts", samples)

    keyset, offset = deep_page_queries(DEEP_PAGE)
    per_status, one_query = next_item_queries("oscar")
    # The plain ways must find the same rows, or the comparison means nothing.
    assert keyset() == offset(), "the keyset and OFFSET pages differ"
    assert per_status() == one_query(), "the two searches for next differ"
    results = [
        counted("queue, first page (to review)", "/queue/"),
        counted("queue, a later page (keyset)", f"/queue/?after={cursor}"),
        counted("queue, done tab", "/queue/?tab=done"),
        counted("queue, Mine tab", "/queue/?tab=mine"),
        counted("queue counts (10 s poll)", "/queue/counts/"),
        timed(
            "item page",
            lambda: client.get(f"/queue/{rng.choice(open_ids)}/?tab=review"),
            samples,
        ),
        timed("next (claim)", lambda: client.post("/queue/next/", {"tab": "review"}), samples),
        compared(
            f"query: to-review page {DEEP_PAGE:,} rows deep (keyset)",
            keyset,
            offset,
            "OFFSET",
            samples,
        ),
        compared(
            "query: next's search (one index scan per status)",
            per_status,
            one_query,
            "one query over both statuses",
            samples,
        ),
    ]
    for label, url in (("queue", "/queue/"), ("item", f"/queue/{open_ids[0]}/")):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"  {label}: {len(queries.captured_queries)} queries")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    options = parser.parse_args()
    os.chdir(Path(__file__).resolve().parent.parent)
    if prepare(options.reseed):
        print(f"Seeding {COMMENTS:,} comments into {DATABASE} …", flush=True)
        seed()
    from moderation.models import Comment

    print(f"{Comment.objects.count():,} comments in {DATABASE}; {options.samples} samples each")
    results = measure(options.samples)
    out = io.StringIO()
    out.write(
        "| request | p50 (ms) | p95 (ms) | max (ms) | baseline: the plain way "
        "| its p50 (ms) | its p95 (ms) |\n| --- | ---: | ---: | ---: | --- | ---: | ---: |\n"
    )
    for r in results:
        plain = (
            f"{r['plain']} | {r['plain_p50']:.1f} | {r['plain_p95']:.1f}"
            if r["plain"]
            else "— | | "
        )
        out.write(f"| {r['page']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {plain} |\n")
    print(out.getvalue())
    worst = max(r["p95"] for r in results)
    print(f"worst p95: {worst:.1f} ms (target 150 ms): {'met' if worst < 150 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
