"""Adapters for Perspective API, OpenAI's moderation endpoint and any HTTP JSON classifier.

Request and response shapes are the providers' documented ones:

* **Perspective** (``POST …/v1alpha1/comments:analyze?key=…``): ``{"comment": {"text": …},
  "requestedAttributes": {"TOXICITY": {}, …}, "languages": ["en"], "doNotStore": true}``;
  answers ``{"attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.93, "type":
  "PROBABILITY"}}, …}}``. ``doNotStore`` asks Google not to keep the comment.
* **OpenAI moderation** (``POST /v1/moderations``, ``Authorization: Bearer …``): ``{"model":
  "omni-moderation-latest", "input": …}``; answers ``{"results": [{"flagged": …,
  "categories": {…}, "category_scores": {"harassment/threatening": 0.8, …}}]}``.
* **HTTP JSON** (any URL): ``{"text": …}``; answers ``{"scores": {"<our category>": 0.7}}``,
  with an optional bearer token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moderation.classifiers.base import (
    ClassifierAnswer,
    ClassifierFailed,
    as_score,
    fold_scores,
    post_json,
    setting,
)

CATEGORIES = (
    "abuse",
    "harassment",
    "hate",
    "personal_data",
    "spam",
    "malicious_link",
    "political",
    "staff_criticism",
    "foi_request",
    "subject_access_request",
    "complaint",
    "self_harm",
)

PERSPECTIVE_URL = "https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze"
PERSPECTIVE_ATTRIBUTES = {
    "TOXICITY": "abuse",
    "INSULT": "abuse",
    "PROFANITY": "abuse",
    "THREAT": "harassment",
    "IDENTITY_ATTACK": "hate",
}

OPENAI_URL = "https://api.openai.com/v1/moderations"
OPENAI_MODEL = "omni-moderation-latest"
OPENAI_CATEGORIES = {
    "harassment": "harassment",
    "harassment/threatening": "harassment",
    "violence": "harassment",
    "hate": "hate",
    "hate/threatening": "hate",
    "self-harm": "self_harm",
    "self-harm/intent": "self_harm",
    "self-harm/instructions": "self_harm",
    "sexual": "abuse",
    "violence/graphic": "abuse",
}


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ClassifierFailed(f"the answer had no {what}")
    return value


class Perspective:
    name = "perspective"
    label = "Perspective API"

    def __init__(self, api_key: str, url: str = PERSPECTIVE_URL) -> None:
        self.api_key = api_key
        self.url = url

    def classify(self, text: str) -> ClassifierAnswer:
        answer = post_json(
            f"{self.url}?key={self.api_key}",
            {
                "comment": {"text": text},
                "requestedAttributes": {name: {} for name in PERSPECTIVE_ATTRIBUTES},
                "languages": ["en"],
                "doNotStore": True,
            },
        )
        attributes = _mapping(_mapping(answer, "object").get("attributeScores"), "attributeScores")
        raw = {
            name: as_score(
                _mapping(_mapping(found, name).get("summaryScore"), "summaryScore").get("value")
            )
            for name, found in attributes.items()
            if name in PERSPECTIVE_ATTRIBUTES
        }
        return ClassifierAnswer(fold_scores(raw, PERSPECTIVE_ATTRIBUTES), raw)


class OpenAIModeration:
    name = "openai"
    label = "OpenAI moderation"

    def __init__(self, api_key: str, url: str = OPENAI_URL, model: str = OPENAI_MODEL) -> None:
        self.api_key = api_key
        self.url = url
        self.model = model

    def classify(self, text: str) -> ClassifierAnswer:
        answer = post_json(
            self.url,
            {"model": self.model, "input": text},
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        results = _mapping(answer, "object").get("results")
        if not isinstance(results, list) or not results:
            raise ClassifierFailed("the answer had no results")
        scores = _mapping(_mapping(results[0], "result").get("category_scores"), "category_scores")
        raw = {
            label: as_score(value) for label, value in scores.items() if label in OPENAI_CATEGORIES
        }
        return ClassifierAnswer(fold_scores(raw, OPENAI_CATEGORIES), raw)


class HttpJsonClassifier:
    name = "http"
    label = "HTTP classifier"

    def __init__(self, url: str, token: str = "") -> None:
        self.url = url
        self.token = token

    def classify(self, text: str) -> ClassifierAnswer:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else None
        answer = post_json(self.url, {"text": text}, headers=headers)
        scores = _mapping(_mapping(answer, "object").get("scores"), "scores")
        raw = {label: as_score(value) for label, value in scores.items() if label in CATEGORIES}
        return ClassifierAnswer(dict(raw), raw)


def configured() -> list[Perspective | OpenAIModeration | HttpJsonClassifier]:
    """The adapters ``OUTSIDE_CLASSIFIERS`` switches on that have what they need."""
    wanted = {
        name.strip() for name in str(setting("OUTSIDE_CLASSIFIERS", "")).split(",") if name.strip()
    }
    adapters: list[Perspective | OpenAIModeration | HttpJsonClassifier] = []
    if "perspective" in wanted and setting("PERSPECTIVE_API_KEY", ""):
        adapters.append(
            Perspective(
                setting("PERSPECTIVE_API_KEY", ""), setting("PERSPECTIVE_URL", PERSPECTIVE_URL)
            )
        )
    if "openai" in wanted and setting("OPENAI_API_KEY", ""):
        adapters.append(
            OpenAIModeration(
                setting("OPENAI_API_KEY", ""),
                setting("OPENAI_MODERATION_URL", OPENAI_URL),
                setting("OPENAI_MODERATION_MODEL", OPENAI_MODEL),
            )
        )
    if "http" in wanted and setting("HTTP_CLASSIFIER_URL", ""):
        adapters.append(
            HttpJsonClassifier(
                setting("HTTP_CLASSIFIER_URL", ""), setting("HTTP_CLASSIFIER_TOKEN", "")
            )
        )
    return adapters
