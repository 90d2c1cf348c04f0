"""The scheduler's periodic work: spike checks and token checks every five minutes, retention
(and expired sessions) daily, each enqueued once per period however often the scheduler ticks."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.cache import cache

from accounts.audit import SystemActor, audit_context
from moderation.actions.quarantine import do_correct_comment_times, impossible_stored_times
from moderation.actions.retention import do_apply_retention_until_done
from moderation.actions.spikes import check_spikes
from smpolicy.queue import current_job_id, enqueue_now

SPIKE_CHECK_EVERY_SECONDS = 300
RETENTION_EVERY_SECONDS = 24 * 3600
TOKEN_CHECK_EVERY_SECONDS = 300


def check_spikes_job() -> dict[str, int]:
    with audit_context(job_id=current_job_id()):
        return check_spikes()


def apply_retention_job() -> int:
    with audit_context(job_id=current_job_id()):
        # Times stored before they were checked: year 1 cannot even be shown in UK time.
        impossible = impossible_stored_times()
        if impossible:
            do_correct_comment_times(
                impossible, actor=SystemActor.system("housekeeping"), new_only=False
            )
        # Expired sessions may still hold an emailed link's token, and nothing else deletes
        # them (Django leaves it to `clearsessions`); they are no one's state, so not audited.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        return do_apply_retention_until_done(actor=SystemActor.system("retention schedule"))


def dispatch_housekeeping() -> dict[str, int]:
    """Enqueue the periodic checks that are due: spikes and tokens every 5 minutes, retention
    daily.

    Call it from each scheduler tick. ``cache.add`` is atomic on Redis, so if two schedulers
    run by mistake each check is still enqueued once per period.
    """
    spikes = cache.add("housekeeping:spikes", 1, SPIKE_CHECK_EVERY_SECONDS)
    if spikes:
        enqueue_now("default", check_spikes_job)
    retention = cache.add("housekeeping:retention", 1, RETENTION_EVERY_SECONDS)
    if retention:
        enqueue_now("default", apply_retention_job)
    # Tokens renewed ahead of their end, and admins warned before a reconnect is due.
    tokens = cache.add("housekeeping:tokens", 1, TOKEN_CHECK_EVERY_SECONDS)
    if tokens:
        enqueue_now("default", "moderation.tokens.check_channel_tokens")
    return {
        "spike_checks": int(spikes),
        "retention_runs": int(retention),
        "token_checks": int(tokens),
    }
