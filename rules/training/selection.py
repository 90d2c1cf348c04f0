"""Choosing each category's regularisation, calibration and threshold by cross-validation on
the TRAIN split only.

For each C of the grid, every training row of the category gets an out-of-fold margin: the
margin of a model fitted on the other folds (``plan.fold_of``: a council writer's file lies in
one fold, so a council comment is scored by a model that never saw its writer). Platt's scaling is
fitted on those margins, and the threshold is chosen on the calibrated out-of-fold scores:

* the objective is the mean F1 of what ships (rules OR model) over the threshold groups: the
  council comments, and each public source that labels the category with its own labels;
* thresholds whose council precision (rules OR model) reaches ``PRECISION_FLOOR`` (higher for
  the urgent categories of ``PRECISION_FLOORS``) are preferred; where none does (the rules'
  own precision may be below it), the floor is the best council precision any threshold
  reaches less ``FLOOR_SLACK``, so the category still gets as precise as it can without giving
  up all its recall;
* the model is switched off (threshold above 1) when no threshold beats the rules alone.

The C with the best objective is kept, refitted on every row, and shipped with the Platt
scaling and threshold of its out-of-fold scores. The validation split is never read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rules.training.plan import FOLDS, Rows

# scikit-learn is imported inside the functions that fit: it is a development dependency.

C_GRID = (0.5, 2.0, 8.0)
PRECISION_FLOOR = 0.88
# A self-harm flag is an urgent alert in the queue's at-risk box: a false one costs an officer
# most, so its threshold must reach a higher council precision. At 0.95 (threshold 0.94, out of
# fold council 95.2 / 84.5) the box took in ordinary sentences about family and homes (the
# engine's test); with writers a–i, 0.96 gave threshold 0.96 and 96.5 / 80.5, but with j and k
# it still let two of them in (0.964, 0.968), so the floor is 0.97.
PRECISION_FLOORS = {"self_harm": 0.97}
FLOOR_SLACK = 0.02
THRESHOLDS = [round(0.02 * i, 2) for i in range(5, 50)] + [0.99, 1.01]
OFF = THRESHOLDS[-1]


@dataclass
class Fitted:
    """One category's shipped classifier and how it was chosen."""

    coef: np.ndarray
    intercept: float
    platt: tuple[float, float]
    c: float
    threshold: float
    # Out-of-fold figures per threshold group at the chosen threshold, and the model's own
    # lowest out-of-fold precision over groups with at least ten model flags.
    figures: dict[str, Any] = field(default_factory=dict)
    model_precision: float = 0.0
    # Every training row's calibrated out-of-fold score (for reports; not shipped).
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _logistic(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, solver="liblinear", dual=True, random_state=0, max_iter=5000)


def _platt(margin: np.ndarray, label: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    model.fit(margin.reshape(-1, 1), label, sample_weight=weight)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def out_of_fold_margins(x: Any, rows: Rows, c: float, folds: int = FOLDS) -> np.ndarray:
    """Each row's margin from a model fitted without the row's fold (0 where a fold's
    complement lacks a class, as in a tiny data set)."""
    margins = np.zeros(len(rows.label), dtype=np.float64)
    for k in range(folds):
        held = rows.fold == k
        fit = ~held
        if not held.any() or rows.label[fit].all() or not rows.label[fit].any():
            continue
        model = _logistic(c).fit(x[fit], rows.label[fit], sample_weight=rows.weight[fit])
        margins[held] = model.decision_function(x[held])
    return margins


def prf(predicted: np.ndarray, actual: np.ndarray) -> tuple[float, float, float, int]:
    """Precision (1 with no flags), recall, F1 and the number flagged."""
    tp = int((predicted & actual).sum())
    flagged = int(predicted.sum())
    positives = int(actual.sum())
    precision = tp / flagged if flagged else 1.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, flagged


Group = tuple[np.ndarray, np.ndarray, np.ndarray]  # (score, rules flagged, actual)


def threshold_groups(rows: Rows, scores: np.ndarray, rules: np.ndarray) -> dict[str, Group]:
    """The rows of each threshold group; a public group needs both classes."""
    members: dict[str, list[int]] = {}
    for position, name in enumerate(rows.group):
        if name:
            members.setdefault(name, []).append(position)
    groups = {}
    for name, positions in sorted(members.items()):
        where = np.array(positions, dtype=np.intp)
        actual = rows.label[where]
        if name != "council" and (actual.all() or not actual.any()):
            continue
        groups[name] = (scores[where], rules[where], actual)
    return groups


@dataclass(frozen=True)
class Choice:
    threshold: float
    objective: float
    feasible: bool


def choose_threshold(groups: dict[str, Group], floor: float = PRECISION_FLOOR) -> Choice:
    """The threshold by the objective of the module docstring, with council precision floor
    ``floor``."""
    council = groups.get("council")

    def objective(threshold: float) -> tuple[float, float]:
        f1s = [
            prf(rules | (score >= threshold), actual)[2] for score, rules, actual in groups.values()
        ]
        precision = prf(council[1] | (council[0] >= threshold), council[2])[0] if council else 1.0
        return (sum(f1s) / len(f1s) if f1s else 0.0), precision

    candidates = [(t, *objective(t)) for t in THRESHOLDS if t <= 1]
    feasible = [c for c in candidates if c[2] >= floor]
    reachable = max(c[2] for c in candidates) - FLOOR_SLACK
    best: tuple[float, float] | None = None
    for threshold, value, _ in feasible or [c for c in candidates if c[2] >= reachable]:
        if best is None or value > best[1] + 1e-9:
            best = (threshold, value)
    assert best is not None
    rules_alone = objective(OFF)
    if rules_alone[0] >= best[1]:
        return Choice(OFF, rules_alone[0], rules_alone[1] >= floor)
    return Choice(best[0], best[1], bool(feasible))


def group_figures(groups: dict[str, Group], threshold: float) -> tuple[dict[str, Any], float]:
    """Out-of-fold P/R/F1 per group for rules, model and shipped, and the model's lowest
    precision over groups where it flags at least ten rows."""
    figures: dict[str, Any] = {}
    precisions = []
    for name, (score, rules, actual) in groups.items():
        alone = prf(score >= threshold, actual)
        figures[name] = {
            "rows": len(actual),
            "positives": int(actual.sum()),
            "rules": [round(v, 4) for v in prf(rules, actual)[:3]],
            "model": [round(v, 4) for v in alone[:3]],
            "shipped": [round(v, 4) for v in prf(rules | (score >= threshold), actual)[:3]],
            "model_flags": alone[3],
        }
        if alone[3] >= 10:
            precisions.append(alone[0])
    return figures, (min(precisions) if precisions else 0.0)


def fit_category(
    matrix: Any,
    rows: Rows,
    rules: np.ndarray,
    c_grid: Sequence[float] = C_GRID,
    floor: float = PRECISION_FLOOR,
    gate: np.ndarray | None = None,
) -> Fitted:
    """Choose C, calibration and threshold out of fold; refit on every row with that C.

    ``rules``: whether the rules alone flag the category on each row (False where unknown);
    ``floor``: the council precision the threshold should reach; ``gate``: whether each row
    passes what a model flag needs besides its score (``implied.MODEL_FLAG_GATES``; None: no
    gate). A row that fails its gate is never a model flag, as in the engine, so its
    out-of-fold score counts as 0 when thresholds and figures are chosen (calibration is
    fitted on every margin, as the model scores every text)."""
    x = matrix[rows.index]
    best: tuple[tuple[bool, float], float, tuple[float, float], Choice, dict, Any] | None = None
    for c in c_grid:
        margins = out_of_fold_margins(x, rows, c)
        platt = _platt(margins, rows.label, rows.weight)
        scores = 1 / (1 + np.exp(-(platt[0] * margins + platt[1])))
        if gate is not None:
            scores = np.where(gate, scores, 0.0)
        groups = threshold_groups(rows, scores, rules)
        choice = choose_threshold(groups, floor)
        key = (choice.feasible, choice.objective)
        if best is None or key > best[0]:
            best = (key, c, platt, choice, groups, scores)
    assert best is not None
    _, c, platt, choice, groups, scores = best
    figures, model_precision = group_figures(groups, choice.threshold)
    model = _logistic(c).fit(x, rows.label, sample_weight=rows.weight)
    return Fitted(
        coef=model.coef_[0].copy(),
        intercept=float(model.intercept_[0]),
        platt=platt,
        c=c,
        threshold=choice.threshold,
        figures=figures,
        model_precision=round(model_precision, 4),
        scores=scores,
    )
