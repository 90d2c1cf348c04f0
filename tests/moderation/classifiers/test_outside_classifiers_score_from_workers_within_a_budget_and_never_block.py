"""Outside classifiers (Perspective, OpenAI moderation, any HTTP JSON classifier): off by
default; when configured, asked by a job after evaluation, each text once (cached by its hash),
within a daily budget per adapter, with timeouts; failures are logged and shown on the Status
page and never stop moderation; scores are shown on the item page and never hide anything.
Tested against a local fake server only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, TestCase

from accounts.models import AuditEvent
from moderation.classifiers.scoring import score_comments
from moderation.jobs import evaluate_comments
from moderation.models import ClassifierUsage, Comment, OutsideScore
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in
from tests.moderation.classifiers.fake_classifier_server import FakeClassifiers, fake_classifiers

pytestmark = pytest.mark.django_db

SECRET = "sk-test-do-not-store-0123456789"


@pytest.fixture
def fake() -> Iterator[FakeClassifiers]:
    with fake_classifiers() as server:
        yield server


@pytest.fixture
def all_three(settings, fake: FakeClassifiers) -> FakeClassifiers:
    settings.OUTSIDE_CLASSIFIERS = "perspective,openai,http"
    settings.PERSPECTIVE_API_KEY = SECRET
    settings.PERSPECTIVE_URL = f"{fake.base_url}/v1alpha1/comments:analyze"
    settings.OPENAI_API_KEY = SECRET
    settings.OPENAI_MODERATION_URL = f"{fake.base_url}/v1/moderations"
    settings.HTTP_CLASSIFIER_URL = f"{fake.base_url}/classify"
    settings.HTTP_CLASSIFIER_TOKEN = ""
    settings.OUTSIDE_CLASSIFIER_DAILY_BUDGET = 100
    settings.OUTSIDE_CLASSIFIER_TIMEOUT = 1.0
    return fake


def _evaluated(text: str, **fields: object) -> Comment:
    """Evaluated by its job, and the jobs that enqueues run as a worker would run them."""
    comment = CommentFactory(channel=ChannelFactory(), text=text, **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluate_comments([comment.pk])
    comment.refresh_from_db()
    return comment


def test_nothing_is_sent_anywhere_by_default(fake: FakeClassifiers) -> None:
    _evaluated("You idiot, I'll kill you")
    assert fake.received == [] and not OutsideScore.objects.exists()


def test_each_adapter_sends_the_documented_request_and_maps_its_answer(all_three) -> None:
    comment = _evaluated(
        "I can't cope anymore, I'm thinking of ending it. You idiot, I'll kill you"
    )

    scores = {s.classifier: s for s in comment.outside_scores.all()}
    assert set(scores) == {"perspective", "openai", "http"}
    assert scores["perspective"].scores["abuse"] == 0.87
    assert scores["perspective"].scores["harassment"] == 0.91
    assert scores["perspective"].raw_scores["THREAT"] == 0.91
    assert scores["openai"].scores["self_harm"] == 0.93
    assert scores["http"].scores == {"spam": 0.1}  # labels we do not know are dropped

    by_path = {r.path.split("?")[0]: r for r in all_three.received}
    perspective = by_path["/v1alpha1/comments:analyze"]
    assert perspective.body["comment"]["text"] == comment.text
    assert set(perspective.body["requestedAttributes"]) == {
        "TOXICITY",
        "THREAT",
        "INSULT",
        "IDENTITY_ATTACK",
        "PROFANITY",
    }
    assert perspective.body["doNotStore"] is True
    openai = by_path["/v1/moderations"]
    assert openai.body == {"model": "omni-moderation-latest", "input": comment.text}
    assert openai.headers["Authorization"] == f"Bearer {SECRET}"
    assert AuditEvent.objects.filter(event_type="moderation.outside_score.recorded").count() == 3


def test_scores_are_one_more_signal_and_never_hide_anything(all_three, olivia) -> None:
    comment = _evaluated("Thanks for the offer of help with the flooding on Mill Lane")
    assert comment.outside_scores.get(classifier="http").scores["spam"] == 0.66
    assert comment.status == Comment.Status.CLEAN
    assert not comment.actions.filter(kind="hide").exists()
    assert not comment.flags.filter(rule_key__startswith="outside").exists()

    flagged = _evaluated("You idiot, I'll kill you")
    page = signed_in(Client(), olivia).get(f"/queue/{flagged.pk}/").content.decode()
    assert "Outside classifiers" in page
    assert "Perspective API" in page and "91%" in page
    assert SECRET not in page


def test_the_same_words_are_sent_once_and_the_copy_is_cached(all_three) -> None:
    first = _evaluated("You idiot")
    second = _evaluated("You idiot")

    assert len(all_three.received) == 3  # one request per adapter, for the first only
    copied = second.outside_scores.get(classifier="perspective")
    assert (
        copied.cached and copied.scores == first.outside_scores.get(classifier="perspective").scores
    )


def test_the_daily_budget_stops_calls_and_says_so(all_three, settings, adam) -> None:
    settings.OUTSIDE_CLASSIFIERS = "perspective"
    settings.OUTSIDE_CLASSIFIER_DAILY_BUDGET = 2
    for n in range(4):
        _evaluated(f"Comment number {n} about the bins")

    assert len(all_three.received) == 2
    usage = ClassifierUsage.objects.get(classifier="perspective")
    assert usage.calls == 2 and usage.skipped_over_budget == 2
    page = signed_in(Client(), adam).get("/settings/status/").content.decode()
    assert "Perspective API" in page and "2 of 2 calls" in page


@pytest.mark.parametrize("mode", ["error", "garbage", "slow"])
def test_a_failing_classifier_is_logged_shown_and_moderation_goes_on(
    all_three, settings, adam, mode
) -> None:
    settings.OUTSIDE_CLASSIFIERS = "openai"
    all_three.behaviour["/v1/moderations"] = mode

    comment = _evaluated("You idiot, I'll kill you")

    assert comment.status != Comment.Status.NEW  # the rules' verdict is recorded regardless
    assert not comment.outside_scores.exists()
    usage = ClassifierUsage.objects.get(classifier="openai")
    assert usage.failures == 1 and usage.last_error
    page = signed_in(Client(), adam).get("/settings/status/").content.decode()
    assert "OpenAI moderation" in page and "failed" in page.lower()
    assert SECRET not in page


def test_a_retried_job_changes_nothing(all_three) -> None:
    comment = _evaluated("You idiot")
    sent = len(all_three.received)

    score_comments([comment.pk])

    assert len(all_three.received) == sent
    assert comment.outside_scores.count() == 3


def test_private_messages_are_never_sent_out(all_three) -> None:
    _evaluated("my number is 07700 900123", private=True)
    assert all_three.received == []


def test_the_api_keys_are_never_stored(all_three) -> None:
    _evaluated("You idiot, I'll kill you")
    stored = [
        *OutsideScore.objects.values_list("scores", "raw_scores", "text_hash"),
        *ClassifierUsage.objects.values_list("last_error", "classifier"),
        *AuditEvent.objects.values_list("data", "after", "target_repr"),
    ]
    assert SECRET not in repr(stored)
