"""Factories for test data. They create rows directly: they set up the world a test acts in,
and the actions under test are what write audited state."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from accounts.audit import SystemActor, record
from accounts.models import AuditEvent, User
from moderation.connectors.base import FetchedAuthor, FetchedComment, FetchedPost
from moderation.credentials import encrypt_credentials
from moderation.models import Author, Channel, Comment, Flag, Post

if TYPE_CHECKING:
    from moderation.emulator import Emulator

PASSWORD = "correct horse battery staple"
_ids = itertools.count(1)

M = TypeVar("M", bound=models.Model)


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """A factory whose call, ``SomeFactory(...)``, is typed as the model row it creates."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass turns the call into ``create(...)``; mypy reads a class call
        # through ``__new__`` only (python/mypy#14122), and ``__new__`` may not return another
        # type: hence the ignore.
        def __new__(cls, **kwargs: Any) -> M: ...  # type: ignore[misc]


def make_user(username: str, role: str, full_name: str = "") -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=full_name, email=f"{username}@example.org"
    )
    user.groups.set([Group.objects.get(name=role)])
    return user


class ChannelFactory(ModelFactory[Channel]):
    class Meta:
        model = Channel

    class Params:
        # The channel's login details as entered (access token, app secret …), stored encrypted.
        login: dict[str, str] | None = None

    platform = "facebook"
    account_id = factory.Sequence(lambda n: f"page-{n}")
    name = factory.Sequence(lambda n: f"Council page {n}")
    credentials = factory.LazyAttribute(
        lambda channel: encrypt_credentials(channel.login) if channel.login else ""
    )


def channel_on(emulator: Emulator, platform: str, account_id: str, **fields: Any) -> Channel:
    """A channel whose platform is the emulator's (``login=`` and other fields as for
    ChannelFactory)."""
    return ChannelFactory(
        platform=platform, account_id=account_id, base_url=emulator.base_url(platform), **fields
    )


class AuthorFactory(ModelFactory[Author]):
    class Meta:
        model = Author

    platform = "facebook"
    platform_id = factory.Sequence(lambda n: f"user-{n}")
    handle = factory.Sequence(lambda n: f"resident{n}")
    display_name = factory.Sequence(lambda n: f"Resident {n}")


class PostFactory(ModelFactory[Post]):
    class Meta:
        model = Post

    channel = factory.SubFactory(ChannelFactory)
    platform_id = factory.Sequence(lambda n: f"post-{n}")
    text = "Bin collections change from Monday."


class CommentFactory(ModelFactory[Comment]):
    class Meta:
        model = Comment

    channel = factory.SubFactory(ChannelFactory)
    post = factory.SubFactory(PostFactory, channel=factory.SelfAttribute("..channel"))
    author = factory.SubFactory(AuthorFactory, platform=factory.SelfAttribute("..channel.platform"))
    platform_id = factory.Sequence(lambda n: f"comment-{n}")
    text = "Which day is the brown bin collected now?"
    created_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyFunction(timezone.now)


class FlagFactory(ModelFactory[Flag]):
    """A live rule's flag on a comment; tests that count by rule or outcome name theirs."""

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
    explanation = "Matched a word on the swearing list."


def fetched(
    text: str = "Thanks for the update",
    *,
    platform_id: str | None = None,
    author_id: str = "author-1",
    post_id: str = "post-1",
    parent_id: str = "",
    created_at: dt.datetime | None = None,
) -> FetchedComment:
    """A comment as a connector hands it over."""
    n = next(_ids)
    return FetchedComment(
        platform_id=platform_id or f"fc-{n}",
        post_platform_id=post_id,
        parent_platform_id=parent_id,
        author=FetchedAuthor(
            platform_id=author_id, handle=f"h-{author_id}", display_name=author_id
        ),
        text=text,
        created_at=created_at or timezone.now(),
        permalink="",
        raw={"n": n},
        post=FetchedPost(platform_id=post_id, text="Our post", permalink="", created_at=None),
    )


def audit_events(n: int) -> list[AuditEvent]:
    """``n`` audit events, each recorded in its own transaction, as actions record them."""
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                record("tests.thing.happened", actor=SystemActor.system("test"), data={"i": i})
            )
    return events
