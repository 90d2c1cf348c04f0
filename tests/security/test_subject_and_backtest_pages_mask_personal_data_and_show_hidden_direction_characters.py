"""The subject-access page and the backtest page show comments as the queue does: personal data
masked until an audited reveal, and right-to-left overrides shown as visible tokens (so a name or
a comment cannot make the page read differently from what it says)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.jobs import evaluate_comments
from moderation.models import Backtest, Comment
from rules.models import RuleSetVersion
from tests.factories import AuthorFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
PHONE = "07700 900123"
RLO = "\u202e"


@pytest.fixture
def comment() -> Comment:
    author = AuthorFactory(display_name=f"Jo {RLO}nhoJ", handle=f"jo{RLO}x")
    comment = CommentFactory(author=author, text=f"Ring me on {PHONE} about exe.{RLO}gnp")
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    assert comment.flags.filter(category="personal_data").exists()
    return comment


@pytest.fixture
def backtest(comment: Comment) -> Backtest:
    version = RuleSetVersion.objects.filter(state="live").first()
    assert version is not None
    return Backtest.objects.create(
        version=version,
        since=timezone.now() - dt.timedelta(days=1),
        until=timezone.now(),
        state=Backtest.State.DONE,
        total=1,
        processed=1,
        results={
            "processed": 1,
            "flagged": 1,
            "newly_flagged": 1,
            "newly_flagged_sample": [comment.pk],
            "no_longer_flagged": 0,
            "no_longer_flagged_sample": [],
            "per_rule": {},
        },
        requested_by_label="Adam",
    )


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _assert_safe_and_masked(page: str) -> None:
    assert RLO not in page
    assert "⟨U+202E⟩" in page
    assert PHONE not in page
    assert "[personal data hidden]" in page


def test_the_subject_page_masks_until_an_audited_reveal(adam, comment: Comment) -> None:
    client = signed_in(Client(), adam)
    url = f"/settings/data-protection/authors/{comment.author_id}/"

    _assert_safe_and_masked(_page(client, url))
    client.post(f"/queue/{comment.pk}/reveal/", {"next": url})

    assert PHONE in _page(client, url)
    assert AuditEvent.objects.filter(
        event_type="moderation.comment.personal_data_revealed", target_id=str(comment.pk)
    ).exists()


def test_the_backtest_page_masks_until_an_audited_reveal(
    maya, comment: Comment, backtest: Backtest
) -> None:
    client = signed_in(Client(), maya)
    url = f"/rules/backtests/{backtest.pk}/"

    _assert_safe_and_masked(_page(client, url))
    client.post(f"/queue/{comment.pk}/reveal/", {"next": url})

    assert PHONE in _page(client, url)
