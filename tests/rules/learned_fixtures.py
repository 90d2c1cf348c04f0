"""A hand-built learned model for the stage's tests: two categories, a few weighted words."""

from __future__ import annotations

from typing import Any

import numpy as np

from rules.engine.learned.model import LinearModel

CATEGORIES = ("abuse", "foi_request")
# (feature, abuse weight, foi weight)
WEIGHTS = [
    ("w:numpty", 6.0, 0.0),
    ("w:useless", 3.0, 0.0),
    ("w:figures", 0.0, 5.0),
    ("w:spending", 0.0, 4.0),
    ("w:thanks", -3.0, -1.0),
    ("c: nu", 0.5, 0.0),
]


def tiny_model(**metadata: Any) -> LinearModel:
    return LinearModel(
        categories=CATEGORIES,
        vocabulary=[feature for feature, *_ in WEIGHTS],
        idf=np.ones(len(WEIGHTS), dtype=np.float32),
        block=np.array([1 if f.startswith("c:") else 0 for f, *_ in WEIGHTS], dtype=np.int8),
        weights=np.array([[a, b] for _, a, b in WEIGHTS], dtype=np.float32),
        bias=np.array([-2.0, -2.0], dtype=np.float32),
        calibration=np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32),
        metadata={
            "thresholds": {"abuse": 0.8, "foi_request": 0.8},
            "out_of_fold_precision": {"abuse": 0.97, "foi_request": 0.9},
            **metadata,
        },
    )
