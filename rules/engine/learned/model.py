"""The learned classifiers as plain arrays: load, score, explain.

The model file (``rules/engine/data/classifiers.npz``, written by ``manage.py
train_classifiers``) holds, with no pickled objects:

* ``vocabulary``: the feature strings, newline-separated, as UTF-8 bytes; ``idf`` and ``block``
  per feature (see ``features.py`` for the blocks);
* ``weights`` (features x categories, float16) and ``bias`` per category: one linear classifier
  per category over the TF-IDF features, each block L2-normalised;
* ``calibration``: Platt's (a, b) per category, fitted on a held-out part of the training data,
  so ``score = 1 / (1 + exp(-(a * margin + b)))`` reads as a probability;
* ``metadata``: JSON with the categories, default thresholds and the model's precision at them
  per category (chosen and measured by cross-validation on the training split), the
  out-of-fold figures, and the data list with hashes.

Scoring needs numpy only: scikit-learn is used to train, never to classify.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rules.engine.learned.features import CHAR_BLOCK, Extracted, word_features

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "classifiers.npz"
FORMAT = "smpolicy-linear-1"
WORD_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class Evidence:
    """The words that pushed one category's score up most, as spans of the original text."""

    spans: tuple[tuple[int, int], ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    """One text through the model: its features' indices (``where``), normalised values and
    counts, and the margin and calibrated score of every category."""

    where: np.ndarray
    values: np.ndarray
    counts: np.ndarray
    margins: np.ndarray
    scores: np.ndarray


class LinearModel:
    """Per-category linear classifiers over shared features; see the module docstring."""

    def __init__(
        self,
        *,
        categories: Sequence[str],
        vocabulary: Sequence[str],
        idf: np.ndarray,
        block: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
        calibration: np.ndarray,
        metadata: Mapping[str, Any],
    ) -> None:
        self.categories = tuple(categories)
        self.index = {category: k for k, category in enumerate(self.categories)}
        self.vocabulary = {feature: i for i, feature in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.block = np.asarray(block, dtype=np.int8)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.calibration = np.asarray(calibration, dtype=np.float32)
        self.metadata = dict(metadata)
        self._word_cache: dict[str, tuple[int, ...]] = {}

    # --- files ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str = MODEL_PATH) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            metadata = json.loads(bytes(data["metadata"]).decode("utf-8"))
            if metadata.get("format") != FORMAT:
                raise ValueError(f"{path}: not a {FORMAT} model file")
            vocabulary = bytes(data["vocabulary"]).decode("utf-8").split("\n")
            return cls(
                categories=metadata["categories"],
                vocabulary=vocabulary,
                idf=data["idf"],
                block=data["block"],
                weights=data["weights"],
                bias=data["bias"],
                calibration=data["calibration"],
                metadata=metadata,
            )

    def save(self, path: Path | str) -> None:
        """Write the model file; its bytes depend only on the model (fixed zip dates)."""
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        if any("\n" in feature for feature in vocabulary):
            raise ValueError("a feature contains a newline")
        metadata = {**self.metadata, "format": FORMAT, "categories": list(self.categories)}
        arrays = {
            "vocabulary": np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8),
            "idf": self.idf.astype(np.float32),
            "block": self.block.astype(np.int8),
            "weights": self.weights.astype(np.float16),
            "bias": self.bias.astype(np.float32),
            "calibration": self.calibration.astype(np.float32),
            "metadata": np.frombuffer(
                json.dumps(metadata, sort_keys=True).encode("utf-8"), dtype=np.uint8
            ),
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, buffer.getvalue(), compresslevel=9)

    # --- scoring -------------------------------------------------------------------------

    def _word_indices(self, word: str) -> tuple[int, ...]:
        """The vocabulary indices of a word's own features, looked up once per word."""
        found = self._word_cache.get(word)
        if found is None:
            vocabulary = self.vocabulary
            found = tuple(
                index
                for index in (vocabulary.get(feature) for feature in word_features(word))
                if index is not None
            )
            if len(self._word_cache) >= WORD_CACHE_SIZE:
                self._word_cache.clear()
            self._word_cache[word] = found
        return found

    def analyse(self, extracted: Extracted) -> Analysis:
        """The text's known features as normalised TF-IDF values, and every category's
        margin and calibrated score."""
        indices: list[int] = []
        for token in extracted.tokens:
            indices.extend(self._word_indices(token.text))
        vocabulary = self.vocabulary
        for feature in extracted.extra:
            index = vocabulary.get(feature)
            if index is not None:
                indices.append(index)
        where: np.ndarray
        values: np.ndarray
        counts: np.ndarray
        if not indices:
            where = np.zeros(0, dtype=np.intp)
            values = np.zeros(0, dtype=np.float32)
            counts = np.zeros(0, dtype=np.intp)
            margins = self.bias.copy()
        else:
            where, counts = np.unique(np.array(indices, dtype=np.intp), return_counts=True)
            values = (1.0 + np.log(counts.astype(np.float32))) * self.idf[where]
            chars = self.block[where] == CHAR_BLOCK
            for mask in (chars, ~chars):
                norm = float(np.sqrt(np.dot(values[mask], values[mask])))
                if norm > 0:
                    values[mask] /= norm
            margins = values @ self.weights[where] + self.bias
        a, b = self.calibration[:, 0], self.calibration[:, 1]
        scores = 1.0 / (1.0 + np.exp(np.clip(-(a * margins + b), -60.0, 60.0)))
        return Analysis(where, values, counts, margins, scores)

    def margins(self, extracted: Extracted) -> np.ndarray:
        """The raw linear score per category."""
        return self.analyse(extracted).margins

    def scores(self, extracted: Extracted) -> np.ndarray:
        """The calibrated score (0 to 1) per category, in ``self.categories`` order."""
        return self.analyse(extracted).scores

    def evidence(
        self,
        extracted: Extracted,
        category: str,
        limit: int = 5,
        analysis: Analysis | None = None,
    ) -> Evidence:
        """The tokens whose features contributed most to ``category``'s score."""
        found = analysis if analysis is not None else self.analyse(extracted)
        if not len(found.where):
            return Evidence((), ())
        k = self.index[category]
        # Each feature's contribution, shared evenly among its occurrences.
        share = dict(
            zip(
                found.where.tolist(),
                (found.values * self.weights[found.where, k] / found.counts).tolist(),
                strict=True,
            )
        )
        by_token: dict[int, float] = {}
        for position, token in enumerate(extracted.tokens):
            total = 0.0
            for own in self._word_indices(token.text):
                total += share.get(own, 0.0)
            by_token[position] = total
        vocabulary = self.vocabulary
        for feature, owner in zip(extracted.extra, extracted.extra_owners, strict=True):
            index = vocabulary.get(feature)
            if index is None or owner < 0:
                continue
            part = share.get(index, 0.0)
            if feature.startswith("b:") and owner > 0:
                # A word pair credits both its words.
                by_token[owner - 1] += part / 2
                part /= 2
            by_token[owner] += part
        top = sorted(
            (token for token, weight in by_token.items() if weight > 0),
            key=lambda token: -by_token[token],
        )[:limit]
        tokens = extracted.tokens
        spans: list[tuple[int, int]] = []
        for start, end in sorted({tokens[token].original_span() for token in top}):
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        terms = tuple(dict.fromkeys(tokens[token].shown for token in top))
        return Evidence(tuple(spans), terms)


@lru_cache(maxsize=1)
def default_thresholds(path: Path | str = MODEL_PATH) -> Mapping[str, float]:
    """The thresholds chosen by cross-validation on the training split, from the model file's
    metadata only (cheap: the weights are not read); empty if there is no model file."""
    try:
        with np.load(path, allow_pickle=False) as data:
            metadata = json.loads(bytes(data["metadata"]).decode("utf-8"))
    except (OSError, ValueError, KeyError):
        return {}
    thresholds = metadata.get("thresholds", {})
    return {c: float(t) for c, t in thresholds.items() if isinstance(t, int | float)}
