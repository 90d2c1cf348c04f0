"""The outside classifiers' score cache (earlier answers for the same words) is read once per
batch of comments and adapter, not once per comment; words repeated inside the batch are still
sent once and copied for the rest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.classifiers.scoring import score_comments
from moderation.models import Comment, OutsideScore
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.classifiers.fake_classifier_server import FakeClassifiers, fake_classifiers

pytestmark = pytest.mark.django_db

BATCH = 8


@pytest.fixture
def http_classifier(settings) -> Iterator[FakeClassifiers]:
    with fake_classifiers() as server:
        settings.OUTSIDE_CLASSIFIERS = "http"
        settings.HTTP_CLASSIFIER_URL = f"{server.base_url}/classify"
        settings.HTTP_CLASSIFIER_TOKEN = ""
        settings.OUTSIDE_CLASSIFIER_DAILY_BUDGET = 100
        settings.OUTSIDE_CLASSIFIER_TIMEOUT = 1.0
        yield server


def _comments(texts: list[str]) -> list[int]:
    channel = ChannelFactory()
    return [CommentFactory(channel=channel, text=text).pk for text in texts]


def _cache_lookups(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and "moderation_outsidescore" in q["sql"]
        and '"text_hash"' in q["sql"].split("FROM", 1)[-1]
    ]


def test_a_batch_of_comments_whose_words_were_scored_before_makes_one_lookup(
    http_classifier,
) -> None:
    texts = [f"Bins on street {n} were missed again" for n in range(BATCH)]
    score_comments(_comments(texts))
    sent_before = len(http_classifier.received)

    batch = _comments(texts)
    with CaptureQueriesContext(connection) as queries:
        counts = score_comments(batch)

    assert counts == {"scored": 0, "cached": BATCH, "over_budget": 0, "failed": 0}
    assert len(http_classifier.received) == sent_before
    assert len(_cache_lookups(queries)) == 1
    assert OutsideScore.objects.filter(comment_id__in=batch, cached=True).count() == BATCH


def test_words_repeated_within_one_batch_are_sent_once(http_classifier) -> None:
    batch = _comments(["Same words here", "Same words here", "Other words"])

    counts = score_comments(batch)

    assert counts["scored"] == 2 and counts["cached"] == 1
    assert len(http_classifier.received) == 2
    first, second, _ = (Comment.objects.get(pk=pk).outside_scores.get() for pk in batch)
    assert {first.cached, second.cached} == {True, False}
    assert second.scores == first.scores
