"""Every labelled corpus the learned stage and the quality report use, as ``Item``s.

Each loader reads one file of ``../shared/datasets`` (or the project's council comments) and maps
its labels onto the engine's categories as the datasets' README suggests. An item carries only the
categories its source actually labels (``labels``: category -> positive?); a source says nothing
about the others, and the training script decides where an item may serve as a negative.

Sources, their keys, and what they label:

==================  ==================================================================
council_dev         bench/data/council_cases.jsonl, the rules' old development set: all
council_a … _g      bench/data/council_train_{a,…,g}.jsonl, seven writers: all categories
council_sealed      bench/data/sealed_council_scored_2026-12-07.jsonl, the first spent sealed set
                    (one more writer): all categories; trained on whole
council_sealed_2    bench/data/sealed_council_2_scored_2026-12-07.jsonl, the second spent sealed
                    set (one more writer): all categories; trained on whole
davidson            abuse (hate or offensive), hate (class 0; lexicon-collected, weak)
olid                abuse (OFF)
toxic_spans         abuse (insult, profanity, threat or identity attack by at least half the
                    annotators), harassment (threat), hate (identity attack)
hatexplain          abuse (offensive or hate speech), hate (hate speech); its own split
hateval             hate; its own split
stormfront          hate (hate / noHate; "relation" and "idk" unlabelled); grouped by post
fox_news            hate; grouped by article
ucc                 harassment (hostile or antagonising); evaluation only (licence)
youtube             spam, streamed per video in time order
sms                 spam
smishing            spam (all), malicious_link (those with a URL)
phishing_urls       malicious_link (the URL alone as the text)
presidio            personal_data (phone, email, card, IBAN or street address)
uk_pii              personal_data: UK values in one fixed sentence each (all positive)
mp_tweets           political (all positive: recall only)
complaints          complaint (customer-service tweets)
foi_titles          foi_request (all positive: titles of requests to UK councils)
suicidal_intention  self_harm
suicide_ideation    self_harm
cssrs               self_harm (ideation, behaviour, attempt / supportive; one row per user)
==================  ==================================================================
"""

from __future__ import annotations

import ast
import csv
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import implied_categories
from rules.engine.learned.masks import NO_SETTINGS, Masks, build_masks
from rules.engine.types import CATEGORIES

ROOT = Path(__file__).resolve().parents[2]


def _default_datasets() -> Path:
    """``shared/datasets`` beside the checkout (or beside a worktree's parent folder)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "datasets"


DEFAULT_DATASETS = _default_datasets()
COUNCIL_DIR = ROOT / "bench" / "data"
COUNCIL_DEV = COUNCIL_DIR / "council_cases.jsonl"
COUNCIL_WRITERS = ("a", "b", "c", "d", "e", "f", "g")
# Council files trained on whole, with no validation part: the sealed set, once scored (its
# figures are in docs/quality.md), is development data, and one more writer.
COUNCIL_SPENT = {
    "council_sealed": "sealed_council_scored_2026-12-07.jsonl",
    "council_sealed_2": "sealed_council_2_scored_2026-12-07.jsonl",
}

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Item:
    """One labelled text of one source."""

    source: str
    uid: str
    text: str
    labels: Mapping[str, bool]
    author: str = ""
    # Comments fed to one repetition tracker, in ``order`` (a video's comments, a council file).
    stream: str = ""
    order: int = 0
    # Split key: items of one group (a forum thread, a news article) fall on one side.
    group: str = ""
    # The file's own split ("train", "validation", "test"), where it has one.
    fixed_split: str = ""
    # Organisation key of a council comment (its settings are in the file's .orgs.json).
    org: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def positive(self, category: str) -> bool:
        return bool(self.labels.get(category))

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for c, v in self.labels.items() if v)


def _rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter)


# --- council comments ------------------------------------------------------------------------


def council_items(path: Path, source: str, *, harmonise: bool = True) -> list[Item]:
    """A council JSON Lines file: every category is labelled on every line, with what the
    labels imply (``harmonised``) unless ``harmonise`` is false (a sealed set is scored on its
    writer's labels as written)."""
    whole = "train" if source in COUNCIL_SPENT else ""
    settings = council_settings(source) if source == "council_dev" else settings_beside(path)
    masks = {org: build_masks(each) for org, each in settings.items()} if harmonise else {}
    items = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for order, line in enumerate(line for line in lines if line.strip()):
        record = json.loads(line)
        positives = set(record["categories"])
        if harmonise:
            positives = harmonised(record["text"], positives, masks.get(record.get("org") or ""))
        items.append(
            Item(
                source=source,
                uid=str(record["id"]),
                text=record["text"],
                labels={c: c in positives for c in CATEGORIES},
                author=record.get("author") or "",
                stream=source,
                order=order,
                org=record.get("org") or "",
                fixed_split=whole,
            )
        )
    return items


def harmonised(text: str, positives: set[str], masks: Masks | None) -> set[str]:
    """A council line's categories with what they imply by the labelling definitions
    (``rules.engine.learned.implied``), as the engine flags them: writers differed on whether
    phishing is also spam and a threat at named staff also staff criticism."""
    extracted = extract(Document(text), masks or NO_SETTINGS)
    return positives | implied_categories(positives, extracted)


def _names(entries: Any) -> list[str]:
    """Names from a list of strings or of {"name": ...} objects."""
    names = []
    for entry in entries or ():
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def engine_settings(organisation: Mapping[str, Any]) -> dict[str, Any]:
    """An organisation description (a council file's .orgs.json entry, or the development
    set's README block) as the engine's settings, shaped like ``Organisation.engine_settings``."""
    contacts = dict(organisation.get("own_contacts") or {})
    return {
        "own_names": [organisation.get("name", ""), *organisation.get("handles", [])],
        "own_contacts": contacts,
        "own_domains": list(contacts.get("domains", [])),
        "staff_names": _names(organisation.get("staff_names")),
        "candidates": _names(organisation.get("candidates")),
    }


def council_settings(source: str) -> dict[str, dict[str, Any]]:
    """Engine settings per organisation key of one council source ("" for the development
    set, whose one organisation is described in bench/data/README.md)."""
    if source == "council_dev":
        readme = COUNCIL_DIR / "README.md"
        for block in re.finditer(r"```json\n(.*?)```", readme.read_text("utf-8"), re.S):
            organisation = json.loads(block.group(1))
            if isinstance(organisation, dict) and "handles" in organisation:
                return {"": engine_settings(organisation)}
        return {"": {}}
    return settings_beside(council_sources()[source])


def settings_beside(path: Path) -> dict[str, dict[str, Any]]:
    """Engine settings per organisation key from the ``.orgs.json`` beside a council file."""
    orgs = path.with_suffix(".orgs.json")
    organisations = json.loads(orgs.read_text("utf-8")) if orgs.exists() else []
    return {org["org"]: engine_settings(org) for org in organisations}


def council_sources() -> dict[str, Path]:
    """The council files present: the development set and each writer's file."""
    found = {"council_dev": COUNCIL_DEV} if COUNCIL_DEV.exists() else {}
    for writer in COUNCIL_WRITERS:
        path = COUNCIL_DIR / f"council_train_{writer}.jsonl"
        if path.exists():
            found[f"council_{writer}"] = path
    for source, name in COUNCIL_SPENT.items():
        if (COUNCIL_DIR / name).exists():
            found[source] = COUNCIL_DIR / name
    return found


def writer_sources() -> tuple[str, ...]:
    """The source key of every writer's council file (each one cross-validation fold's
    council part), in a fixed order."""
    return (*(f"council_{writer}" for writer in COUNCIL_WRITERS), *COUNCIL_SPENT)


# --- abuse and hate --------------------------------------------------------------------------


def load_davidson(root: Path) -> list[Item]:
    return [
        Item(
            "davidson",
            str(i),
            row["tweet"],
            {"abuse": row["class"] in ("0", "1"), "hate": row["class"] == "0"},
        )
        for i, row in enumerate(_rows(root / "abuse/davidson2017_labeled_data.csv"))
    ]


def load_olid(root: Path) -> list[Item]:
    return [
        Item(
            "olid",
            row["id"],
            row["tweet"],
            {"abuse": row["subtask_a"] == "OFF"},
            extra={"targeted_individual": row["subtask_b"] == "TIN" and row["subtask_c"] == "IND"},
        )
        for row in _rows(root / "abuse/olid/olid-training-v1.0.tsv", "\t")
    ]


def _majority_spans(row: Mapping[str, str], annotators: int) -> list[tuple[int, int]]:
    """Character runs that at least half the annotators marked as abusive."""
    marked_by: dict[int, set[str]] = {}
    for worker, kind, start, end in json.loads(row["spans_json"] or "[]"):
        if kind in ("Insult", "Profane/Obscene", "Threat", "Identity based Attack"):
            for position in range(int(start), int(end)):
                marked_by.setdefault(position, set()).add(str(worker))
    runs: list[tuple[int, int]] = []
    for position in sorted(p for p, who in marked_by.items() if 2 * len(who) >= annotators):
        if runs and runs[-1][1] == position:
            runs[-1] = (runs[-1][0], position + 1)
        else:
            runs.append((position, position + 1))
    return runs


def load_toxic_spans(root: Path) -> list[Item]:
    items = []
    for row in _rows(root / "abuse/toxic_spans/toxic_spans_per_comment.csv"):
        annotators = max(1, int(row["n_annotations"]))

        def majority(column: str, annotators: int = annotators, row: dict = row) -> bool:
            return 2 * int(row[column]) >= annotators

        threat = majority("n_annot_threat")
        identity = majority("n_annot_identity_attack")
        abusive = (
            majority("n_annot_insult") or majority("n_annot_profane_obscene") or threat or identity
        )
        labels = {"harassment": threat, "hate": identity}
        if abusive:
            labels["abuse"] = True
        items.append(
            Item(
                "toxic_spans",
                row["comment_id"],
                row["comment_text"],
                labels,
                extra={"spans": _majority_spans(row, annotators)},
            )
        )
    return items


def load_hatexplain(root: Path) -> list[Item]:
    return [
        Item(
            "hatexplain",
            row["post_id"] or f"train-{i}",
            row["text"],
            {"abuse": row["label"] != "normal", "hate": row["label"] == "hatespeech"},
            fixed_split=row["split"],
        )
        for i, row in enumerate(_rows(root / "abuse/hatexplain.csv"))
    ]


def load_hateval(root: Path) -> list[Item]:
    return [
        Item(
            "hateval", str(i), row["text"], {"hate": row["label"] == "1"}, fixed_split=row["split"]
        )
        for i, row in enumerate(_rows(root / "abuse/hateval2019_tweeteval.csv"))
    ]


def load_stormfront(root: Path) -> list[Item]:
    items = []
    for row in _rows(root / "abuse/stormfront_hate_sentences.csv"):
        labels = {"hate": row["label"] == "hate"} if row["label"] in ("hate", "noHate") else {}
        items.append(
            Item(
                "stormfront",
                row["file_id"],
                row["text"],
                labels,
                group=row["file_id"].split("_")[0],
            )
        )
    return items


def load_fox_news(root: Path) -> list[Item]:
    return [
        Item(
            "fox_news",
            str(i),
            row["text"],
            {"hate": row["label"] == "1"},
            group=row["article_title"],
        )
        for i, row in enumerate(_rows(root / "abuse/fox_news_comments_hate.csv"))
    ]


def load_ucc(root: Path) -> list[Item]:
    return [
        Item(
            "ucc",
            row["_unit_id"],
            row["comment"],
            {"harassment": row["hostile"] == "1" or row["antagonize"] == "1"},
            # Non-commercial licence: used to evaluate, never to train.
            fixed_split="validation",
        )
        for row in _rows(root / "abuse/ucc_unhealthy_comments_val.csv")
    ]


# --- spam and links --------------------------------------------------------------------------


def load_youtube(root: Path) -> list[Item]:
    items = []
    for path in sorted((root / "spam/youtube_spam_collection").glob("*.csv")):
        rows = sorted(_rows(path), key=lambda row: row["DATE"] or "")
        for order, row in enumerate(rows):
            items.append(
                Item(
                    "youtube",
                    f"{path.stem}/{row['COMMENT_ID']}",
                    row["CONTENT"],
                    {"spam": row["CLASS"] == "1"},
                    author=row["AUTHOR"],
                    stream=path.stem,
                    order=order,
                )
            )
    return items


def load_sms(root: Path) -> list[Item]:
    return [
        Item("sms", str(i), row["SMS"], {"spam": row["Label"] == "spam"})
        for i, row in enumerate(_rows(root / "spam/sms_spam_collection_dev.tsv", "\t"))
    ]


def load_smishing(root: Path) -> list[Item]:
    items = []
    for i, row in enumerate(_rows(root / "spam/sms_smishing_mishra_soni.csv")):
        labels = {"spam": True}
        if row["has_url"].lower() == "yes":
            labels["malicious_link"] = row["label"] == "smishing"
        items.append(Item("smishing", str(i), row["text"], labels))
    return items


def load_phishing_urls(root: Path) -> list[Item]:
    return [
        Item("phishing_urls", str(i), row["url"], {"malicious_link": row["type"] == "phishing"})
        for i, row in enumerate(_rows(root / "malicious_links/phishing_urls_hannousse.csv"))
    ]


# --- personal data ---------------------------------------------------------------------------

PII_TYPES = frozenset(
    {"PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "STREET_ADDRESS"}
)


def load_presidio(root: Path) -> list[Item]:
    items = []
    records = json.loads((root / "pii/presidio_synth_dataset_v2.json").read_text("utf-8"))
    for i, record in enumerate(records):
        types = {span["entity_type"] for span in record["spans"]}
        if types & PII_TYPES:
            labels = {"personal_data": True}
        elif not types:
            labels = {"personal_data": False}
        else:
            labels = {}  # a name, a date or a US-only number: not what the policy means
        items.append(Item("presidio", str(i), record["full_text"], labels))
    return items


UK_PII_SENTENCES = {
    "email": "my email address is {}",
    "address": "I live at {}",
    "mobile_phone": "my mobile number is {}",
    "national_insurance": "my national insurance number is {}",
    "pan_number": "my card number is {}",
    "iban": "my IBAN is {}",
}


def load_uk_pii(root: Path) -> list[Item]:
    items = []
    for row in _rows(root / "pii/uk_pii_values_clean_dirty.csv"):
        for column, sentence in UK_PII_SENTENCES.items():
            items.append(
                Item(
                    "uk_pii",
                    f"{row['record_id']}/{column}",
                    sentence.format(row[column]),
                    {"personal_data": True},
                    group=row["record_id"],
                    extra={"field": column, "quality": row["data_quality"]},
                )
            )
        items.append(
            Item(
                "uk_pii",
                f"{row['record_id']}/bank",
                f"sort code {row['sort_code']} account {row['account_number']}",
                {"personal_data": True},
                group=row["record_id"],
                extra={"field": "bank", "quality": row["data_quality"]},
            )
        )
    return items


# --- council business ------------------------------------------------------------------------


def load_mp_tweets(root: Path) -> list[Item]:
    return [
        Item("mp_tweets", row["tweet_id"], row["full_text"], {"political": True})
        for row in _rows(root / "political/sentimp21_uk_mp_tweets.csv")
    ]


def load_complaints(root: Path) -> list[Item]:
    return [
        Item(
            "complaints",
            row["tweet_id"],
            row["text"],
            {"complaint": row["complaint"] == "1"},
            extra={"domain": row["domain"]},
        )
        for row in _rows(root / "intent/twitter_complaints.csv")
    ]


def load_foi_titles(root: Path) -> list[Item]:
    return [
        Item("foi_titles", str(i), row["text"], {"foi_request": True})
        for i, row in enumerate(_rows(root / "intent/foi_request_titles_uk_councils.csv"))
    ]


# --- self-harm -------------------------------------------------------------------------------


def load_suicidal_intention(root: Path) -> list[Item]:
    return [
        Item("suicidal_intention", str(i), row["text"], {"self_harm": row["intention"] == "1"})
        for i, row in enumerate(_rows(root / "self_harm/twitter_suicidal_intention.csv"))
    ]


def load_suicide_ideation(root: Path) -> list[Item]:
    return [
        Item(
            "suicide_ideation",
            str(i),
            row["Tweet"],
            {"self_harm": row["Suicide"].strip() == "Potential Suicide post"},
        )
        for i, row in enumerate(_rows(root / "self_harm/twitter_suicide_ideation.csv"))
    ]


CSSRS_AT_RISK = frozenset({"Ideation", "Behavior", "Attempt"})


def load_cssrs(root: Path) -> list[Item]:
    items = []
    for row in _rows(root / "self_harm/reddit_cssrs_500_users.csv"):
        try:
            posts = ast.literal_eval(row["Post"])
        except (ValueError, SyntaxError):
            posts = [row["Post"]]
        text = " ".join(str(post) for post in posts)
        label = row["Label"]
        labels = {} if label == "Indicator" else {"self_harm": label in CSSRS_AT_RISK}
        items.append(Item("cssrs", row["User"], text, labels))
    return items


LOADERS: dict[str, Callable[[Path], list[Item]]] = {
    "davidson": load_davidson,
    "olid": load_olid,
    "toxic_spans": load_toxic_spans,
    "hatexplain": load_hatexplain,
    "hateval": load_hateval,
    "stormfront": load_stormfront,
    "fox_news": load_fox_news,
    "ucc": load_ucc,
    "youtube": load_youtube,
    "sms": load_sms,
    "smishing": load_smishing,
    "phishing_urls": load_phishing_urls,
    "presidio": load_presidio,
    "uk_pii": load_uk_pii,
    "mp_tweets": load_mp_tweets,
    "complaints": load_complaints,
    "foi_titles": load_foi_titles,
    "suicidal_intention": load_suicidal_intention,
    "suicide_ideation": load_suicide_ideation,
    "cssrs": load_cssrs,
}

# Where each public source's file lives under the datasets folder (for the data list).
SOURCE_FILES: dict[str, tuple[str, ...]] = {
    "davidson": ("abuse/davidson2017_labeled_data.csv",),
    "olid": ("abuse/olid/olid-training-v1.0.tsv",),
    "toxic_spans": ("abuse/toxic_spans/toxic_spans_per_comment.csv",),
    "hatexplain": ("abuse/hatexplain.csv",),
    "hateval": ("abuse/hateval2019_tweeteval.csv",),
    "stormfront": ("abuse/stormfront_hate_sentences.csv",),
    "fox_news": ("abuse/fox_news_comments_hate.csv",),
    "ucc": ("abuse/ucc_unhealthy_comments_val.csv",),
    "youtube": (
        "spam/youtube_spam_collection/Youtube01-Psy.csv",
        "spam/youtube_spam_collection/Youtube02-KatyPerry.csv",
        "spam/youtube_spam_collection/Youtube03-LMFAO.csv",
    ),
    "sms": ("spam/sms_spam_collection_dev.tsv",),
    "smishing": ("spam/sms_smishing_mishra_soni.csv",),
    "phishing_urls": ("malicious_links/phishing_urls_hannousse.csv",),
    "presidio": ("pii/presidio_synth_dataset_v2.json",),
    "uk_pii": ("pii/uk_pii_values_clean_dirty.csv",),
    "mp_tweets": ("political/sentimp21_uk_mp_tweets.csv",),
    "complaints": ("intent/twitter_complaints.csv",),
    "foi_titles": ("intent/foi_request_titles_uk_councils.csv",),
    "suicidal_intention": ("self_harm/twitter_suicidal_intention.csv",),
    "suicide_ideation": ("self_harm/twitter_suicide_ideation.csv",),
    "cssrs": ("self_harm/reddit_cssrs_500_users.csv",),
}


def load_source(name: str, datasets: Path = DEFAULT_DATASETS) -> list[Item]:
    """One source's items, by key (a council key or a public source's)."""
    councils = council_sources()
    if name in councils:
        return council_items(councils[name], name)
    return LOADERS[name](datasets)


def available_sources(datasets: Path = DEFAULT_DATASETS) -> list[str]:
    """The keys of every source whose files are present."""
    public = [
        name
        for name, files in SOURCE_FILES.items()
        if all((datasets / path).exists() for path in files)
    ]
    return [*council_sources(), *public]
