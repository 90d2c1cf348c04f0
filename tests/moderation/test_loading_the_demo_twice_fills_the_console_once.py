"""``load_demo``: every platform's channel, every comment stored and judged, people at work.

It runs through the same actions as real data (storing, evaluation on commit, officers'
actions), so this also checks that those fit together on a fresh database. A second run
changes nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import verify_chain
from accounts.models import AuditEvent, User
from accounts.roles import role_of
from moderation.demo_loader import DEMO_USERS, load_content, load_demo
from moderation.models import Channel, Comment, ModerationAction

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> tuple[int, int, int, int, int]:
    return (
        Channel.objects.count(),
        Comment.objects.count(),
        ModerationAction.objects.count(),
        User.objects.count(),
        Comment.objects.filter(handled_by__isnull=False).count(),
    )


def test_the_demo_loads_every_channel_and_comment_judged_and_worked_once() -> None:
    content = load_content()
    result = load_demo()

    assert result["channels"] == len(content["channels"])
    platforms = set(Channel.objects.values_list("platform", flat=True))
    assert len(platforms) == 9
    # The council's own replies in the demo's threads are not incoming comments: left out.
    posts = {p["key"]: p for p in content["posts"]}
    accounts = {c["key"]: c["account_id"] for c in content["channels"]}
    incoming = [
        c
        for c in content["comments"]
        if c["author"]["platform_id"] != accounts[posts[c["post"]]["channel"]]
    ]
    assert len(incoming) < len(content["comments"])
    assert result["stored"] == len(incoming) == Comment.objects.count()
    assert not [
        c
        for c in Comment.objects.select_related("channel")
        if c.author.platform_id == c.channel.account_id
    ]
    # Evaluated on commit, as at ingest: nothing is left unjudged, and the queue has work.
    statuses = Counter(Comment.objects.values_list("status", flat=True))
    assert statuses[Comment.Status.NEW] == 0
    assert statuses[Comment.Status.REVIEW] > 0 and statuses[Comment.Status.HELD] > 0
    assert statuses[Comment.Status.CLEAN] > 0
    # The officers worked some items themselves; the rules' hides wait for the emulator.
    assert result["worked"] > 0
    officers = {u.pk for u in User.objects.filter(username__in=["olivia", "oscar"])}
    handlers = set(Comment.objects.exclude(handled_by=None).values_list("handled_by", flat=True))
    assert handlers and handlers <= officers
    assert ModerationAction.objects.filter(kind="hide", actor=None, state="pending").exists()
    assert not ModerationAction.objects.filter(state="succeeded").exists()
    # Each demo user can sign in with the documented role; managers and admins have 2FA.
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert role_of(user) == demo.role
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == demo.two_factor
    assert verify_chain().ok

    # Loading again changes nothing (each test of the demo loads it once: it takes seconds).
    before, events = _state(), AuditEvent.objects.count()
    again = load_demo()
    assert (again["stored"], again["worked"]) == (0, 0)
    assert _state() == before
    # Only the organisation's settings are written (and audited) again.
    new_types = set(AuditEvent.objects.order_by("id")[events:].values_list("event_type", flat=True))
    assert new_types <= {"moderation.organisation.updated"}
    assert verify_chain().ok
