"""Precision, recall and F1 of the default rule set per category, on labelled data.

Data: the public sets in ``../shared/datasets`` (see its README for what each label means) and,
when present, the hand-labelled council cases ``bench/data/council_cases.jsonl``. The baseline
row for abuse is better-profanity's ``contains_profanity``, on a seeded sample (it manages a few
dozen comments a second); the engine is scored on the same sample and on the whole set.

    python -m bench.quality [--datasets ../shared/datasets] [--write-doc]

Label mappings (the README's "maps onto" column):

* Davidson et al.: ``abuse`` = offensive or hate (class 1 or 0); ``hate`` = class 0.
* OLID: ``abuse`` = OFF; ``harassment`` = OFF, targeted at an individual (TIN + IND).
* Toxic Spans: a type counts when at least half a comment's annotators marked it; ``abuse`` =
  insult or profane/obscene, ``harassment`` = threat, ``hate`` = identity-based attack; spans are
  scored per character against characters at least half the annotators marked.
* Unhealthy Comments: ``harassment`` = hostile or antagonising.
* YouTube Spam Collection: ``spam`` = CLASS 1, fed per video in time order with a repetition
  tracker; SMS Spam Collection: ``spam``, one message at a time.
* presidio synthetic: ``personal_data`` = a phone number, email address, card number, IBAN or
  street address; texts whose only personal data is US-specific (SSN, driving licence, ZIP code)
  are left out.
* UK personal-data values: each value in a sentence ("my phone number is …"), recall only.
* UK MPs' tweets: ``political``, recall only (every tweet is by an MP; some are not political).

A prediction for ``abuse`` on the abuse sets is any abuse, hate or harassment match ("abusive"),
since the sets do not separate them the way the policy does; the strict category is shown too.
The rules were written from the policies, not fitted to these sets; other, separate test splits
are used to judge the project.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rules.engine import Context, RepetitionTracker, compile_ruleset, default_ruleset_spec
from rules.engine.compiler import CompiledRuleSet

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
COUNCIL_CASES = ROOT / "bench" / "data" / "council_cases.jsonl"
COUNCIL_README = ROOT / "bench" / "data" / "README.md"
DOC = ROOT / "docs" / "quality.md"
ABUSIVE = frozenset({"abuse", "hate", "harassment"})
PII_TYPES = frozenset(
    {"PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "STREET_ADDRESS"}
)
US_ONLY_TYPES = frozenset({"US_SSN", "US_DRIVER_LICENSE", "ZIP_CODE"})
csv.field_size_limit(sys.maxsize)


@dataclass
class Score:
    """Counts of a binary prediction against labels."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass
class Row:
    """One line of a results table."""

    dataset: str
    label: str
    predictor: str
    score: Score
    note: str = ""


@dataclass
class Example:
    """A labelled text."""

    text: str
    labels: frozenset[str]
    author: str = ""
    group: str = ""
    gold_spans: list[tuple[int, int]] = field(default_factory=list)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _categories(compiled: CompiledRuleSet, text: str, context: Context | None = None) -> set[str]:
    return {match.category for match in compiled.evaluate(text, context)}


def _bp_verdict(text: str) -> bool:
    from better_profanity import profanity

    return bool(profanity.contains_profanity(text))


def _bp_verdicts(texts: Sequence[str]) -> list[bool]:
    with multiprocessing.Pool() as pool:
        return pool.map(_bp_verdict, texts, chunksize=25)


# --- loaders ---------------------------------------------------------------------------------


def load_davidson(root: Path) -> list[Example]:
    examples = []
    with open(root / "abuse/davidson2017_labeled_data.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            labels = {"abuse"} if row["class"] in ("0", "1") else set()
            if row["class"] == "0":
                labels.add("hate")
            examples.append(Example(row["tweet"], frozenset(labels)))
    return examples


def load_olid(root: Path) -> list[Example]:
    examples = []
    with open(root / "abuse/olid/olid-training-v1.0.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            labels = set()
            if row["subtask_a"] == "OFF":
                labels.add("abuse")
                if row["subtask_b"] == "TIN" and row["subtask_c"] == "IND":
                    labels.add("harassment")
            examples.append(Example(row["tweet"], frozenset(labels)))
    return examples


def load_toxic_spans(root: Path) -> list[Example]:
    kinds = {
        "Insult": "abuse",
        "Profane/Obscene": "abuse",
        "Threat": "harassment",
        "Identity based Attack": "hate",
    }
    examples = []
    path = root / "abuse/toxic_spans/toxic_spans_per_comment.csv"
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            annotators = max(1, int(row["n_annotations"]))
            labels = set()
            for column, label in (
                ("n_annot_insult", "abuse"),
                ("n_annot_profane_obscene", "abuse"),
                ("n_annot_threat", "harassment"),
                ("n_annot_identity_attack", "hate"),
            ):
                if 2 * int(row[column]) >= annotators:
                    labels.add(label)
            marked_by: dict[int, set[str]] = {}
            for worker, kind, start, end in json.loads(row["spans_json"] or "[]"):
                if kind in kinds:
                    for position in range(int(start), int(end)):
                        marked_by.setdefault(position, set()).add(str(worker))
            chars = sorted(p for p, workers in marked_by.items() if 2 * len(workers) >= annotators)
            examples.append(
                Example(row["comment_text"], frozenset(labels), gold_spans=_runs(chars))
            )
    return examples


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for position in positions:
        if spans and spans[-1][1] == position:
            spans[-1] = (spans[-1][0], position + 1)
        else:
            spans.append((position, position + 1))
    return spans


def load_ucc(root: Path) -> list[Example]:
    examples = []
    with open(root / "abuse/ucc_unhealthy_comments_val.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hostile = row["hostile"] == "1" or row["antagonize"] == "1"
            examples.append(Example(row["comment"], frozenset({"harassment"} if hostile else ())))
    return examples


def load_youtube(root: Path) -> list[Example]:
    examples = []
    for path in sorted((root / "spam/youtube_spam_collection").glob("*.csv")):
        with open(path, encoding="utf-8") as handle:
            rows = sorted(csv.DictReader(handle), key=lambda row: row["DATE"] or "")
        for row in rows:
            labels = frozenset({"spam"} if row["CLASS"] == "1" else ())
            examples.append(Example(row["CONTENT"], labels, row["AUTHOR"], path.stem))
    return examples


def load_sms(root: Path) -> list[Example]:
    examples = []
    with open(root / "spam/sms_spam_collection_dev.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            examples.append(
                Example(row["SMS"], frozenset({"spam"} if row["Label"] == "spam" else ()))
            )
    return examples


def load_presidio(root: Path) -> list[Example]:
    examples = []
    for item in json.loads((root / "pii/presidio_synth_dataset_v2.json").read_text("utf-8")):
        types = {span["entity_type"] for span in item["spans"]}
        if types & US_ONLY_TYPES and not types & PII_TYPES:
            continue
        labels = frozenset({"personal_data"} if types & PII_TYPES else ())
        examples.append(Example(item["full_text"], labels))
    return examples


UK_PII_FIELDS = {
    "email": "my email address is {}",
    "address": "I live at {}",
    "mobile_phone": "my mobile number is {}",
    "national_insurance": "my national insurance number is {}",
    "pan_number": "my card number is {}",
    "iban": "my IBAN is {}",
}


def load_uk_pii(root: Path) -> list[Example]:
    examples = []
    with open(root / "pii/uk_pii_values_clean_dirty.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column, template in UK_PII_FIELDS.items():
                text = template.format(row[column])
                examples.append(
                    Example(
                        text, frozenset({"personal_data"}), group=f"{column}/{row['data_quality']}"
                    )
                )
            text = f"sort code {row['sort_code']} account {row['account_number']}"
            examples.append(
                Example(text, frozenset({"personal_data"}), group=f"bank/{row['data_quality']}")
            )
    return examples


def load_political(root: Path) -> list[Example]:
    with open(root / "political/sentimp21_uk_mp_tweets.csv", encoding="utf-8") as handle:
        return [
            Example(row["full_text"], frozenset({"political"})) for row in csv.DictReader(handle)
        ]


def load_council_cases() -> tuple[list[Example], dict[str, Any]]:
    examples = []
    for line in COUNCIL_CASES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            examples.append(
                Example(item["text"], frozenset(item["categories"]), item.get("author", ""))
            )
    settings: dict[str, Any] = {}
    if COUNCIL_README.exists():
        for block in re.finditer(r"```json\n(.*?)```", COUNCIL_README.read_text("utf-8"), re.S):
            organisation = json.loads(block.group(1))
            if isinstance(organisation, dict) and "handles" in organisation:
                contacts = organisation.get("own_contacts", {})
                settings = {
                    "own_names": [organisation.get("name", ""), *organisation["handles"]],
                    "own_contacts": contacts,
                    "own_domains": list(contacts.get("domains", [])),
                    "staff_names": organisation.get("staff_names", []),
                    "candidates": organisation.get("candidates", []),
                }
                break
    return examples, settings


# --- scoring ---------------------------------------------------------------------------------


def predict_stream(compiled: CompiledRuleSet, examples: Sequence[Example]) -> list[set[str]]:
    """Categories per example, fed in order with a repetition tracker per group."""
    trackers: dict[str, RepetitionTracker] = {}
    predictions = []
    for example in examples:
        tracker = trackers.setdefault(example.group, RepetitionTracker())
        context = tracker.context_for(example.text, example.author)
        predictions.append(_categories(compiled, example.text, context))
        tracker.remember(example.text, example.author)
    return predictions


def score_rows(
    dataset: str,
    examples: Sequence[Example],
    predictions: Sequence[set[str]],
    labels: Iterable[str],
    *,
    abusive_union: bool = False,
    predictor: str = "rules",
) -> list[Row]:
    rows = []
    for label in labels:
        strict = Score()
        union = Score()
        for example, predicted in zip(examples, predictions, strict=True):
            actual = label in example.labels
            strict.add(label in predicted, actual)
            union.add(bool(predicted & ABUSIVE), actual)
        if abusive_union and label in ABUSIVE:
            rows.append(Row(dataset, label, f"{predictor}: abuse, hate or harassment", union))
        rows.append(Row(dataset, label, f"{predictor}: {label} rules", strict))
    return rows


def span_f1(examples: Sequence[Example], compiled: CompiledRuleSet) -> float:
    """Mean per-comment character F1 of abusive spans (SemEval-2021 Toxic Spans' measure)."""
    total = 0.0
    for example in examples:
        gold = {p for start, end in example.gold_spans for p in range(start, end)}
        predicted = {
            p
            for match in compiled.evaluate(example.text)
            if match.category in ABUSIVE
            for start, end in match.spans
            for p in range(start, end)
        }
        if not gold and not predicted:
            total += 1.0
        elif gold and predicted:
            shared = len(gold & predicted)
            total += 2 * shared / (len(gold) + len(predicted))
    return total / len(examples) if examples else 0.0


def run(datasets: Path, sample: int, seed: int) -> tuple[list[Row], dict[str, Any]]:
    """Score every data set that is present; return the rows and extra figures."""
    rng = random.Random(seed)
    rows: list[Row] = []
    extra: dict[str, Any] = {}
    started = time.perf_counter()

    if COUNCIL_CASES.exists():
        cases, settings = load_council_cases()
        compiled = compile_ruleset(default_ruleset_spec(settings))
        predictions = predict_stream(compiled, cases)
        present = sorted(
            {label for case in cases for label in case.labels} | {c for p in predictions for c in p}
        )
        rows += score_rows("council cases", cases, predictions, present)
        any_score = Score()
        for case, predicted in zip(cases, predictions, strict=True):
            any_score.add(bool(predicted), bool(case.labels))
        rows.append(Row("council cases", "any category", "rules: anything flagged", any_score))
        verdicts = _bp_verdicts([case.text for case in cases])
        baseline = Score()
        for case, verdict in zip(cases, verdicts, strict=True):
            baseline.add(verdict, "abuse" in case.labels)
        rows.append(Row("council cases", "abuse", "better-profanity", baseline))
        extra["council_errors"] = _errors(cases, predictions)

    compiled = compile_ruleset(default_ruleset_spec())
    for name, loader, labels in (
        ("Davidson et al. 2017", load_davidson, ("abuse", "hate")),
        ("OLID 2019 (training)", load_olid, ("abuse", "harassment")),
        ("Toxic Spans", load_toxic_spans, ("abuse", "harassment", "hate")),
        ("Unhealthy Comments (val)", load_ucc, ("harassment",)),
    ):
        examples = loader(datasets)
        predictions = [_categories(compiled, example.text) for example in examples]
        rows += score_rows(
            f"{name}, all {len(examples):,}", examples, predictions, labels, abusive_union=True
        )
        picked = rng.sample(range(len(examples)), min(sample, len(examples)))
        subset = [examples[i] for i in picked]
        verdicts = _bp_verdicts([example.text for example in subset])
        for label in labels:
            if label not in ("abuse", "hate", "harassment"):
                continue
            ours, theirs = Score(), Score()
            for index, verdict in zip(picked, verdicts, strict=True):
                actual = label in examples[index].labels
                ours.add(bool(predictions[index] & ABUSIVE), actual)
                theirs.add(verdict, actual)
            sample_name = f"{name}, sample {len(subset):,}"
            rows.append(Row(sample_name, label, "rules: abuse, hate or harassment", ours))
            rows.append(Row(sample_name, label, "better-profanity", theirs))
        if name == "Toxic Spans":
            extra["span_f1"] = span_f1(examples, compiled)

    youtube = load_youtube(datasets)
    rows += score_rows(
        f"YouTube Spam Collection, {len(youtube):,}",
        youtube,
        predict_stream(compiled, youtube),
        ("spam",),
    )
    sms = load_sms(datasets)
    rows += score_rows(
        f"SMS Spam Collection (dev), {len(sms):,}",
        sms,
        [_categories(compiled, e.text) for e in sms],
        ("spam",),
    )
    presidio = load_presidio(datasets)
    rows += score_rows(
        f"presidio synthetic, {len(presidio):,}",
        presidio,
        [_categories(compiled, e.text) for e in presidio],
        ("personal_data",),
    )
    uk = load_uk_pii(datasets)
    by_group: dict[str, Score] = {}
    for example in uk:
        by_group.setdefault(example.group, Score()).add(
            "personal_data" in _categories(compiled, example.text), True
        )
    extra["uk_pii"] = by_group
    political = load_political(datasets)
    rows += score_rows(
        f"UK MPs' tweets, {len(political):,}",
        political,
        [_categories(compiled, e.text) for e in political],
        ("political",),
    )
    extra["seconds"] = time.perf_counter() - started
    return rows, extra


def _errors(
    cases: Sequence[Example], predictions: Sequence[set[str]]
) -> dict[str, tuple[int, int]]:
    misses: Counter[str] = Counter()
    false_alarms: Counter[str] = Counter()
    for case, predicted in zip(cases, predictions, strict=True):
        for label in case.labels - predicted:
            misses[label] += 1
        for label in predicted - case.labels:
            false_alarms[label] += 1
    labels = set(misses) | set(false_alarms)
    return {label: (misses[label], false_alarms[label]) for label in sorted(labels)}


# --- report ----------------------------------------------------------------------------------


def report(rows: Sequence[Row], extra: dict[str, Any]) -> str:
    lines = [
        "| data | label | predictor | positives / total | precision | recall | F1 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        s = row.score
        lines.append(
            f"| {row.dataset} | {row.label} | {row.predictor} | {s.positives:,} / {s.total:,} | "
            f"{_percent(s.precision)} | {_percent(s.recall)} | {_percent(s.f1)} |"
        )
    lines.append("")
    if "span_f1" in extra:
        lines.append(
            f"Toxic Spans, abusive spans against characters at least half the annotators marked: "
            f"mean per-comment character F1 {100 * extra['span_f1']:.1f}."
        )
        lines.append("")
    if "uk_pii" in extra:
        lines.append("UK personal-data values in a sentence, recall by field (clean / corrupted):")
        lines.append("")
        lines.append("| field | clean | corrupted |")
        lines.append("| --- | --- | --- |")
        groups: dict[str, Score] = extra["uk_pii"]
        for field_name in sorted({group.split("/")[0] for group in groups}):
            clean = groups.get(f"{field_name}/clean", Score())
            dirty = groups.get(f"{field_name}/dirty", Score())
            lines.append(f"| {field_name} | {_percent(clean.recall)} | {_percent(dirty.recall)} |")
        lines.append("")
    if "council_errors" in extra:
        lines.append(
            "Council cases, misses / false alarms by category: "
            + ", ".join(
                f"{label} {miss}/{alarm}"
                for label, (miss, alarm) in extra["council_errors"].items()
            )
            + "."
        )
        lines.append("")
    lines.append(f"_Run time {extra.get('seconds', 0):.0f} s._")
    return "\n".join(lines)


START, END = "<!-- quality:start -->", "<!-- quality:end -->"


def write_doc(text: str) -> None:
    """Replace the figures section of docs/quality.md (between its markers)."""
    content = DOC.read_text(encoding="utf-8") if DOC.exists() else f"{START}\n{END}\n"
    if START not in content:
        content += f"\n{START}\n{END}\n"
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    stamp = time.strftime("%Y-%m-%d")
    section = f"{START}\n_Measured {stamp} by `python -m bench.quality`._\n\n{text}\n"
    DOC.write_text(f"{before}{section}{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Score the rule set and print (and optionally write) the report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--sample", type=int, default=1_000, help="better-profanity sample size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write-doc", action="store_true", help="update docs/quality.md")
    args = parser.parse_args(argv)
    rows, extra = run(args.datasets, args.sample, args.seed)
    text = report(rows, extra)
    print(text)
    if args.write_doc:
        write_doc(text)
        print(f"\nwrote {DOC}")


if __name__ == "__main__":
    main()
