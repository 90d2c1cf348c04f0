"""Precision, recall and F1 per category and per data set, on the VALIDATION splits.

    python -m bench.quality [--datasets ../shared/datasets] [--sample 1000] [--write-doc]
    python -m bench.quality --sealed PATH [--orgs PATH]

Predictors, all in one run on the same rows:

* **rules**: the default rule set with the learned stage off;
* **model**: the learned stage alone, at the thresholds in the model file;
* **shipped**: the default rule set as it ships (rules and the learned stage; a category is
  predicted when either flags it);
* **better-profanity** (``contains_profanity``, a seeded sample of each abuse set: it manages a
  few dozen comments a second) and **alt-profanity-check** (``predict``): abuse baselines;
* **shipped + alt-profanity-check**: abuse also when alt-profanity-check says so, to measure
  whether it would help as one more signal.

Splits are ``rules.training.splits`` (seed 0). The council comments are fed in file order
through a repetition tracker with their organisation's settings; only validation rows are
scored. ``council_dev`` (bench/data/council_cases.jsonl) was the rules' development set: its
figures are optimistic for the rules. The public abuse and spam sets have a second row
(``UNIONS``): abuse as any abuse, hate or harassment flag (they do not separate them as the
policy does), spam as spam or a malicious link (they label lures spam; the engine flags a lure
malicious_link and not spam as well, as the council labels have it).

``--sealed PATH`` scores one labelled JSON Lines file (the council files' format) with the
shipped configuration, in file order, and prints the per-category table; organisation settings
come from ``--orgs`` or ``PATH``'s ``.orgs.json`` sibling when there is one.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.baselines import alt_profanity_check, better_profanity
from bench.functional_hate import table as functional_hate_table
from rules.engine import default_ruleset_spec
from rules.engine.detectors.hate import GROUPS
from rules.engine.types import Match
from rules.training.corpora import COUNCIL_WRITERS as WRITER_KEYS
from rules.training.corpora import (
    DEFAULT_DATASETS,
    available_sources,
    council_items,
    engine_settings,
    load_source,
)
from rules.training.evaluate import Score, settings_for_source, stream_matches
from rules.training.items import Item
from rules.training.plan import LEARNED_CATEGORIES
from rules.training.splits import split

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "quality.md"
ABUSIVE = frozenset({"abuse", "hate", "harassment"})
ABUSE_SETS = ("davidson", "olid", "toxic_spans", "hatexplain")
LURES = frozenset({"spam", "malicious_link"})
COUNCIL_WRITERS = tuple(f"council_{writer}" for writer in WRITER_KEYS)
# The writers this round added, left out of the table comparable with the round before.
NEW_WRITERS = ("p", "q", "r")
# Categories the council files label that the report covers (impersonation and the rare
# review-only ones are the rules' alone).
COUNCIL_CATEGORIES = (*LEARNED_CATEGORIES, "impersonation")


@dataclass
class Predicted:
    """What each predictor flagged on one item."""

    rules: set[str]
    model: set[str]

    @property
    def shipped(self) -> set[str]:
        return self.rules | self.model


def split_matches(matches: Iterable[Match]) -> Predicted:
    rules: set[str] = set()
    model: set[str] = set()
    for match in matches:
        if match.signal:  # a campaign is in no category (rules.engine.types.categories_of)
            continue
        (model if match.detector == "model" else rules).add(match.category)
    return Predicted(rules, model)


def predict(
    items: Sequence[Item], wanted: set[str], settings_by_org: Mapping
) -> dict[str, Predicted]:
    found = stream_matches(
        items, wanted, spec_for=default_ruleset_spec, settings_by_org=settings_by_org
    )
    return {uid: split_matches(matches) for uid, matches in found.items()}


# --- tables ----------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _prf(score: Score) -> str:
    return f"{_pct(score.precision)} / {_pct(score.recall)} / {_pct(score.f1)}"


def tally(items: Sequence[Item], label: str, flagged: Sequence[bool]) -> Score:
    """``flagged[i]`` is the prediction for ``items[i]``; items that do not label it are
    skipped."""
    score = Score()
    for item, verdict in zip(items, flagged, strict=True):
        if label in item.labels:
            score.add(verdict, item.positive(label))
    return score


# A public set's second row: any of these categories catches its label (module docstring).
UNIONS = {"abuse": (ABUSIVE, "any abusive flag"), "spam": (LURES, "or malicious link")}
UNION_SETS = (*ABUSE_SETS, "youtube", "sms")


def found_by(
    items: Sequence[Item],
    predicted: Mapping[tuple[str, str], Predicted],
    kind: str,
    label: str,
    *,
    union: frozenset[str] | None = None,
) -> list[bool]:
    """Whether predictor ``kind`` (rules, model, shipped) flagged ``label`` (or, with
    ``union``, any of those categories) on each item."""
    verdicts = []
    for item in items:
        found: set[str] = getattr(predicted[(item.source, item.uid)], kind)
        verdicts.append(bool(found & union) if union else label in found)
    return verdicts


def council_table(
    title: str, items: Sequence[Item], predicted: Mapping[tuple[str, str], Predicted]
) -> list[str]:
    lines = [
        f"**{title}** ({len(items):,} comments). Precision / recall / F1, %.",
        "",
        "| category | positives | rules | model | shipped |",
        "| --- | --- | --- | --- | --- |",
    ]
    overall = {"rules": Score(), "model": Score(), "shipped": Score()}
    for category in COUNCIL_CATEGORIES:
        scores = {
            name: tally(items, category, found_by(items, predicted, name, category))
            for name in ("rules", "model", "shipped")
        }
        if not scores["rules"].positives:
            continue
        lines.append(
            f"| {category} | {scores['rules'].positives} | {_prf(scores['rules'])} | "
            f"{_prf(scores['model'])} | {_prf(scores['shipped'])} |"
        )
        for name, score in scores.items():
            overall[name].tp += score.tp
            overall[name].fp += score.fp
            overall[name].fn += score.fn
            overall[name].tn += score.tn
    lines.append(
        f"| all of the above (micro) | {overall['rules'].positives} | {_prf(overall['rules'])} | "
        f"{_prf(overall['model'])} | {_prf(overall['shipped'])} |"
    )
    return [*lines, ""]


PUBLIC_ROWS: tuple[tuple[str, str, str], ...] = (
    ("davidson", "abuse", "Davidson et al. 2017 (US tweets)"),
    ("olid", "abuse", "OLID 2019 (offensive tweets)"),
    ("toxic_spans", "abuse", "Toxic Spans (civil comments)"),
    ("hatexplain", "abuse", "HateXplain (offensive or hate)"),
    ("hatexplain", "hate", "HateXplain"),
    ("hateval", "hate", "HatEval 2019"),
    ("stormfront", "hate", "Stormfront sentences"),
    ("fox_news", "hate", "Fox News comments"),
    ("davidson", "hate", "Davidson et al. 2017"),
    ("toxic_spans", "hate", "Toxic Spans (identity attack)"),
    ("toxic_spans", "harassment", "Toxic Spans (threat)"),
    ("ucc", "harassment", "Unhealthy Comments (hostile; not the policy's harassment)"),
    ("youtube", "spam", "YouTube Spam Collection"),
    ("sms", "spam", "SMS Spam Collection"),
    ("smishing", "malicious_link", "SMS phishing with a link"),
    ("phishing_urls", "malicious_link", "Phishing URLs (URL alone)"),
    ("presidio", "personal_data", "presidio synthetic"),
    ("uk_pii", "personal_data", "UK personal-data values in a sentence (recall)"),
    ("mp_tweets", "political", "UK MPs' tweets (recall)"),
    ("complaints", "complaint", "complaint tweets (grumbles; not the policy's complaint)"),
    ("foi_titles", "foi_request", "FOI request titles (recall)"),
    ("suicidal_intention", "self_harm", "suicidal intention tweets"),
    ("suicide_ideation", "self_harm", "suicide ideation tweets"),
    ("cssrs", "self_harm", "Reddit C-SSRS users"),
)


def public_table(
    validation: Mapping[str, Sequence[Item]],
    predicted: Mapping[tuple[str, str], Predicted],
    baselines: Mapping[str, Mapping[str, dict[str, bool]]],
) -> list[str]:
    lines = [
        "| data (validation) | label | positives / rows | rules | model | shipped | "
        "better-profanity¹ | alt-profanity-check | shipped + alt-profanity-check |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for source, label, title in PUBLIC_ROWS:
        items = [item for item in validation.get(source, ()) if label in item.labels]
        if not items:
            continue
        union = UNIONS.get(label) if source in UNION_SETS else None  # alone, then the union
        for each in (None, union) if union else (None,):
            lines.append(_public_row(items, predicted, baselines, source, label, title, union=each))
    note = "¹ better-profanity on a seeded sample of each abuse set's validation rows (it is slow)."
    return [*lines, "", note, ""]


_GROUP_MENTION = re.compile(r"\b(?:" + GROUPS + r")\b", re.IGNORECASE)


def group_mention_table(
    validation: Mapping[str, Sequence[Item]], predicted: Mapping[tuple[str, str], Predicted]
) -> list[str]:
    """False alarms of hate on validation comments labelled not hateful that name a protected
    group (counter-speech, neutral and positive mentions, policy debate): what a functional
    test's non-hateful traps probe."""
    lines = [
        "Hate false alarms on validation comments labelled not hateful that name a protected "
        "group (a group word from the hate detector's list):",
        "",
        "| data | such comments | rules | model | shipped |",
        "| --- | --- | --- | --- | --- |",
    ]
    groups: dict[str, list[Item]] = defaultdict(list)
    for source, items in validation.items():
        name = "council comments (all)" if source.startswith("council_") else source
        for item in items:
            if item.labels.get("hate") is False and _GROUP_MENTION.search(item.text):
                groups[name].append(item)
    for name, items in sorted(groups.items()):
        rates = []
        for kind in ("rules", "model", "shipped"):
            alarms = sum("hate" in getattr(predicted[(i.source, i.uid)], kind) for i in items)
            rates.append(f"{100 * alarms / len(items):.1f} %")
        lines.append(f"| {name} | {len(items):,} | {' | '.join(rates)} |")
    return [*lines, ""]


ORDINARY_COMMENTS: tuple[tuple[str, str], ...] = (
    ("ucc", "Unhealthy Comments: healthy news comments (evaluation only)"),
    ("toxic_spans_rest", "Toxic Spans comments with their abusive spans cut out"),
)


def ordinary_comment_table(
    validation: Mapping[str, Sequence[Item]], predicted: Mapping[tuple[str, str], Predicted]
) -> list[str]:
    """False alarms on ordinary argumentative comments, the kind talk pages and news sites
    are full of: the share flagged abuse, and flagged with any abusive category."""
    lines = [
        "False alarms on ordinary comments (validation): share flagged as abuse, and as any of "
        "abuse, hate or harassment:",
        "",
        "| data | comments | abuse: rules | model | shipped | any abusive flag: shipped |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for source, title in ORDINARY_COMMENTS:
        items = [
            item
            for item in validation.get(source, ())
            if item.extra.get("healthy", item.labels.get("abuse") is False)
        ]
        if not items:
            continue
        found = [predicted[(item.source, item.uid)] for item in items]
        rates = [
            sum("abuse" in getattr(each, kind) for each in found) for kind in ("rules", "model")
        ]
        rates.append(sum("abuse" in each.shipped for each in found))
        rates.append(sum(bool(ABUSIVE & each.shipped) for each in found))
        cells = " | ".join(f"{100 * rate / len(items):.1f} %" for rate in rates)
        lines.append(f"| {title} | {len(items):,} | {cells} |")
    return [*lines, ""]


def _public_row(
    items: Sequence[Item],
    predicted: Mapping[tuple[str, str], Predicted],
    baselines: Mapping[str, Mapping[str, dict[str, bool]]],
    source: str,
    label: str,
    title: str,
    *,
    union: tuple[frozenset[str], str] | None,
) -> str:
    verdicts = {
        kind: found_by(items, predicted, kind, label, union=union and union[0])
        for kind in ("rules", "model", "shipped")
    }
    scores = [tally(items, label, verdicts[kind]) for kind in ("rules", "model", "shipped")]
    extra = ["", "", ""]
    if label == "abuse":
        bp = baselines["better_profanity"].get(source, {})
        apc = [baselines["alt_profanity_check"][source][item.uid] for item in items]
        sampled = [item for item in items if item.uid in bp]
        extra[0] = _prf(tally(sampled, label, [bp[item.uid] for item in sampled]))
        extra[1] = _prf(tally(items, label, apc))
        either = [a or b for a, b in zip(verdicts["shipped"], apc, strict=True)]
        extra[2] = _prf(tally(items, label, either))
    return (
        f"| {title} | {label}{f' ({union[1]})' if union else ''} | "
        f"{scores[0].positives:,} / {scores[0].total:,} | "
        + " | ".join(_prf(score) for score in scores)
        + " | "
        + " | ".join(extra)
        + " |"
    )


def uk_pii_table(
    items: Sequence[Item], predicted: Mapping[tuple[str, str], Predicted]
) -> list[str]:
    groups: dict[tuple[str, str], dict[str, Score]] = defaultdict(
        lambda: {"rules": Score(), "shipped": Score()}
    )
    for item in items:
        key = (item.extra["field"], item.extra["quality"])
        found = predicted[(item.source, item.uid)]
        groups[key]["rules"].add("personal_data" in found.rules, True)
        groups[key]["shipped"].add("personal_data" in found.shipped, True)
    lines = [
        "UK personal-data values in a sentence (validation), recall % rules / shipped:",
        "",
        "| field | clean | corrupted |",
        "| --- | --- | --- |",
    ]
    for field_name in sorted({key[0] for key in groups}):
        cells = []
        for quality in ("clean", "dirty"):
            got = groups.get((field_name, quality))
            cells.append(
                f"{_pct(got['rules'].recall)} / {_pct(got['shipped'].recall)}" if got else "–"
            )
        lines.append(f"| {field_name} | {cells[0]} | {cells[1]} |")
    return [*lines, ""]


# --- the run ---------------------------------------------------------------------------------


def run(datasets: Path, sample: int, seed: int) -> str:
    started = time.perf_counter()
    validation: dict[str, list[Item]] = {}
    predicted: dict[tuple[str, str], Predicted] = {}
    for source in available_sources(datasets):
        items = load_source(source, datasets)
        _, held = split(items)
        validation[source] = held
        found = predict(items, {item.uid for item in held}, settings_for_source(source))
        predicted.update({(source, uid): value for uid, value in found.items()})
    rng = random.Random(seed)
    baselines: dict[str, dict[str, dict[str, bool]]] = {
        "better_profanity": {},
        "alt_profanity_check": {},
    }
    for source in ABUSE_SETS:
        items = validation.get(source, [])
        picked = rng.sample(items, min(sample, len(items)))
        verdicts = better_profanity([item.text for item in picked])
        baselines["better_profanity"][source] = {
            item.uid: verdict for item, verdict in zip(picked, verdicts, strict=True)
        }
        apc = alt_profanity_check([item.text for item in items])
        baselines["alt_profanity_check"][source] = {
            item.uid: verdict for item, verdict in zip(items, apc, strict=True)
        }
    writers = [item for source in COUNCIL_WRITERS for item in validation.get(source, [])]
    lines = []
    if writers:
        lines += council_table(
            f"Council comments by {len(COUNCIL_WRITERS)} writers, validation split",
            writers,
            predicted,
        )
        # The same writers but this round's new ones: comparable with the round before.
        new = {f"council_{writer}" for writer in NEW_WRITERS}
        earlier = [item for item in writers if item.source not in new]
        title = (
            f"The same but this round's new writers {', '.join(NEW_WRITERS)} "
            f"({len(COUNCIL_WRITERS) - len(new)} writers)"
        )
        lines += council_table(title, earlier, predicted)
    if validation.get("council_dev"):
        lines += council_table(
            "Council cases (council_dev: the rules' development set, optimistic for the rules), "
            "validation split",
            validation["council_dev"],
            predicted,
        )
    council_abuse = writers + validation.get("council_dev", [])
    if council_abuse:
        apc = alt_profanity_check([item.text for item in council_abuse])
        shipped = Score()
        with_apc = Score()
        for item, verdict in zip(council_abuse, apc, strict=True):
            flagged = "abuse" in predicted[(item.source, item.uid)].shipped
            shipped.add(flagged, item.positive("abuse"))
            with_apc.add(flagged or verdict, item.positive("abuse"))
        lines.append(
            f"Council abuse (all council validation rows): shipped {_prf(shipped)}; "
            f"shipped + alt-profanity-check {_prf(with_apc)}."
        )
        lines.append("")
    lines += public_table(validation, predicted, baselines)
    lines += ordinary_comment_table(validation, predicted)
    lines += group_mention_table(validation, predicted)
    lines += functional_hate_table()
    if validation.get("uk_pii"):
        lines += uk_pii_table(validation["uk_pii"], predicted)
    lines.append(f"_Run time {time.perf_counter() - started:.0f} s._")
    return "\n".join(lines)


def run_sealed(path: Path, orgs: Path | None) -> str:
    """The shipped configuration on one labelled file, every row scored, in file order."""
    items = council_items(path, "sealed", harmonise=False)
    orgs_path = orgs or path.with_suffix(".orgs.json")
    settings: dict[str, dict[str, Any]] = {}
    if orgs_path.exists():
        settings = {
            org["org"]: engine_settings(org) for org in json.loads(orgs_path.read_text("utf-8"))
        }
    found = predict(items, {item.uid for item in items}, settings)
    predicted = {(item.source, item.uid): found[item.uid] for item in items}
    lines = council_table(f"Sealed set {path.name}", items, predicted)
    lines.append("Bars: F1 ≥ 80 with precision ≥ 85 in every council category (shipped column).")
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--sample", type=int, default=1_000, help="better-profanity sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write-doc", action="store_true", help="update docs/quality.md")
    parser.add_argument("--sealed", type=Path, help="score one labelled JSON Lines file")
    parser.add_argument("--orgs", type=Path, help="organisation settings for --sealed")
    args = parser.parse_args(argv)
    if args.sealed:
        print(run_sealed(args.sealed, args.orgs))
        return
    text = run(args.datasets, args.sample, args.seed)
    print(text)
    if args.write_doc:
        write_doc(text)
        print(f"\nwrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
