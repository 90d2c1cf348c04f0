"""`manage.py run_demo` with ``REDIS_URL`` set sends jobs to that Redis, where nothing else works
on them in a demo: it starts a worker for that Redis, or refuses to start when Redis does not
answer, instead of leaving the queue silently full."""

from __future__ import annotations

import os
import time

import pytest
import redis
from django.conf import settings
from django.core.management import CommandError, call_command
from rq import Queue
from rq.job import JobStatus

from moderation.demo_worker import start_job_worker, stop_job_worker

OWN_REDIS_DB = 12  # not the suite's, the reliability tests' (9, 10) or the bench's (13)


@pytest.fixture
def own_redis() -> str:
    if not settings.REDIS_URL:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must run the worker tests, but REDIS_URL is not set.")
        pytest.skip("needs Redis (runs in CI)")
    url = f"{settings.REDIS_URL.rsplit('/', 1)[0]}/{OWN_REDIS_DB}"
    redis.Redis.from_url(url).flushdb()
    return url


def test_a_job_enqueued_to_the_demos_redis_is_run(own_redis: str) -> None:
    worker = start_job_worker(own_redis)
    assert worker is not None
    try:
        queue = Queue("actions", connection=redis.Redis.from_url(own_redis))
        job = queue.enqueue("smpolicy.queue.current_job_id")
        give_up = time.monotonic() + 60
        while job.get_status(refresh=True) != JobStatus.FINISHED:
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < give_up, "the job was never run"
            time.sleep(0.2)
        assert job.return_value() == job.id
    finally:
        stop_job_worker(worker)
    assert worker.poll() is not None


def test_without_redis_jobs_run_in_process_and_no_worker_starts() -> None:
    assert start_job_worker("") is None


def test_run_demo_refuses_a_redis_that_does_not_answer(settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    settings.RQ_ASYNC = True
    settings.PLATFORM_BASE_URL = "http://127.0.0.1:8765"
    with pytest.raises(CommandError, match=r"REDIS_URL.*does not answer"):
        call_command("run_demo")
