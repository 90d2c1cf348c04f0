"""The pre-election period: set by admins on the organisation page.

During it officers may not reply to party-political comments and what staff post is checked with
the stricter rules (``moderation.send_check``); the scheduled "Pre-election period" rule set, which
holds any party or candidate mention in comments, is given the same dates, so there is one place
to set them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.comments import ActionRefused
from moderation.actions.organisation import organisation_for_update
from moderation.models import Organisation
from rules.actions import do_schedule_ruleset
from rules.engine.defaults import PRE_ELECTION_NAME
from rules.models import RuleSet


def _start_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def do_set_pre_election_period(
    starts: dt.date | None, ends: dt.date | None, *, actor: Actor
) -> Organisation:
    if starts and ends and ends < starts:
        raise ActionRefused("The pre-election period must end on or after the day it starts.")
    org = organisation_for_update()
    before = {"from": org.pre_election_from, "until": org.pre_election_until}
    org.pre_election_from, org.pre_election_until = starts, ends
    org.save(update_fields=["pre_election_from", "pre_election_until"])
    record(
        "moderation.organisation.pre_election_set",
        actor=actor,
        target=org,
        before=before,
        after={"from": starts, "until": ends},
    )
    ruleset = RuleSet.objects.filter(name=PRE_ELECTION_NAME).first()
    if ruleset is not None:
        # Both ends are whole days: the rule set applies until the end of the last one.
        until = _start_of(ends + dt.timedelta(days=1)) if ends else None
        do_schedule_ruleset(ruleset, active_from=_start_of(starts), active_until=until, actor=actor)
    return org
