"""The demo's job worker.

With no ``REDIS_URL`` the demo runs each job in-process. With one, jobs are enqueued to that Redis,
and in a demo nothing else would work on them: ``run_demo`` starts an rq worker for it as a child
process (the command production runs, docker-compose.yml), and refuses to start when that Redis
does not answer, rather than queueing jobs nobody runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import redis
from redis.exceptions import RedisError

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ("ingest", "actions", "default")
STOP_TIMEOUT_SECONDS = 30


class RedisDoesNotAnswer(Exception):
    pass


def start_job_worker(redis_url: str) -> subprocess.Popen[bytes] | None:
    """A worker on ``redis_url``'s queues; None when there is no Redis (jobs run in-process)."""
    if not redis_url:
        return None
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except RedisError as error:
        raise RedisDoesNotAnswer(str(error)) from error
    command = [sys.executable, str(ROOT / "manage.py"), "rqworker"]
    command += ["--worker-class", "smpolicy.worker.Worker", *QUEUES]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, "REDIS_URL": redis_url})


def stop_job_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Ask the worker to finish its job and stop (rq's warm shutdown), then wait for it."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
