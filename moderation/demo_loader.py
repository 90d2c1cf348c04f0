"""The demo: a council's week on social media, loaded through the same actions as real data.

Content (channels, posts, 300+ comments) is in ``moderation/demo/content.json``, written for the
project. Loading is idempotent: comments are stored by (channel, platform id), users and channels
are created once, so re-running ``load_demo`` changes nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import do_add_authenticator, do_create_user
from accounts.audit import Actor, SystemActor
from accounts.models import User
from accounts.roles import ADMIN, MANAGER, OFFICER
from moderation.actions.channels import do_connect_channel, do_update_channel
from moderation.actions.comments import (
    ActionRefused,
    do_approve_comment,
    do_escalate_comment,
    do_hide_comment,
    do_reply_to_comment,
)
from moderation.actions.connections import do_connect_account
from moderation.actions.ingest import do_store_comments
from moderation.actions.organisation import ORGANISATION_FIELDS, do_update_organisation
from moderation.connectors.accounts import Account
from moderation.connectors.base import FetchedAuthor, FetchedComment, FetchedPost
from moderation.demo import load_content
from moderation.models import Channel, Comment, EscalationRoute, Organisation
from smpolicy.queue import hold_queues

DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    two_factor: bool


DEMO_USERS = (
    DemoUser("olivia", "Olivia Okafor", OFFICER, False),
    DemoUser("oscar", "Oscar Pryce", OFFICER, False),
    DemoUser("maya", "Maya Hughes", MANAGER, True),
    DemoUser("adam", "Adam Clarke", ADMIN, True),
)


def demo_totp_key(username: str) -> str:
    """A fixed key per demo user, so re-running the demo keeps the authenticator entries valid."""
    return hashlib.sha1(f"smpolicy-demo-{username}".encode()).hexdigest()


def totp_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def ensure_users() -> list[tuple[DemoUser, User, TOTPDevice | None]]:
    actor = SystemActor.system("load_demo")
    made = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = do_create_user(
                username=demo.username,
                role=demo.role,
                full_name=demo.full_name,
                email=f"{demo.username}@example.org",
                password=DEMO_PASSWORD,
                actor=actor,
            )
        device = None
        if demo.two_factor:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = do_add_authenticator(user, demo_totp_key(demo.username), actor=actor)
        made.append((demo, user, device))
    return made


def ensure_organisation(content: dict[str, Any]) -> Organisation:
    spec = content["organisation"]
    fields = {name: spec[name] for name in ORGANISATION_FIELDS if name in spec}
    return do_update_organisation(fields, actor=SystemActor.system("load_demo"))


def ensure_channels(content: dict[str, Any]) -> dict[str, Channel]:
    """The demo's channels, connected as an admin would: by hand, or (where the demo shows a
    token's health) by signing in, and then given their settings."""
    actor = SystemActor.system("load_demo")
    channels = {}
    for spec in content["channels"]:
        channel = Channel.objects.filter(
            platform=spec["platform"], account_id=spec["account_id"]
        ).first()
        if channel is None:
            channel = _connect_demo_channel(spec, timezone.now(), actor=actor)
        channels[spec["key"]] = channel
    return channels


def _connect_demo_channel(spec: dict[str, Any], now: dt.datetime, *, actor: Actor) -> Channel:
    login = {"access_token": f"demo-token-{spec['key']}", "app_secret": "demo-app-secret"}
    settings = {
        "handle": spec.get("handle", ""),
        "nation": spec.get("nation", "england"),
        "poll_interval_seconds": 20,
    }
    account = demo_account(spec, login, now)
    if account is None:
        return do_connect_channel(
            platform=spec["platform"],
            account_id=spec["account_id"],
            name=spec["name"],
            credentials=login,
            actor=actor,
            **settings,
        )
    # The scheduler polls a new channel on its next tick; the demo's emulator may not be up yet.
    with hold_queues("ingest"):
        channel = do_connect_account(spec["platform"], account, actor=actor)
    do_update_channel(channel, settings, actor=actor)
    return Channel.objects.get(pk=channel.pk)


def demo_account(spec: dict[str, Any], login: dict[str, str], now: dt.datetime) -> Account | None:
    """Two demo channels show token health (moderation/tokens.py): LinkedIn's token ends in six
    days and cannot be renewed, so admins see the "Reconnect soon" banner; YouTube's ends in ten
    minutes and the scheduler renews it at the emulator's Google token endpoint. Both are
    connected as by signing in (None: the others are connected by hand)."""
    platform = spec["platform"]
    if platform == "linkedin":
        expires = now + dt.timedelta(days=6)
        credentials = login
    elif platform == "youtube":
        expires = now + dt.timedelta(minutes=10)
        credentials = {
            **login,
            "refresh_token": "demo-youtube-refresh",
            "client_id": "emulator-app",
            "client_secret": "emulator-secret",
        }
    else:
        return None
    return Account(
        platform=platform,
        account_id=spec["account_id"],
        name=spec["name"],
        credentials=credentials,
        access_expires_at=expires,
    )


def fetched_comments(content: dict[str, Any], now: dt.datetime) -> list[tuple[str, FetchedComment]]:
    """(channel key, comment) for every demo comment, oldest first."""
    posts = {p["key"]: p for p in content["posts"]}
    by_key = {c["key"]: c for c in content["comments"]}
    result = []
    for c in sorted(content["comments"], key=lambda c: -float(c["hours_ago"])):
        post = posts[c["post"]]
        created = now - dt.timedelta(hours=float(c["hours_ago"]))
        parent = by_key.get(c.get("reply_to") or "")
        result.append(
            (
                post["channel"],
                FetchedComment(
                    platform_id=c["platform_id"],
                    post_platform_id=post["platform_id"],
                    parent_platform_id=parent["platform_id"] if parent else "",
                    author=FetchedAuthor(
                        platform_id=c["author"]["platform_id"],
                        handle=c["author"].get("handle", ""),
                        display_name=c["author"].get("display_name", ""),
                    ),
                    text=c["text"],
                    created_at=created,
                    permalink="",
                    raw={"demo_key": c["key"]},
                    post=FetchedPost(
                        platform_id=post["platform_id"],
                        text=post["text"],
                        permalink="",
                        created_at=now - dt.timedelta(hours=float(post.get("hours_ago", 0))),
                    ),
                ),
            )
        )
    return result


def demo_anchor(now: dt.datetime) -> dt.datetime:
    """The content is laid out as if written up to a weekday 16:00: the latest such time."""
    local = timezone.localtime(now)
    anchor = local.replace(hour=16, minute=0, second=0, microsecond=0)
    while anchor > local or anchor.weekday() >= 5:
        anchor -= dt.timedelta(days=1)
    return anchor


def load_demo() -> dict[str, Any]:
    # Hides decided while loading wait in the outbox until run_demo's emulator is up.
    with hold_queues("actions"):
        return _load_demo()


def _load_demo() -> dict[str, Any]:
    content = load_content()
    users = ensure_users()
    ensure_organisation(content)
    channels = ensure_channels(content)
    now = demo_anchor(timezone.now())
    stored = 0
    for channel_key, comment in fetched_comments(content, now):
        channel = channels[channel_key]
        # A minute after it was written: the poll that would have fetched it.
        received = comment.created_at + dt.timedelta(minutes=1)
        result = do_store_comments(
            channel,
            [comment],
            actor=SystemActor.connector(f"{channel.platform} connector ({channel.name})"),
            received_at=min(received, now),
        )
        stored += len(result.new_comment_ids)
    officers = [user for demo, user, _ in users if demo.role == OFFICER]
    worked = work_some_items(officers)
    return {"users": users, "channels": len(channels), "stored": stored, "worked": worked}


def work_some_items(officers: list[User], limit: int = 24) -> int:
    """Officers act on some flagged items, so reports and the audit log have people in them.

    Done once: nothing happens if any item has been handled by a person already.
    """
    if not officers or Comment.objects.filter(handled_by__isnull=False).exists():
        return 0
    manager_route = EscalationRoute.objects.filter(key="manager").first()
    items = Comment.objects.filter(
        status__in=[Comment.Status.REVIEW, Comment.Status.HELD]
    ).order_by("received_at")[:limit]
    done = 0
    for n, comment in enumerate(items):
        officer = officers[n % len(officers)]
        try:
            if comment.status == Comment.Status.HELD and n % 3:
                do_hide_comment(comment, actor=officer)
            elif comment.status == Comment.Status.HELD:
                do_approve_comment(comment, actor=officer)
            elif "staff_criticism" in comment.categories and manager_route is not None:
                do_escalate_comment(comment, manager_route, actor=officer, note="Names a colleague")
            elif n % 2:
                do_reply_to_comment(
                    comment, "Thanks for getting in touch – we've passed this on.", actor=officer
                )
            else:
                do_approve_comment(comment, actor=officer)
        except ActionRefused:
            continue
        done += 1
    return done
