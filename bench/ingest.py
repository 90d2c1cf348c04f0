"""Ingest throughput: from emulator pages to stored and evaluated comments, end to end.

PostgreSQL and Redis, one `rqworker` process. The emulator serves N comments on one Facebook
Page (real Graph-shaped pages and cursors); the clock runs from enqueueing the first poll to the
worker finishing every job (poll, store, evaluate, and the auto-hides the rules decide), and
`comments/s = N / elapsed`. The baseline in the same run is the naive path: the same comments
stored one at a time with the ORM (get_or_create) and evaluated one at a time in-process.

    python bench/ingest.py [--count 20000] [--baseline 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from benchdb import ROOT, fresh_database

TARGET = 2_000


def seed(emulator, count: int) -> str:  # type: ignore[no-untyped-def]
    from bench.corpus import generate

    account = "104857600000777"
    now = dt.datetime.now(dt.UTC)
    posts = [
        emulator.add_post(
            "facebook", account, text=f"Council update {n}", created_at=now - dt.timedelta(hours=30)
        )
        for n in range(max(1, count // 1000))
    ]
    for item in generate(count, seed=11):
        emulator.add_comment(
            "facebook",
            account,
            posts[item.id % len(posts)],
            item.text,
            {"id": f"fb-{item.author}", "handle": item.author, "name": item.author},
            created_at=now - dt.timedelta(hours=24) + dt.timedelta(seconds=item.id),
        )
    return account


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    args = parser.parse_args()
    env = fresh_database("smpolicy_bench_ingest")

    from django.db import connection

    from moderation.credentials import encrypt_credentials
    from moderation.emulator import Emulator
    from moderation.jobs import poll_channel
    from moderation.models import Channel, Comment, ModerationAction
    from smpolicy.queue import enqueue_now

    emulator = Emulator.start()
    account = seed(emulator, args.count)
    channel = Channel.objects.create(
        platform="facebook",
        account_id=account,
        name="Bench page",
        base_url=emulator.base_url("facebook"),
        backfill_days=3,
        credentials=encrypt_credentials({"access_token": "bench", "app_secret": "bench"}),
    )
    connection.close()
    started = time.perf_counter()
    enqueue_now("ingest", poll_channel, channel.pk)
    log = open(os.environ.get("BENCH_LOG", os.devnull), "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "--worker-class",
            "rq.worker.SimpleWorker",
            "ingest",
            "actions",
            "default",
            "--burst",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    evaluated_at = None
    while process.poll() is None:
        time.sleep(0.2)
        if (
            evaluated_at is None
            and not Comment.objects.filter(status="new").exists()
            and (Comment.objects.filter(channel=channel).count() >= args.count)
        ):
            evaluated_at = time.perf_counter() - started
    elapsed = time.perf_counter() - started
    evaluated_at = evaluated_at or elapsed
    worker = process
    if worker.returncode != 0:
        raise SystemExit("worker failed (set BENCH_LOG=file to see its log)")
    channel.refresh_from_db()
    if channel.status != "ok" or channel.last_error:
        print(f"channel status {channel.status}: {channel.last_error[:500]}")
    stored = Comment.objects.filter(channel=channel).count()
    unevaluated = Comment.objects.filter(channel=channel, status="new").count()
    hides = ModerationAction.objects.filter(channel=channel, state="succeeded").count()
    rate = stored / evaluated_at

    # Baseline: one ORM write and one evaluation per comment, no batching.
    baseline_rate = run_baseline(channel, emulator, args.baseline)
    emulator.stop()
    print(
        f"ingest: {stored} stored, {unevaluated} unevaluated; all stored and evaluated after "
        f"{evaluated_at:.1f} s; {hides} auto-hides sent to the emulator by {elapsed:.1f} s"
    )
    print(
        f"| path | comments/s |\n| --- | ---: |\n| smpolicy: fetched, stored, evaluated (1 worker) "
        f"| {rate:,.0f} |\n"
        f"| smpolicy: including sending every auto-hide | {stored / elapsed:,.0f} |\n"
        f"| baseline (ORM one by one, evaluate inline) | {baseline_rate:,.0f} |"
    )
    print(f"target {TARGET:,}/s: {'met' if rate >= TARGET else 'NOT met'}")


def run_baseline(channel, emulator, count: int) -> float:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from moderation.models import Author, Comment, Organisation, Post
    from moderation.platforms import connector_for
    from rules.compile import compiled_version, versions_in_force

    baseline_channel = type(channel).objects.create(
        platform="facebook",
        account_id=channel.account_id + "-baseline",
        name="Baseline",
        base_url=channel.base_url,
        credentials=channel.credentials,
        backfill_days=3,
    )
    baseline_channel.account_id = channel.account_id  # read the same pages
    connector = connector_for(baseline_channel)
    live, _ = versions_in_force(None, dt.datetime.now(dt.UTC))
    compiled = compiled_version(live[0], Organisation.current().engine_settings())
    started = time.perf_counter()
    done = 0
    cursor = None
    while done < count:
        page = connector.fetch_comments(cursor)
        for fetched in page.comments:
            with transaction.atomic():
                author, _ = Author.objects.get_or_create(
                    platform="facebook", platform_id=fetched.author.platform_id
                )
                post, _ = Post.objects.get_or_create(
                    channel=baseline_channel, platform_id=fetched.post_platform_id
                )
                comment, _ = Comment.objects.get_or_create(
                    channel=baseline_channel,
                    platform_id=fetched.platform_id,
                    defaults={
                        "author": author,
                        "post": post,
                        "text": fetched.text,
                        "created_at": fetched.created_at,
                        "received_at": fetched.created_at,
                    },
                )
                matches = compiled.evaluate(comment.text)
                comment.status = "review" if matches else "clean"
                comment.save()
            done += 1
            if done >= count:
                break
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return done / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
