"""Factories for the rows reports count: flags, escalations and outbox actions.

They write rows directly to set up a known world; the figures under test are read from it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from moderation.hours import LONDON
from moderation.models import Comment, Escalation, EscalationRoute, ModerationAction
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory, FlagFactory, ModelFactory


def london(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """An aware instant given as London wall-clock time (BST in summer, GMT in winter)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


class ModerationActionFactory(ModelFactory[ModerationAction]):
    class Meta:
        model = ModerationAction

    comment = factory.SubFactory(CommentFactory)
    channel = factory.SelfAttribute("comment.channel")
    author = factory.SelfAttribute("comment.author")
    kind = ModerationAction.Kind.HIDE
    state = ModerationAction.State.SUCCEEDED
    actor = None
    actor_label = "rule abuse.profanity v1 (Swearing)"
    requested_at = factory.LazyFunction(timezone.now)


def route(key: str) -> EscalationRoute:
    """The routes the data migration creates (FOI: 20 working days, and so on)."""
    return EscalationRoute.objects.get(key=key)


class EscalationFactory(ModelFactory[Escalation]):
    class Meta:
        model = Escalation

    comment = factory.SubFactory(CommentFactory)
    route = factory.LazyFunction(lambda: route("foi"))
    deadline_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=28))
    created_by_label = "rule foi.request v1 (FOI request)"
    created_at = factory.LazyFunction(timezone.now)


CATEGORIES_SEEN = ("abuse", "spam", "personal_data", "harassment", "political", "foi_request")
CHANNELS_SEEN = (
    ("Exampleshire County Council", "facebook"),
    ("Exampleshire County Council", "instagram"),
    ("Exampleshire County Council", "youtube"),
    ("Exampleshire County Council", "x"),
    ("Exampleshire Libraries", "facebook"),
    ("Exampleshire Fire and Rescue", "facebook"),
)


def busy_fortnight(start: dt.datetime, officers: list[Any]) -> None:
    """A fortnight of work on six channels, enough to fill every section of the report and run
    it over several printed pages: flagged and clean comments, hides by rules and officers,
    escalations in each state against their deadlines, rules hit and reversed, offenders."""
    channels = [ChannelFactory(name=name, platform=platform) for name, platform in CHANNELS_SEEN]
    offenders = [AuthorFactory(display_name=f"Repeat poster {n}", strikes=n) for n in range(1, 8)]
    for n in range(240):
        channel = channels[n // 2 % len(channels)]
        received = start + dt.timedelta(hours=7 * n % 330, minutes=n)
        comment = CommentFactory(
            channel=channel,
            author=offenders[n % len(offenders)] if n % 3 == 0 else AuthorFactory(),
            received_at=received,
            created_at=received,
            status=Comment.Status.CLEAN,
        )
        if n % 2:
            continue
        category = CATEGORIES_SEEN[n // 12 % len(CATEGORIES_SEEN)]
        officer = officers[n % len(officers)] if n % 4 == 0 else None
        FlagFactory(
            comment=comment,
            category=category,
            rule_key=f"{category}.rule-{n % 5}",
            rule_name=f"{category.replace('_', ' ').capitalize()} rule {n % 5}",
            reversed=n % 12 == 0,
        )
        Comment.objects.filter(pk=comment.pk).update(
            status=Comment.Status.DONE if officer else Comment.Status.REVIEW,
            handled_by=officer,
            first_action_at=received + dt.timedelta(minutes=30 + n) if officer else None,
            due_at=received + dt.timedelta(hours=4),
        )
        ModerationActionFactory(
            comment=comment,
            channel=channel,
            requested_at=received + dt.timedelta(minutes=5),
            actor=officer,
            actor_label=officer.label if officer else f"rule {category}.rule v1",
            kind=ModerationAction.Kind.REMOVE if n % 16 == 0 else ModerationAction.Kind.HIDE,
        )
        if category == "foi_request":
            state = ("open", "closed", "open", "closed")[n // 6 % 4]
            EscalationFactory(
                comment=comment,
                route=route(("foi", "subject_access", "complaints")[n % 3]),
                created_at=received,
                deadline_at=received + dt.timedelta(days=(3, 40)[n // 12 % 2]),
                state=state,
                closed_at=received + dt.timedelta(days=(2, 5)[n // 18 % 2])
                if state == "closed"
                else None,
            )
