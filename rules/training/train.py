"""Training the learned stage: one calibrated linear classifier per category.

``manage.py train_classifiers`` (or ``make model``) runs ``main``. Steps, all seeded:

1. Load every corpus (``corpora``) and its fixed split (``splits``); only ``train`` rows train.
2. Extract every text's features (``rules.engine.learned.features``, the engine's own code).
3. Build one vocabulary (features in at least ``MIN_DF`` training texts) and TF-IDF vectors.
4. For each category, compose its training rows from ``PLAN``: the council comments (every
   category labelled), the public sources that label the category (each source limited to a
   weight budget, so 20,000 US tweets do not swamp a few hundred council comments), and
   generic negatives (texts of sources that do not label the category but are assumed not to
   be in it: SMS ham is not a Freedom of Information request). Positives and negatives are
   then weighted equally.
5. Hold out 15 % of those rows (by a seeded hash): fit logistic regression on the rest for
   each C in ``C_GRID``, keep the C with the lowest log-loss on the held-out part after
   Platt's calibration on it, and keep that calibration.
6. Pick each category's threshold on the VALIDATION split: the F1-optimal threshold for what
   ships (rules OR model), averaged over the validation sources that label the category,
   subject to precision >= 0.85 on the council comments where any threshold reaches it.
   Record the model's own validation precision at that threshold: the engine lets a model
   flag hide a comment only where it is >= 0.95.
7. Drop features whose weights are all near zero, and write the model file and the data list.

The same inputs give the same model file, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rules.engine.document import Document
from rules.engine.learned.features import CHAR_BLOCK, block_of, extract
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.training.corpora import (
    SOURCE_FILES,
    Item,
    available_sources,
    council_sources,
    load_source,
)
from rules.training.evaluate import rules_only_spec, settings_for_source, stream_matches
from rules.training.splits import split

# scikit-learn, scipy and joblib are imported inside the functions that fit: they are
# development dependencies, and nothing outside training needs them.

MIN_DF = 3
C_GRID = (0.5, 2.0, 8.0)
COUNCIL_WEIGHT = 3.0
HOLDOUT_SHARE = 0.15
PRECISION_FLOOR = 0.85
AUTO_HIDE_PRECISION = 0.95
THRESHOLDS = [round(0.02 * i, 2) for i in range(5, 50)] + [1.01]
# Pruning keeps the features that carry this share of every category's absolute weight.
KEPT_WEIGHT_SHARE = 0.995
# A public source contributes at most this many rows per unit of its weight budget.
ROWS_PER_BUDGET = 3
MAX_FEATURES = 150_000

LEARNED_CATEGORIES: tuple[str, ...] = (
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


@dataclass(frozen=True)
class Use:
    """How one public source serves one category.

    ``budget``: the source's total weight (in effective examples), shared evenly by its rows.
    ``negative``: the source does not label the category; its rows are used as negatives.
    ``clean_on``: use only rows the source labels negative for this other category (OLID's
    "not offensive" tweets as negatives for harassment).
    """

    budget: float
    negative: bool = False
    clean_on: str = ""


def _neg(budget: float, clean_on: str = "") -> Use:
    return Use(budget, negative=True, clean_on=clean_on)


PLAN: dict[str, dict[str, Use]] = {
    "abuse": {
        "davidson": Use(2500),
        "olid": Use(4000),
        "toxic_spans": Use(2500),
        "hatexplain": Use(4000),
        "sms": _neg(800),
        "youtube": _neg(500),
        "mp_tweets": _neg(500),
        "foi_titles": _neg(300),
    },
    "hate": {
        "hatexplain": Use(4000),
        "hateval": Use(3000),
        "stormfront": Use(2500),
        "fox_news": Use(1000),
        # Not Davidson et al.: its "hate" is lexicon-collected slur use (the rules' job), and
        # it taught the model that naming a group is hateful.
        "toxic_spans": Use(1500),
        "mp_tweets": _neg(500),
        "sms": _neg(500),
        "youtube": _neg(300),
        "complaints": _neg(500),
    },
    "harassment": {
        "toxic_spans": Use(1500),
        "olid": _neg(800, clean_on="abuse"),
        "davidson": _neg(500, clean_on="abuse"),
        "hatexplain": _neg(500, clean_on="abuse"),
        "sms": _neg(500),
        "youtube": _neg(300),
        "mp_tweets": _neg(500),
        "complaints": _neg(500),
    },
    "personal_data": {
        "presidio": Use(1500),
        "olid": _neg(600),
        "sms": _neg(600),
        "youtube": _neg(400),
        "mp_tweets": _neg(400),
        "complaints": _neg(600),
        "foi_titles": _neg(300),
    },
    "spam": {
        "youtube": Use(1500),
        "sms": Use(1500),
        "smishing": Use(300),
        "mp_tweets": _neg(400),
        "complaints": _neg(600),
        "olid": _neg(600, clean_on="abuse"),
        "foi_titles": _neg(200),
    },
    "malicious_link": {
        "phishing_urls": Use(1500),
        "smishing": Use(200),
        "youtube": _neg(600),
        "sms": _neg(600, clean_on="spam"),
        "mp_tweets": _neg(400),
        "complaints": _neg(400),
    },
    "political": {
        "mp_tweets": Use(300),
        "sms": _neg(600),
        "youtube": _neg(400),
        "complaints": _neg(600),
        "foi_titles": _neg(200),
    },
    "staff_criticism": {
        "olid": _neg(600),
        "sms": _neg(400),
        "youtube": _neg(300),
        "mp_tweets": _neg(400),
        "complaints": _neg(600),
    },
    "foi_request": {
        "foi_titles": Use(400),
        "complaints": _neg(800),
        "sms": _neg(400),
        "youtube": _neg(300),
        "mp_tweets": _neg(400),
        "olid": _neg(400),
    },
    "subject_access_request": {
        "complaints": _neg(600),
        "foi_titles": _neg(300),
        "sms": _neg(400),
        "youtube": _neg(300),
        "mp_tweets": _neg(300),
        "olid": _neg(300),
    },
    "complaint": {
        "complaints": _neg(600, clean_on="complaint"),
        "sms": _neg(400),
        "youtube": _neg(300),
        "mp_tweets": _neg(300),
        "foi_titles": _neg(200),
        "olid": _neg(300),
    },
    "self_harm": {
        "suicidal_intention": Use(2000),
        "suicide_ideation": Use(800),
        "cssrs": Use(200),
        "olid": _neg(600),
        "davidson": _neg(400),
        "sms": _neg(400),
        "youtube": _neg(300),
        "complaints": _neg(400),
        "mp_tweets": _neg(300),
    },
}


def is_council(source: str) -> bool:
    return source.startswith("council_")


# --- rows and weights ------------------------------------------------------------------------


def _unit_hash(*parts: str) -> float:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class Rows:
    """One category's training rows: indices into the training items, labels, weights."""

    index: np.ndarray
    label: np.ndarray
    weight: np.ndarray
    holdout: np.ndarray  # True for the calibration part


def category_rows(
    category: str, items: Sequence[Item], plan: Mapping[str, Mapping[str, Use]] = PLAN
) -> Rows:
    """The training rows of one category, weighted as the plan says, classes balanced."""
    uses = plan.get(category, {})
    chosen: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for position, item in enumerate(items):
        if is_council(item.source):
            if category in item.labels:
                chosen[item.source].append((position, item.positive(category)))
            continue
        use = uses.get(item.source)
        if use is None:
            continue
        if use.clean_on and item.labels.get(use.clean_on) is not False:
            continue
        if use.negative:
            if category not in item.labels:
                chosen[item.source].append((position, False))
        elif category in item.labels:
            chosen[item.source].append((position, item.positive(category)))
    index, label, weight, holdout = [], [], [], []
    for source, rows in sorted(chosen.items()):
        if is_council(source):
            each = COUNCIL_WEIGHT
        else:
            budget = uses[source].budget
            if len(rows) > ROWS_PER_BUDGET * budget:
                # A seeded sample: more rows than this add time, not information.
                rows = sorted(
                    rows,
                    key=lambda row: _unit_hash("sample", category, source, items[row[0]].uid),
                )[: int(ROWS_PER_BUDGET * budget)]
                rows.sort()
            each = min(budget, len(rows)) / len(rows)
        for position, positive in rows:
            index.append(position)
            label.append(positive)
            weight.append(each)
            holdout.append(
                _unit_hash("holdout", category, items[position].source, items[position].uid)
                < HOLDOUT_SHARE
            )
    labels = np.array(label, dtype=bool)
    weights = np.array(weight, dtype=np.float64)
    positive_total = weights[labels].sum()
    negative_total = weights[~labels].sum()
    if positive_total and negative_total:
        weights[labels] *= negative_total / positive_total
    return Rows(np.array(index, dtype=np.intp), labels, weights, np.array(holdout, dtype=bool))


# --- vectors ---------------------------------------------------------------------------------


@dataclass
class Vectoriser:
    """The vocabulary and IDF, and TF-IDF vectors exactly as ``LinearModel`` computes them."""

    vocabulary: list[str]
    idf: np.ndarray
    block: np.ndarray
    lookup: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fit(cls, documents: Sequence[Sequence[str]], min_df: int = MIN_DF) -> Vectoriser:
        df: dict[str, int] = defaultdict(int)
        for features in documents:
            for feature in set(features):
                df[feature] += 1
        kept = sorted(
            (f for f, count in df.items() if count >= min_df), key=lambda f: (block_of(f), f)
        )
        total = len(documents)
        idf = np.array([math.log((1 + total) / (1 + df[f])) + 1 for f in kept], dtype=np.float32)
        block = np.array([block_of(f) for f in kept], dtype=np.int8)
        return cls(kept, idf, block, {f: i for i, f in enumerate(kept)})

    def transform(self, documents: Sequence[Sequence[str]]) -> Any:
        from scipy import sparse

        rows, cols, counts = [], [], []
        for row, features in enumerate(documents):
            tally: dict[int, int] = defaultdict(int)
            for feature in features:
                index = self.lookup.get(feature)
                if index is not None:
                    tally[index] += 1
            for index in sorted(tally):
                rows.append(row)
                cols.append(index)
                counts.append(tally[index])
        col = np.array(cols, dtype=np.intp)
        data = (1.0 + np.log(np.array(counts, dtype=np.float32))) * self.idf[col]
        row_of = np.array(rows, dtype=np.intp)
        is_char = self.block[col] == CHAR_BLOCK
        size = len(documents)
        norms = np.zeros((size, 2), dtype=np.float64)
        np.add.at(norms, (row_of, is_char.astype(np.intp)), data.astype(np.float64) ** 2)
        norms = np.sqrt(norms)
        norms[norms == 0] = 1.0
        data = data / norms[row_of, is_char.astype(np.intp)].astype(np.float32)
        return sparse.csr_matrix(
            (data.astype(np.float32), (row_of, col)), shape=(size, len(self.vocabulary))
        )


# --- fitting ---------------------------------------------------------------------------------


@dataclass
class Fitted:
    coef: np.ndarray
    intercept: float
    platt: tuple[float, float]
    c: float
    holdout_log_loss: float


def _platt(margin: np.ndarray, label: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    model.fit(margin.reshape(-1, 1), label, sample_weight=weight)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def _log_loss(probability: np.ndarray, label: np.ndarray, weight: np.ndarray) -> float:
    p = np.clip(probability, 1e-6, 1 - 1e-6)
    losses = -(label * np.log(p) + (~label) * np.log(1 - p))
    return float((losses * weight).sum() / weight.sum())


def fit_category(matrix: Any, rows: Rows, c_grid: Sequence[float] = C_GRID) -> Fitted:
    """Fit on the rows outside the hold-out for each C; keep the best after calibration."""
    from sklearn.linear_model import LogisticRegression

    fit_part = ~rows.holdout
    held = rows.holdout
    if rows.label[held].all() or not rows.label[held].any():
        # Too few rows to hold out both classes (a tiny data set): calibrate on the fit part.
        held = fit_part
    x = matrix[rows.index]
    best: Fitted | None = None
    for c in c_grid:
        model = LogisticRegression(
            C=c, solver="liblinear", dual=True, random_state=0, max_iter=5000
        )
        model.fit(x[fit_part], rows.label[fit_part], sample_weight=rows.weight[fit_part])
        margin = model.decision_function(x[held])
        platt = _platt(margin, rows.label[held], rows.weight[held])
        probability = 1 / (1 + np.exp(-(platt[0] * margin + platt[1])))
        loss = _log_loss(probability, rows.label[held], rows.weight[held])
        if best is None or loss < best.holdout_log_loss:
            best = Fitted(model.coef_[0].copy(), float(model.intercept_[0]), platt, c, loss)
    assert best is not None
    return best


# --- thresholds ------------------------------------------------------------------------------


def _prf(predicted: np.ndarray, actual: np.ndarray) -> tuple[float, float, float, int]:
    tp = int((predicted & actual).sum())
    flagged = int(predicted.sum())
    positives = int(actual.sum())
    precision = tp / flagged if flagged else 1.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, flagged


@dataclass
class Choice:
    threshold: float
    validation: dict[str, Any]


def choose_threshold(
    category: str,
    groups: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> Choice:
    """``groups``: validation group name -> (model score, rules flagged, actual), where the
    group "council" is every council source's validation rows together.

    The objective is the mean F1 of rules OR model over the groups. Among the thresholds
    where the model is on, those with council precision >= PRECISION_FLOOR are preferred; if
    none reaches it, the F1-optimal one is taken (a model flag goes to review, so a false
    alarm costs an officer a look, while a miss leaves the comment unseen). The model is
    switched off (threshold above 1) only when no threshold beats the rules alone."""
    council = groups.get("council")

    def objective(threshold: float) -> tuple[float, float]:
        f1s = [
            _prf(rules | (score >= threshold), actual)[2]
            for score, rules, actual in groups.values()
        ]
        precision = _prf(council[1] | (council[0] >= threshold), council[2])[0] if council else 1.0
        return (sum(f1s) / len(f1s) if f1s else 0.0), precision

    candidates = [(t, *objective(t)) for t in THRESHOLDS if t <= 1]
    feasible = [c for c in candidates if c[2] >= PRECISION_FLOOR] or candidates
    best: tuple[float, float] | None = None
    for threshold, value, _ in feasible:
        if best is None or value > best[1] + 1e-9:
            best = (threshold, value)
    assert best is not None
    off = THRESHOLDS[-1]
    if objective(off)[0] >= best[1]:
        best = (off, objective(off)[0])
    threshold = best[0]
    figures: dict[str, Any] = {}
    model_precisions = []
    for name, (score, rules, actual) in groups.items():
        shipped = _prf(rules | (score >= threshold), actual)
        alone = _prf(score >= threshold, actual)
        figures[name] = {
            "rows": len(actual),
            "positives": int(actual.sum()),
            "shipped": [round(v, 4) for v in shipped[:3]],
            "model": [round(v, 4) for v in alone[:3]],
            "rules": [round(v, 4) for v in _prf(rules, actual)[:3]],
            "model_flags": alone[3],
        }
        if alone[3] >= 10:
            model_precisions.append(alone[0])
    precision = min(model_precisions) if model_precisions else 0.0
    return Choice(threshold, {"groups": figures, "model_precision": round(precision, 4)})


# --- the whole run ---------------------------------------------------------------------------


def features_of(items: Sequence[Item]) -> list[list[str]]:
    return [extract(Document(item.text)).features for item in items]


@dataclass
class Trained:
    model: LinearModel
    report: dict[str, Any]


def train(
    train_items: Sequence[Item],
    validation_items: Sequence[Item],
    rules_flagged: Callable[[Item], set[str]],
    *,
    categories: Sequence[str] = LEARNED_CATEGORIES,
    plan: Mapping[str, Mapping[str, Use]] = PLAN,
    data_list: Sequence[Mapping[str, Any]] = (),
    min_df: int = MIN_DF,
    c_grid: Sequence[float] = C_GRID,
    log: Callable[[str], None] = lambda line: None,
    train_features: list[list[str]] | None = None,
    jobs: int = 1,
) -> Trained:
    """Fit, calibrate, choose thresholds and prune; see the module docstring."""
    log(f"features of {len(train_items):,} training texts")
    if train_features is None:
        train_features = features_of(train_items)
    vectoriser = Vectoriser.fit(train_features, min_df)
    log(f"vocabulary {len(vectoriser.vocabulary):,}")
    matrix = vectoriser.transform(train_features)
    del train_features
    from joblib import Parallel, delayed

    all_rows = {category: category_rows(category, train_items, plan) for category in categories}
    for category, rows in all_rows.items():
        if not rows.label.any() or rows.label.all():
            raise ValueError(f"{category}: training needs positives and negatives")
    results = Parallel(n_jobs=jobs)(
        delayed(fit_category)(matrix, all_rows[category], c_grid) for category in categories
    )
    fitted: dict[str, Fitted] = dict(zip(categories, results, strict=True))
    for category, rows in all_rows.items():
        log(
            f"{category}: {len(rows.index):,} rows, {int(rows.label.sum()):,} positive, "
            f"C={fitted[category].c}, hold-out log-loss {fitted[category].holdout_log_loss:.3f}"
        )
    weights = np.stack([fitted[c].coef for c in categories], axis=1).astype(np.float32)
    keep = _kept_features(weights)
    log(f"kept {int(keep.sum()):,} of {len(keep):,} features")
    model = LinearModel(
        categories=categories,
        vocabulary=[f for f, k in zip(vectoriser.vocabulary, keep, strict=True) if k],
        idf=vectoriser.idf[keep],
        block=vectoriser.block[keep],
        weights=weights[keep].astype(np.float16).astype(np.float32),
        bias=np.array([fitted[c].intercept for c in categories], dtype=np.float32),
        calibration=np.array([fitted[c].platt for c in categories], dtype=np.float32),
        metadata={},
    )
    # Thresholds are chosen for the model as shipped (pruned, float16), on validation rows.
    scores = (
        np.stack([model.scores(extract(Document(item.text))) for item in validation_items])
        if validation_items
        else np.zeros((0, len(categories)))
    )
    flagged = [rules_flagged(item) for item in validation_items]
    thresholds: dict[str, float] = {}
    validation: dict[str, Any] = {}
    for k, category in enumerate(categories):
        groups = _validation_groups(category, validation_items, scores[:, k], flagged, plan)
        choice = choose_threshold(category, groups)
        thresholds[category] = choice.threshold
        validation[category] = choice.validation
        log(
            f"{category}: threshold {choice.threshold}, model precision "
            f"{choice.validation['model_precision']}"
        )
    model.metadata = {
        "thresholds": thresholds,
        "validation_precision": {c: validation[c]["model_precision"] for c in categories},
        "auto_hide_precision": AUTO_HIDE_PRECISION,
        "training": {
            "seed": 0,
            "min_df": min_df,
            "c": {c: fitted[c].c for c in categories},
            "council_weight": COUNCIL_WEIGHT,
            "plan": {c: {s: vars(u) for s, u in plan.get(c, {}).items()} for c in categories},
            "data": list(data_list),
            "libraries": _library_versions(),
        },
    }
    report = {"validation": validation, "thresholds": thresholds}
    return Trained(model, report)


def _validation_groups(
    category: str,
    items: Sequence[Item],
    scores: np.ndarray,
    flagged: Sequence[set[str]],
    plan: Mapping[str, Mapping[str, Use]] = PLAN,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Validation rows per group for one category: council sources together, and each public
    source the plan trains the category on with its own labels, where its validation rows
    have both positives and negatives. (A source whose label means something else, such as
    the complaints tweets' grumbles or UCC's "hostile", is reported but not tuned for.)"""
    labelled = {s for s, use in plan.get(category, {}).items() if not use.negative}
    members: dict[str, list[int]] = defaultdict(list)
    for position, item in enumerate(items):
        if category not in item.labels:
            continue
        if not is_council(item.source) and item.source not in labelled:
            continue
        members["council" if is_council(item.source) else item.source].append(position)
    groups = {}
    for name, positions in sorted(members.items()):
        actual = np.array([items[p].positive(category) for p in positions], dtype=bool)
        if name != "council" and (actual.all() or not actual.any()):
            continue
        rules = np.array([category in flagged[p] for p in positions], dtype=bool)
        groups[name] = (scores[positions], rules, actual)
    return groups


def _kept_features(weights: np.ndarray) -> np.ndarray:
    """Features that carry ``KEPT_WEIGHT_SHARE`` of some category's absolute weight, at most
    ``MAX_FEATURES``, ranked by their largest share."""
    magnitude = np.abs(weights)
    share = magnitude / magnitude.sum(axis=0, keepdims=True).clip(min=1e-12)
    keep = np.zeros(len(weights), dtype=bool)
    for k in range(weights.shape[1]):
        order = np.argsort(-magnitude[:, k], kind="stable")
        cumulative = np.cumsum(share[order, k])
        cut = int(np.searchsorted(cumulative, KEPT_WEIGHT_SHARE)) + 1
        keep[order[:cut]] = True
    if keep.sum() > MAX_FEATURES:
        best = share.max(axis=1)
        best[~keep] = -1
        order = np.argsort(-best, kind="stable")
        keep[:] = False
        keep[order[:MAX_FEATURES]] = True
    return keep


def _library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


# --- the command ----------------------------------------------------------------------------


def data_list(datasets: Path, sources: Sequence[str]) -> list[dict[str, Any]]:
    """Every input file with its sha256, in a fixed order."""
    entries = []
    councils = council_sources()
    for source in sources:
        if source in councils:
            paths = [councils[source]]
            orgs = councils[source].with_suffix(".orgs.json")
            if orgs.exists():
                paths.append(orgs)
            label = "bench/data/"
        else:
            paths = [datasets / name for name in SOURCE_FILES[source]]
            label = "datasets/"
        for path in paths:
            name = label + (
                path.name if label == "bench/data/" else str(path.relative_to(datasets))
            )
            entries.append({"source": source, "file": name, "sha256": sha256_of(path)})
    return entries


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Prepared:
    """Every source's train and validation rows, and the rules' verdicts on validation rows."""

    sources: list[str]
    train_items: list[Item]
    validation_items: list[Item]
    rules_found: dict[tuple[str, str], set[str]]

    def rules_flagged(self, item: Item) -> set[str]:
        return self.rules_found.get((item.source, item.uid), set())


def prepare(
    datasets: Path, exclude: Sequence[str] = (), log: Callable[[str], None] = print
) -> Prepared:
    """Load and split every available source but ``exclude``; run the rules (alone) over each
    source's validation rows, in the source's order, as production would."""
    sources = [s for s in available_sources(datasets) if s not in exclude]
    prepared = Prepared(sources, [], [], {})
    for source in sources:
        items = load_source(source, datasets)
        train_part, validation_part = split(items)
        prepared.train_items.extend(train_part)
        prepared.validation_items.extend(validation_part)
        matches = stream_matches(
            items,
            {item.uid for item in validation_part},
            spec_for=rules_only_spec,
            settings_by_org=settings_for_source(source),
        )
        for uid, found in matches.items():
            prepared.rules_found[(source, uid)] = {m.category for m in found}
        log(f"{source}: {len(train_part):,} train, {len(validation_part):,} validation")
    return prepared


def run(
    datasets: Path,
    output: Path = MODEL_PATH,
    *,
    exclude: Sequence[str] = (),
    jobs: int = 1,
    log: Callable[[str], None] = print,
) -> Trained:
    """Train from every available source (but ``exclude``) and write the model file."""
    prepared = prepare(datasets, exclude, log)
    trained = train(
        prepared.train_items,
        prepared.validation_items,
        prepared.rules_flagged,
        data_list=data_list(datasets, prepared.sources),
        jobs=jobs,
        log=log,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    trained.model.save(output)
    write_data_list(trained.model, output)
    log(f"wrote {output} ({output.stat().st_size:,} bytes, sha256 {sha256_of(output)[:16]})")
    return trained


def write_data_list(model: LinearModel, output: Path) -> Path:
    """Beside the model file, its data list and choices as readable JSON (the same facts as
    the file's metadata): every input with its sha256, the thresholds and validation precision
    per category, and the training parameters."""
    path = output.with_suffix(".json")
    summary = {
        "model": output.name,
        "model_sha256": sha256_of(output),
        "data": model.metadata.get("training", {}).get("data", []),
        "thresholds": model.metadata.get("thresholds", {}),
        "validation_precision": model.metadata.get("validation_precision", {}),
        "training": {k: v for k, v in model.metadata.get("training", {}).items() if k != "data"},
    }
    path.write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
