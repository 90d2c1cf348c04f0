"""The interface every outside classifier adapter implements, and how they are configured.

An adapter takes a comment's text and answers with scores in our category names (0 to 1) and
the provider's own labels as it answered them. It makes exactly one HTTP request through the
project's HTTP wrapper (timeouts; one retry on a dropped connection, never a long wait) and
raises ``ClassifierFailed`` for anything that is not a usable answer.

Configured from Django settings, which read the environment (API keys live only there, never
in the database): ``OUTSIDE_CLASSIFIERS`` names the adapters to use, comma-separated; empty
(the default) switches the feature off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings

from moderation.connectors.errors import ConnectorError
from moderation.connectors.http import HttpClient


class ClassifierFailed(Exception):
    """The classifier could not be asked, or its answer was not usable."""


@dataclass(frozen=True)
class ClassifierAnswer:
    scores: dict[str, float]  # our category → 0..1 (the highest of the provider's labels)
    raw: dict[str, float] = field(default_factory=dict)  # the provider's labels as answered


class OutsideClassifier(Protocol):
    name: str  # a stable key: stored with scores, counted in the budget
    label: str  # for people

    def classify(self, text: str) -> ClassifierAnswer: ...


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def http_client() -> HttpClient:
    timeout = float(setting("OUTSIDE_CLASSIFIER_TIMEOUT", 5.0))
    return HttpClient(timeout=(min(3.05, timeout), timeout), max_retries=1, backoff_cap=1)


def post_json(url: str, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Any:
    """POST JSON and return the decoded answer, or raise ClassifierFailed saying why."""
    try:
        with http_client() as client:
            response = client.request("POST", url, json=dict(body), headers=headers)
    except ConnectorError as error:
        raise ClassifierFailed(str(error)[:500]) from error
    try:
        return response.json()
    except ValueError as error:
        raise ClassifierFailed("the answer was not JSON") from error


def fold_scores(raw: Mapping[str, float], mapping: Mapping[str, str]) -> dict[str, float]:
    """The provider's labels in our categories: each category takes its labels' highest."""
    scores: dict[str, float] = {}
    for label, value in raw.items():
        category = mapping.get(label)
        if category is not None:
            scores[category] = max(scores.get(category, 0.0), value)
    return scores


def as_score(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClassifierFailed(f"a score was not a number: {str(value)[:40]!r}")
    if not 0 <= float(value) <= 1:
        raise ClassifierFailed(f"a score was outside 0 to 1: {value!r}")
    return round(float(value), 4)
