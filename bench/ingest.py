"""Ingest throughput: from emulator pages to stored and evaluated comments, end to end.

PostgreSQL and Redis, one `rqworker` process (`smpolicy.worker.Worker`), started and idle before
the clock starts, as in production. Each run, the emulator serves N new comments on a new
Facebook Page (real Graph-shaped pages and cursors); the clock runs from enqueueing the page's
poll to the last comment being stored and evaluated, and `comments/s = N / elapsed`. The worker
takes only the `ingest` queue during the runs; the auto-hides the rules decided wait on
`actions` and are sent afterwards by the same worker, timed on their own.

The baseline in the same run is the naive path: comments stored one at a time with the ORM
(get_or_create) and evaluated one at a time in-process.

    python -m bench.ingest [--count 20000] [--runs 3] [--baseline 1000] [--rules-only]

``--rules-only`` switches the learned stage off in the bench database's live rule sets, to
compare ingest with and without it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.benchdb import ROOT, fresh_database, machine_speed

TARGET = 2_000
DEADLINE_SECONDS = 600


def seed(emulator: Any, count: int, account: str = "104857600000777") -> str:
    from bench.corpus import generate

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
            {"id": f"fb-{account}-{item.author}", "handle": item.author, "name": item.author},
            created_at=now - dt.timedelta(hours=24) + dt.timedelta(seconds=item.id),
        )
    return account


def use_emulator(env: dict[str, str], emulator: Any) -> None:
    """Let channels' calls go to the emulator, here and in the workers started with ``env``
    (otherwise only the platforms' own API addresses are allowed)."""
    from django.conf import settings

    env["PLATFORM_BASE_URL"] = settings.PLATFORM_BASE_URL = emulator.url


def start_worker(env: dict[str, str], *queues: str, burst: bool = False) -> subprocess.Popen[bytes]:
    log = open(os.environ.get("BENCH_LOG", os.devnull), "ab")  # noqa: SIM115
    command = [sys.executable, "manage.py", "rqworker", "--worker-class", "smpolicy.worker.Worker"]
    return subprocess.Popen(
        [*command, *queues, *(["--burst"] if burst else [])],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Any, what: str, every: float = 0.05) -> float:
    """Poll ``condition`` until it holds; returns the time it was first seen to hold."""
    give_up = time.perf_counter() + DEADLINE_SECONDS
    while not condition():
        if time.perf_counter() > give_up:
            raise SystemExit(f"gave up waiting for {what} (set BENCH_LOG=file to see the worker)")
        time.sleep(every)
    return time.perf_counter()


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used: steadier than wall time on a shared
    machine, where the same code's wall time can move by half within minutes."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(emulator: Any, count: int, number: int, worker_pid: int) -> dict[str, float]:
    from django.db import connection

    from moderation.credentials import encrypt_credentials
    from moderation.jobs import poll_channel
    from moderation.models import Channel, Comment
    from smpolicy.queue import enqueue_now

    account = seed(emulator, count, account=f"10485760000{number:04d}")
    channel = Channel.objects.create(
        platform="facebook",
        account_id=account,
        name=f"Bench page {number}",
        base_url=emulator.base_url("facebook"),
        backfill_days=3,
        credentials=encrypt_credentials({"access_token": "bench", "app_secret": "bench"}),
    )
    comments = Comment.objects.filter(channel=channel)
    connection.close()
    cpu_before = cpu_seconds(worker_pid)
    started = time.perf_counter()
    enqueue_now("ingest", poll_channel, channel.pk)

    def stored() -> bool:
        if Channel.objects.filter(pk=channel.pk, status=Channel.Status.ERROR).exists():
            raise SystemExit(f"the poll failed: {Channel.objects.get(pk=channel.pk).last_error}")
        return comments.count() >= count

    stored_at = wait_for(stored, "every comment to be stored")
    evaluated_at = wait_for(
        lambda: not comments.filter(status="new").exists(), "every comment to be evaluated"
    )
    channel.refresh_from_db()
    if channel.status != "ok":
        raise SystemExit(f"channel status {channel.status}: {channel.last_error[:500]}")
    return {
        "stored_s": stored_at - started,
        "elapsed_s": evaluated_at - started,
        "rate": comments.count() / (evaluated_at - started),
        "worker_cpu_s": cpu_seconds(worker_pid) - cpu_before,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--no-sending", action="store_true", help="do not time the auto-hides")
    parser.add_argument("--rules-only", action="store_true", help="learned stage off")
    args = parser.parse_args()
    env = fresh_database("smpolicy_bench_ingest")
    if args.rules_only:
        from rules.models import RuleSetVersion

        # A bench database only: published versions are otherwise never edited.
        for version in RuleSetVersion.objects.filter(state="live"):
            model = dict(version.settings.get("model") or {})
            RuleSetVersion.objects.filter(pk=version.pk).update(
                settings={**version.settings, "model": {**model, "enabled": False}}
            )

    import django_rq
    from rq import Worker

    from moderation.emulator import Emulator
    from moderation.models import Comment, ModerationAction

    emulator = Emulator.start()
    use_emulator(env, emulator)
    connection = django_rq.get_connection("ingest")
    worker = start_worker(env, "ingest")
    wait_for(lambda: len(Worker.all(connection=connection)) == 1, "the worker to start")
    speed_before = machine_speed()
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(emulator, args.count, number, worker.pid)
        runs.append(run)
        print(
            f"run {number}: {args.count:,} stored after {run['stored_s']:.1f} s, stored and "
            f"evaluated after {run['elapsed_s']:.1f} s: {run['rate']:,.0f} comments/s; "
            f"the worker used {run['worker_cpu_s']:.1f} s of CPU",
            flush=True,
        )
    worker.terminate()
    worker.wait()

    # The auto-hides the runs decided, sent by one worker once evaluation is done.
    hides = ModerationAction.objects.filter(state="pending").count()
    sending = ""
    if not args.no_sending:
        started = time.perf_counter()
        sender = start_worker(env, "actions", "default", burst=True)
        sender.wait()
        sent_s = time.perf_counter() - started
        succeeded = ModerationAction.objects.filter(state="succeeded").count()
        sending = (
            f"; {succeeded:,} of {hides:,} auto-hides sent in {sent_s:.1f} s "
            f"({succeeded / sent_s:,.0f}/s, worker start-up included)"
        )
    unevaluated = Comment.objects.filter(status="new").count()

    baseline_rate = run_baseline(emulator, args.baseline)
    emulator.stop()
    speed_after = machine_speed()
    rates = [r["rate"] for r in runs]
    median = statistics.median(rates)
    stage = "rules only" if args.rules_only else "rules and the learned stage"
    print(
        f"\n{args.runs} runs of {args.count:,} comments, 1 worker, {stage}; "
        f"{unevaluated} left unevaluated{sending}\n"
    )
    print(
        "| path | comments/s |\n| --- | ---: |\n"
        f"| smpolicy: fetched, stored and evaluated (median of {args.runs}; "
        f"runs {', '.join(f'{r:,.0f}' for r in rates)}) | {median:,.0f} |\n"
        f"| baseline: ORM one by one, evaluated inline | {baseline_rate:,.0f} |"
    )
    print(f"target {TARGET:,}/s: {'met' if median >= TARGET else 'NOT met'}")
    print(f"machine before the runs: {speed_before}\nmachine after the runs: {speed_after}")


def run_baseline(emulator: Any, count: int) -> float:
    from django.db import transaction

    from moderation.channel_connector import connector_for
    from moderation.credentials import encrypt_credentials
    from moderation.models import Author, Channel, Comment, Organisation, Post
    from rules.compile import compiled_version, versions_in_force

    account = seed(emulator, count, account="104857600009999")
    channel = Channel.objects.create(
        platform="facebook",
        account_id=account,
        name="Baseline",
        base_url=emulator.base_url("facebook"),
        backfill_days=3,
        credentials=encrypt_credentials({"access_token": "bench", "app_secret": "bench"}),
    )
    connector = connector_for(channel)
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
                    channel=channel, platform_id=fetched.post_platform_id
                )
                comment, _ = Comment.objects.get_or_create(
                    channel=channel,
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
