"""Audit scenarios for the policy workflows' actions (used by
tests/test_every_action_records_an_audit_event.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from accounts.audit import SystemActor
from accounts.models import AuditEvent, User
from moderation.actions import appeals, authors, classifiers, evidence, pre_election
from moderation.actions.comments import do_hide_comment
from moderation.classifiers.base import ClassifierAnswer
from moderation.models import Appeal, Comment
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory, PostFactory, make_user

SYSTEM = SystemActor.system("test")


def _user(role: str = "manager") -> User:
    return make_user(f"p{AuditEvent.objects.count()}-{timezone.now().timestamp()}", role)


def _hidden() -> Comment:
    channel = ChannelFactory(platform="facebook")
    comment = CommentFactory(channel=channel, post=PostFactory(channel=channel), status="review")
    do_hide_comment(comment, actor=SYSTEM)
    return comment


def _appeal() -> Appeal:
    return appeals.do_record_appeal(_hidden(), actor=SYSTEM, received_via="email", summary="x")


def _view_a_profile() -> str:
    user, author = _user("officer"), AuthorFactory()
    authors.do_record_profile_purpose(author, actor=user, purpose="moderation")
    authors.do_record_profile_view(author, actor=user)
    return "moderation.author.profile_viewed"


def _unlink() -> str:
    first = AuthorFactory()
    authors.do_link_authors(first, AuthorFactory(platform="x"), actor=SYSTEM)
    authors.do_unlink_author(first, actor=SYSTEM)
    return "moderation.author.unlinked"


POLICY_SCENARIOS: dict[str, Callable[[], str]] = {
    "moderation.actions.appeals.do_post_removal_notice": lambda: (
        appeals.do_post_removal_notice(_hidden(), "Removed.", actor=SYSTEM),
        "moderation.comment.removal_notice_queued",
    )[1],
    "moderation.actions.appeals.do_record_appeal": lambda: (
        _appeal(),
        "moderation.appeal.recorded",
    )[1],
    "moderation.actions.appeals.do_decide_appeal": lambda: (
        appeals.do_decide_appeal(_appeal(), actor=_user(), uphold=True),
        "moderation.appeal.decided",
    )[1],
    "moderation.actions.evidence.do_place_legal_hold": lambda: (
        evidence.do_place_legal_hold(actor=SYSTEM, reason="Police", comment=CommentFactory()),
        "moderation.legal_hold.placed",
    )[1],
    "moderation.actions.evidence.do_lift_legal_hold": lambda: (
        evidence.do_lift_legal_hold(
            evidence.do_place_legal_hold(actor=SYSTEM, reason="Police", author=AuthorFactory()),
            actor=_user(),
            reason="closed",
        ),
        "moderation.legal_hold.lifted",
    )[1],
    "moderation.actions.evidence.do_record_evidence_export": lambda: (
        evidence.do_record_evidence_export(
            CommentFactory(), actor=_user(), export_format="pdf", purpose="Police"
        ),
        "moderation.comment.evidence_exported",
    )[1],
    "moderation.actions.evidence.do_record_platform_report": lambda: (
        evidence.do_record_platform_report(CommentFactory(), actor=SYSTEM, reason="hate"),
        "moderation.comment.reported_by_hand",
    )[1],
    "moderation.actions.authors.do_record_profile_purpose": lambda: (
        authors.do_record_profile_purpose(AuthorFactory(), actor=_user("officer"), purpose="x"),
        "moderation.author.profile_purpose_given",
    )[1],
    "moderation.actions.authors.do_record_profile_view": _view_a_profile,
    "moderation.actions.authors.do_link_authors": lambda: (
        authors.do_link_authors(AuthorFactory(), AuthorFactory(platform="x"), actor=SYSTEM),
        "moderation.author.linked",
    )[1],
    "moderation.actions.authors.do_unlink_author": _unlink,
    "moderation.actions.pre_election.do_set_pre_election_period": lambda: (
        pre_election.do_set_pre_election_period(
            timezone.localdate(), timezone.localdate() + dt.timedelta(days=30), actor=SYSTEM
        ),
        "moderation.organisation.pre_election_set",
    )[1],
    "moderation.actions.classifiers.do_record_outside_score": lambda: (
        classifiers.do_record_outside_score(
            CommentFactory().pk,
            "http",
            "0" * 64,
            ClassifierAnswer({"abuse": 0.9}, {"toxic": 0.9}),
            cached=False,
            actor=SYSTEM,
        ),
        "moderation.outside_score.recorded",
    )[1],
}
