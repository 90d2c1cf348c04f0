"""Measures the personal-data detector: recall on UK values, precision/recall on presidio, speed.

Run from the repository root: ``.venv/bin/python bench/pii_quality.py`` (``--show-misses`` prints
what was missed, ``--show-ordinary-hits`` what fired on ordinary comments). It reads the labelled
sets in ``/work/shared/datasets`` (or ``$SMPOLICY_DATASETS``) and prints the figures quoted in
``docs/personal-data.md``. Nothing here tunes the detector; it only counts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rules.engine.detectors.personal_data import (
    PersonalDataHit,
    find_personal_data,
)
from rules.engine.detectors.uk_formats import is_valid_iban, passes_luhn

DATASETS = Path(os.environ.get("SMPOLICY_DATASETS", "/work/shared/datasets"))

# Columns of the UK values file, the kind each should be found as, and how a value is put in a
# sentence when its format needs words around it (a bare sort code or 8-digit account number is
# deliberately not enough).
UK_COLUMNS: dict[str, tuple[str, Callable[[dict[str, str]], str] | None]] = {
    "email": ("email", None),
    "mobile_phone": ("phone", None),
    "national_insurance": ("ni_number", None),
    "pan_number": ("payment_card", None),
    "iban": ("iban", None),
    "address": ("address", None),
    "sort_code": ("bank_account", lambda row: f"sort code {row['sort_code']}"),
    "account_number": (
        "bank_account",
        lambda row: f"sort code {row['sort_code']} account {row['account_number']}",
    ),
}
PRESIDIO_TYPES = {
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban",
    "STREET_ADDRESS": "address",
}


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "  n/a"


def uk_values(show_misses: bool) -> None:
    rows = list(csv.DictReader((DATASETS / "pii/uk_pii_values_clean_dirty.csv").open()))
    print(f"\n== UK values ({len(rows)} rows): recall per kind, value on its own ==")
    found: dict[tuple[str, str], int] = Counter()
    total: dict[tuple[str, str], int] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        quality = row["data_quality"]
        for column, (kind, carrier) in UK_COLUMNS.items():
            text = carrier(row) if carrier else row[column]
            value = row[column]
            hits = find_personal_data(text)
            offset = text.find(value)
            ok = any(
                hit.kind == kind and hit.start < offset + len(value) and hit.end > offset
                for hit in hits
            )
            if column == "address":
                # The address value ends "..., UK"; finding its postcode alone counts separately.
                total[(column + " (address or postcode)", quality)] += 1
                found[(column + " (address or postcode)", quality)] += any(
                    hit.kind in ("address", "postcode") for hit in hits
                )
            if column in ("pan_number", "iban"):
                group = f"{column} ({'valid' if checksum_ok(column, value) else 'bad checksum'})"
                total[(group, quality)] += 1
                found[(group, quality)] += ok
            total[(column, quality)] += 1
            found[(column, quality)] += ok
            if not ok and show_misses:
                misses[column].append(f"{quality}: {text!r} -> {describe(text, hits)}")
    names = sorted({column for column, _ in total}, key=list_order)
    print(f"{'column':34} {'clean':>22} {'dirty':>22}")
    for name in names:
        clean = percent(found[(name, "clean")], total[(name, "clean")])
        dirty = percent(found[(name, "dirty")], total[(name, "dirty")])
        print(f"{name:34} {clean:>22} {dirty:>22}")
    false_hits = sum(bool(find_personal_data(row["full_name"])) for row in rows)
    print(f"names (full_name) with any hit: {percent(false_hits, len(rows))}")
    for column, lines in misses.items():
        print(f"\n-- missed {column} ({len(lines)}) --")
        print("\n".join(lines[:40]))


def checksum_ok(column: str, value: str) -> bool:
    """Whether a card passes Luhn, or an IBAN mod-97 (most values in the file fail)."""
    if column == "pan_number":
        return passes_luhn("".join(character for character in value if character.isdigit()))
    compact = re.sub(r"[^A-Za-z0-9]", "", value).upper().removeprefix("IBAN")
    return is_valid_iban(compact[:22])


def list_order(name: str) -> tuple[int, str]:
    order = list(UK_COLUMNS)
    base = name.split(" ")[0]
    return (order.index(base) if base in order else len(order), name)


def describe(text: str, hits: list[PersonalDataHit]) -> str:
    return str([(hit.kind, text[hit.start : hit.end]) for hit in hits])


def presidio(show_misses: bool) -> None:
    samples = json.loads((DATASETS / "pii/presidio_synth_dataset_v2.json").read_text())
    print(f"\n== presidio synthetic v2 ({len(samples)} sentences): span overlap ==")
    true_positive: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    gold_found: Counter[str] = Counter()
    gold_total: Counter[str] = Counter()
    other_kinds: Counter[str] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    false_alarms: dict[str, list[str]] = defaultdict(list)
    for sample in samples:
        text = sample["full_text"]
        gold = [
            (span["start_position"], span["end_position"], PRESIDIO_TYPES[span["entity_type"]])
            for span in sample["spans"]
            if span["entity_type"] in PRESIDIO_TYPES
        ]
        all_gold = [
            (s["start_position"], s["end_position"], s["entity_type"]) for s in sample["spans"]
        ]
        hits = find_personal_data(text)
        for hit in hits:
            if hit.kind not in PRESIDIO_TYPES.values():
                overlapped = [t for s, e, t in all_gold if s < hit.end and e > hit.start]
                other_kinds[f"{hit.kind} on {overlapped[0] if overlapped else 'nothing'}"] += 1
                continue
            predicted[hit.kind] += 1
            if any(k == hit.kind and s < hit.end and e > hit.start for s, e, k in gold):
                true_positive[hit.kind] += 1
            elif show_misses:
                false_alarms[hit.kind].append(f"{text[hit.start : hit.end]!r} in {text!r}")
        for start, end, kind in gold:
            gold_total[kind] += 1
            if any(hit.kind == kind and hit.start < end and hit.end > start for hit in hits):
                gold_found[kind] += 1
            elif show_misses:
                misses[kind].append(f"{text[start:end]!r}")
    print(f"{'kind':14} {'precision':>22} {'recall':>22}")
    for kind in PRESIDIO_TYPES.values():
        precision = percent(true_positive[kind], predicted[kind])
        recall = percent(gold_found[kind], gold_total[kind])
        print(f"{kind:14} {precision:>22} {recall:>22}")
    print("hits of other kinds (not scored):", dict(other_kinds.most_common()))
    for kind, lines in misses.items():
        print(f"\n-- missed {kind} ({len(lines)}) --")
        print("\n".join(lines[:60]))
    for kind, lines in false_alarms.items():
        print(f"\n-- false {kind} ({len(lines)}) --")
        print("\n".join(lines[:40]))


def ordinary_comments(limit: int) -> list[str]:
    """Real comments, taken in turn from tweets, news comments, MPs' tweets and YouTube comments."""
    sources: list[list[str]] = []
    with (DATASETS / "abuse/davidson2017_labeled_data.csv").open() as file:
        sources.append([row["tweet"] for row in csv.DictReader(file)])
    with (DATASETS / "abuse/olid/olid-training-v1.0.tsv").open() as file:
        sources.append([row["tweet"] for row in csv.DictReader(file, delimiter="\t")])
    with (DATASETS / "abuse/ucc_unhealthy_comments_val.csv").open() as file:
        sources.append([row["comment"] for row in csv.DictReader(file)])
    with (DATASETS / "political/sentimp21_uk_mp_tweets.csv").open() as file:
        sources.append([row["full_text"] for row in csv.DictReader(file)])
    youtube: list[str] = []
    for path in sorted((DATASETS / "spam/youtube_spam_collection").glob("*.csv")):
        with path.open() as file:
            youtube += [row["CONTENT"] for row in csv.DictReader(file) if row["CLASS"] == "0"]
    sources.append(youtube)
    texts: list[str] = []
    for index in range(max(len(source) for source in sources)):
        texts += [source[index] for source in sources if index < len(source)]
    return texts[:limit]


def with_personal_data(texts: list[str]) -> list[str]:
    """The same comments with a UK value (phone, email, address ...) added to every tenth."""
    rows = list(csv.DictReader((DATASETS / "pii/uk_pii_values_clean_dirty.csv").open()))
    columns = ["mobile_phone", "email", "address", "national_insurance", "iban"]
    seeded = list(texts)
    for index in range(0, len(seeded), 10):
        row = rows[(index // 10) % len(rows)]
        seeded[index] += f" contact {row[columns[(index // 10) % len(columns)]]} thanks"
    return seeded


def speed(limit: int, show_hits: bool) -> None:
    texts = ordinary_comments(limit)
    plain = [text for text in texts if not any(c.isdigit() or c == "@" for c in text)]
    seeded = with_personal_data(texts)
    print(f"\n== speed: {len(texts)} ordinary comments ({len(plain)} without digits or @) ==")
    for label, corpus in (("all", texts), ("no digits/@", plain), ("1 in 10 + PII", seeded)):
        for _ in range(2):  # the first pass warms caches; report the second
            started = time.perf_counter()
            hits = [find_personal_data(text) for text in corpus]
            elapsed = time.perf_counter() - started
        count = sum(len(found) for found in hits)
        print(
            f"{label:12} {1e6 * elapsed / len(corpus):7.1f} µs/comment, "
            f"{len(corpus) / elapsed:9.0f} comments/s, {count} hits "
            f"({count / elapsed:7.0f} hits/s) in {sum(bool(h) for h in hits)} comments"
        )
    if show_hits:
        by_kind: Counter[str] = Counter()
        for text in texts:
            for hit in find_personal_data(text):
                by_kind[hit.kind] += 1
                print(f"  {hit.kind}: {text[hit.start : hit.end]!r}  <- {text[:140]!r}")
        print(dict(by_kind))
    worst = [
        ("1 MB of digits and spaces", "0 7 9 1 1 " * 100_000),
        ("1 MB of phone numbers", "07911 123456, " * 75_000),
        ("1 MB of emoji", "😀" * 1_000_000),
        ("1 MB of letters and @", "a@" * 500_000),
        ("1 MB of fullwidth digits", "０" * 1_000_000),
        ("1 MB of house numbers", "12 Mill Lane " * 80_000),
    ]
    for label, text in worst:
        started = time.perf_counter()
        found = find_personal_data(text)
        print(f"{label:28} {time.perf_counter() - started:6.2f} s, {len(found)} hits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--show-ordinary-hits", action="store_true")
    parser.add_argument("--comments", type=int, default=10_000)
    arguments = parser.parse_args()
    uk_values(arguments.show_misses)
    presidio(arguments.show_misses)
    speed(arguments.comments, arguments.show_ordinary_hits)


if __name__ == "__main__":
    main()
