"""Factories for the rows reports count: flags, escalations and outbox actions.

They write rows directly to set up a known world; the figures under test are read from it.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from moderation.hours import LONDON
from moderation.models import Escalation, EscalationRoute, Flag, ModerationAction
from tests.factories import CommentFactory


def london(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """An aware instant given as London wall-clock time (BST in summer, GMT in winter)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    comment = factory.SubFactory(CommentFactory)
    ruleset_version = 1
    rule_key = "abuse.profanity"
    rule_name = "Swearing"
    category = "abuse"
    severity = 3
    outcome = "hold"
    spans = factory.LazyFunction(list)


class ModerationActionFactory(factory.django.DjangoModelFactory):
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


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    comment = factory.SubFactory(CommentFactory)
    route = factory.LazyFunction(lambda: route("foi"))
    deadline_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=28))
    created_by_label = "rule foi.request v1 (FOI request)"
    created_at = factory.LazyFunction(timezone.now)
