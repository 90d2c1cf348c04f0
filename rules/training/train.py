"""Training the learned stage: one calibrated linear classifier per category.

``manage.py train_classifiers`` (or ``make model``) runs ``main``. Steps, all seeded, all on
the TRAIN split (the validation split is read only by ``bench/quality.py``, once, as figures):

1. Load every corpus (``corpora``) and its fixed split (``splits``); only ``train`` rows train.
2. Extract every text's features (``rules.engine.learned.features``, the engine's own code).
3. Build one vocabulary (features in at least ``MIN_DF`` training texts) and TF-IDF vectors.
4. For each category, compose its weighted training rows and their cross-validation folds
   (``plan``), and run the rules alone over the rows that choose thresholds.
5. Choose C, Platt's calibration and the threshold by out-of-fold scores, and refit on every
   row (``selection``). A row that fails what a model flag needs besides its score
   (``implied.MODEL_FLAG_GATES``: a party, candidate or canvassing for political, four
   different words for spam) is never an out-of-fold flag, as in the engine. Record the
   model's own out-of-fold precision at that threshold: the engine lets a model flag hide a
   comment only where it is >= 0.95.
6. Drop features whose weights are all near zero, and write the model file and the data list.

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
from rules.engine.learned.implied import MODEL_FLAG_GATES, model_flag_allowed
from rules.engine.learned.masks import NO_SETTINGS, Masks, build_masks
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.training.corpora import available_sources, council_settings, council_sources, load_source
from rules.training.evaluate import (
    rules_categories,
    rules_only_spec,
    settings_for_source,
    stream_matches,
)
from rules.training.items import Item
from rules.training.plan import (
    C_BY_CATEGORY,
    COUNCIL_WEIGHT,
    FOLDS,
    LEARNED_CATEGORIES,
    PLAN,
    Rows,
    Use,
    category_rows,
    is_council,
)
from rules.training.public_sources import SOURCE_FILES
from rules.training.selection import (
    C_GRID,
    PRECISION_FLOOR,
    PRECISION_FLOORS,
    Fitted,
    fit_category,
    group_figures,
)
from rules.training.splits import split

# scikit-learn, scipy and joblib are imported inside the functions that fit: they are
# development dependencies, and nothing outside training needs them.

MIN_DF = 3
AUTO_HIDE_PRECISION = 0.95
# Pruning keeps the features that carry this share of every category's absolute weight.
KEPT_WEIGHT_SHARE = 0.995
MAX_FEATURES = 150_000

__all__ = ["LEARNED_CATEGORIES", "PLAN", "TextFeatures", "Use", "run", "train"]


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


# --- the whole run ---------------------------------------------------------------------------


def masks_for(source: str) -> dict[str, Masks]:
    """The masks of each organisation a source's comments belong to (none but the parties'
    for a public source or a council source with no settings)."""
    if source != "council_dev" and source not in council_sources():
        return {}
    return {org: build_masks(settings) for org, settings in council_settings(source).items()}


@dataclass
class TextFeatures:
    """Every item's features, and whether each passes each category's model-flag gate
    (``MODEL_FLAG_GATES``: what a model flag needs besides its score)."""

    features: list[list[str]]
    gates: dict[str, np.ndarray]

    def subset(self, positions: Sequence[int]) -> TextFeatures:
        return TextFeatures(
            [self.features[i] for i in positions],
            {c: passes[np.asarray(positions, dtype=np.intp)] for c, passes in self.gates.items()},
        )


def features_of(items: Sequence[Item]) -> TextFeatures:
    """Every item's features and gates, read with its organisation's settings as the engine
    reads them."""
    by_source: dict[str, dict[str, Masks]] = {}
    found = []
    gates: dict[str, list[bool]] = {category: [] for category in MODEL_FLAG_GATES}
    for item in items:
        if item.source not in by_source:
            by_source[item.source] = masks_for(item.source)
        masks = by_source[item.source].get(item.org, NO_SETTINGS)
        extracted = extract(Document(item.text), masks)
        found.append(extracted.features)
        for category, passes in gates.items():
            passes.append(model_flag_allowed(category, extracted))
    return TextFeatures(found, {c: np.array(p, dtype=bool) for c, p in gates.items()})


@dataclass
class Trained:
    model: LinearModel
    report: dict[str, Any]


def rows_by_category(
    items: Sequence[Item],
    categories: Sequence[str] = LEARNED_CATEGORIES,
    plan: Mapping[str, Mapping[str, Use]] = PLAN,
) -> dict[str, Rows]:
    return {category: category_rows(category, items, plan) for category in categories}


def threshold_rows(all_rows: Mapping[str, Rows]) -> set[int]:
    """Positions of the training items that choose some category's threshold."""
    return {
        int(position)
        for rows in all_rows.values()
        for position, group in zip(rows.index, rows.group, strict=True)
        if group
    }


def train(
    train_items: Sequence[Item],
    rules_flagged: Callable[[Item], set[str]],
    *,
    categories: Sequence[str] = LEARNED_CATEGORIES,
    plan: Mapping[str, Mapping[str, Use]] = PLAN,
    data_list: Sequence[Mapping[str, Any]] = (),
    min_df: int = MIN_DF,
    c_grid: Sequence[float] | Mapping[str, Sequence[float]] = C_GRID,
    log: Callable[[str], None] = lambda line: None,
    train_features: TextFeatures | None = None,
    jobs: int = 1,
) -> Trained:
    """Fit, choose by cross-validation, and prune; see the module docstring.

    ``rules_flagged(item)``: the categories the rules alone flag on a training item (needed
    for the items of ``threshold_rows``; empty elsewhere). ``c_grid``: the C values tried, for
    every category or per category. ``train_features``: ``features_of(train_items)``, when the
    caller has it already."""
    log(f"features of {len(train_items):,} training texts")
    if train_features is None:
        train_features = features_of(train_items)
    gates = train_features.gates
    vectoriser = Vectoriser.fit(train_features.features, min_df)
    log(f"vocabulary {len(vectoriser.vocabulary):,}")
    matrix = vectoriser.transform(train_features.features)
    del train_features
    from joblib import Parallel, delayed

    all_rows = rows_by_category(train_items, categories, plan)
    for category, rows in all_rows.items():
        if not rows.label.any() or rows.label.all():
            raise ValueError(f"{category}: training needs positives and negatives")
    rules = {
        category: np.array(
            [category in rules_flagged(train_items[p]) for p in rows.index], dtype=bool
        )
        for category, rows in all_rows.items()
    }
    results = Parallel(n_jobs=jobs)(
        delayed(fit_category)(
            matrix,
            all_rows[category],
            rules[category],
            c_grid[category] if isinstance(c_grid, Mapping) else c_grid,
            PRECISION_FLOORS.get(category, PRECISION_FLOOR),
            gates[category][all_rows[category].index] if category in gates else None,
        )
        for category in categories
    )
    fitted: dict[str, Fitted] = dict(zip(categories, results, strict=True))
    by_writer: dict[str, dict[str, Any]] = {}
    for category, rows in all_rows.items():
        chosen = fitted[category]
        log(
            f"{category}: {len(rows.index):,} rows, {int(rows.label.sum()):,} positive, "
            f"C={chosen.c}, threshold {chosen.threshold}, "
            f"model precision {chosen.model_precision} (out of fold)"
        )
        by_writer[category] = writer_figures(train_items, rows, rules[category], chosen)
        for name, figures in [*chosen.figures.items(), *by_writer[category].items()]:
            log(
                f"  {name}: {figures['positives']}/{figures['rows']} "
                + " ".join(
                    f"{kind} {'/'.join(f'{100 * v:.1f}' for v in figures[kind])}"
                    for kind in ("rules", "model", "shipped")
                )
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
    thresholds = {c: fitted[c].threshold for c in categories}
    model.metadata = {
        "thresholds": thresholds,
        "out_of_fold_precision": {c: fitted[c].model_precision for c in categories},
        "auto_hide_precision": AUTO_HIDE_PRECISION,
        "training": {
            "seed": 0,
            "min_df": min_df,
            "folds": FOLDS,
            "precision_floor": PRECISION_FLOOR,
            "precision_floors": dict(sorted(PRECISION_FLOORS.items())),
            "c": {c: fitted[c].c for c in categories},
            "council_weight": COUNCIL_WEIGHT,
            "plan": {c: {s: vars(u) for s, u in plan.get(c, {}).items()} for c in categories},
            "data": list(data_list),
            "libraries": _library_versions(),
        },
        "cross_validation": {c: fitted[c].figures for c in categories},
        "cross_validation_by_writer": by_writer,
    }
    report = {
        "cross_validation": model.metadata["cross_validation"],
        "thresholds": thresholds,
        "out_of_fold": {c: (all_rows[c], fitted[c].scores) for c in categories},
    }
    return Trained(model, report)


def writer_figures(
    items: Sequence[Item], rows: Rows, rules: np.ndarray, fitted: Fitted
) -> dict[str, Any]:
    """Out-of-fold figures of each council source's rows at the chosen threshold: a writer's
    comments scored by models that never saw that writer."""
    sources = np.array([items[position].source for position in rows.index])
    groups = {
        str(source): (
            fitted.scores[sources == source],
            rules[sources == source],
            rows.label[sources == source],
        )
        for source in sorted(set(sources.tolist()))
        if is_council(str(source))
    }
    return group_figures(groups, fitted.threshold)[0]


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
    """Every source's train rows, and the rules' verdicts on those that choose thresholds."""

    sources: list[str]
    train_items: list[Item]
    rules_found: dict[tuple[str, str], set[str]]

    def rules_flagged(self, item: Item) -> set[str]:
        return self.rules_found.get((item.source, item.uid), set())


def prepare(
    datasets: Path, exclude: Sequence[str] = (), log: Callable[[str], None] = print
) -> Prepared:
    """Load and split every available source but ``exclude``; run the rules (alone) over the
    training rows that choose thresholds, each source in its own order, as production would."""
    sources = [s for s in available_sources(datasets) if s not in exclude]
    prepared = Prepared(sources, [], {})
    by_source: dict[str, list[Item]] = {}
    for source in sources:
        items = load_source(source, datasets)
        train_part, validation_part = split(items)
        by_source[source] = items
        prepared.train_items.extend(train_part)
        log(f"{source}: {len(train_part):,} train ({len(validation_part):,} validation unread)")
    needed: dict[str, set[str]] = defaultdict(set)
    for position in threshold_rows(rows_by_category(prepared.train_items)):
        item = prepared.train_items[position]
        needed[item.source].add(item.uid)
    for source, uids in needed.items():
        matches = stream_matches(
            by_source[source],
            uids,
            spec_for=rules_only_spec,
            settings_by_org=settings_for_source(source),
        )
        texts = {item.uid: item.text for item in by_source[source] if item.uid in uids}
        for uid, found in matches.items():
            # Read as the shipped engine reports categories, so shipped is rules OR model.
            prepared.rules_found[(source, uid)] = rules_categories(found, texts[uid])
    log(f"rules run over {sum(map(len, needed.values())):,} training rows")
    return prepared


def run(
    datasets: Path,
    output: Path = MODEL_PATH,
    *,
    exclude: Sequence[str] = (),
    jobs: int = 1,
    search_c: bool = False,
    log: Callable[[str], None] = print,
) -> Trained:
    """Train from every available source (but ``exclude``) and write the model file: at the
    C of ``plan.C_BY_CATEGORY``, or with ``search_c`` choosing C by cross-validation."""
    prepared = prepare(datasets, exclude, log)
    trained = train(
        prepared.train_items,
        prepared.rules_flagged,
        c_grid=C_GRID if search_c else {c: (value,) for c, value in C_BY_CATEGORY.items()},
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
    the file's metadata): every input with its sha256, the thresholds and out-of-fold precision
    per category, and the training parameters."""
    path = output.with_suffix(".json")
    summary = {
        "model": output.name,
        "model_sha256": sha256_of(output),
        "data": model.metadata.get("training", {}).get("data", []),
        "thresholds": model.metadata.get("thresholds", {}),
        "out_of_fold_precision": model.metadata.get("out_of_fold_precision", {}),
        "training": {k: v for k, v in model.metadata.get("training", {}).items() if k != "data"},
    }
    path.write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
