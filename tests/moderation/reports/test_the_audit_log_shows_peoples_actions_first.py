"""The audit log opens on what people did; rules, connectors and the system are a filter away.
Targets read as a channel (with its platform) and a short comment reference, never as
"comment 1001_850 on 1"."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from accounts.audit import SystemActor, record
from accounts.models import AuditEvent
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import export, signed_in, streamed

pytestmark = pytest.mark.django_db
RULE = SystemActor.rule("rule abuse.profanity v1 (Swearing)")
CONNECTOR = SystemActor.connector("facebook connector (Exampleshire County Council)")
SYSTEM = SystemActor.system("retention")


def event(event_type: str, actor, **kwargs: Any) -> AuditEvent:
    with transaction.atomic():
        return record(event_type, actor=actor, **kwargs)


def shown_ids(response) -> list[int]:
    return [
        int(n) for n in re.findall(r'<td class="num small">(\d+)</td>', response.content.decode())
    ]


@pytest.fixture
def world(olivia):
    channel = ChannelFactory(
        name="Exampleshire County Council", platform="facebook", handle="@exampleshire"
    )
    comment = CommentFactory(channel=channel, platform_id="1001_850")
    return {
        "hidden": event("moderation.comment.hidden", olivia, target=comment, channel_id=channel.pk),
        "auto_held": event(
            "moderation.comment.auto_held", RULE, target=comment, channel_id=channel.pk
        ),
        "stored": event(
            "moderation.comments.stored", CONNECTOR, target=channel, channel_id=channel.pk
        ),
        "retention": event("moderation.retention.applied", SYSTEM),
        "comment": comment,
        "channel": channel,
    }


def test_the_log_opens_on_peoples_actions(world, maya) -> None:
    response = signed_in(Client(), maya).get("/audit/")
    people = AuditEvent.objects.filter(actor_kind="user")
    assert shown_ids(response) == list(people.order_by("-id").values_list("pk", flat=True))
    assert world["hidden"].pk in shown_ids(response)
    assert not people.filter(pk__in=[world[k].pk for k in ("auto_held", "stored", "retention")])
    page = response.content.decode()
    assert '<option value="user" selected>' in page
    assert "Automatic events" in page


def test_automatic_events_and_everything_are_filters(world, maya) -> None:
    client = signed_in(Client(), maya)
    automatic = shown_ids(client.get("/audit/?actor_kind=automatic"))
    assert automatic == [world["retention"].pk, world["stored"].pk, world["auto_held"].pk]
    assert shown_ids(client.get("/audit/?actor_kind=connector")) == [world["stored"].pk]
    everything = shown_ids(client.get("/audit/?actor_kind=all"))
    assert everything == list(AuditEvent.objects.order_by("-id").values_list("pk", flat=True))
    assert set(automatic) | {world["hidden"].pk} <= set(everything)


def test_a_comment_target_reads_as_its_number_and_channel(world, maya) -> None:
    page = signed_in(Client(), maya).get("/audit/?actor_kind=all").content.decode()
    comment = world["comment"]
    assert "comment 1001_850 on" not in page
    assert f"Comment #{comment.pk}" in page
    assert "Exampleshire County Council (Facebook, @exampleshire)" in page
    # A target's link shows every event about it, whoever or whatever recorded them.
    link = f"?actor_kind=all&amp;target_type=moderation.comment&amp;target_id={comment.pk}"
    assert link in page


def test_following_a_target_finds_the_rules_events_too(world, maya) -> None:
    comment = world["comment"]
    response = signed_in(Client(), maya).get(
        f"/audit/?actor_kind=all&target_type=moderation.comment&target_id={comment.pk}"
    )
    assert shown_ids(response) == [world["auto_held"].pk, world["hidden"].pk]


def test_the_csv_export_follows_the_same_default(world, maya) -> None:
    response = export(signed_in(Client(), maya), "/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    # Olivia's hide, maya signing in, and the record of this very export (written before the
    # rows are read); no rule's, connector's or the system's events.
    assert [row["event_type"] for row in rows] == [
        "moderation.comment.hidden",
        "accounts.user.signed_in",
        "moderation.export.downloaded",
    ]
