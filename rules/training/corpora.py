"""Every labelled corpus the learned stage and the quality report use, as ``Item``s: the council
comments here, the public datasets through ``rules.training.public_sources``.

Each loader reads one file of ``../shared/datasets`` (or the project's council comments) and maps
its labels onto the engine's categories as the datasets' README suggests. An item carries only the
categories its source actually labels (``labels``: category -> positive?); a source says nothing
about the others, and the training script decides where an item may serve as a negative.

Sources, their keys, and what they label:

==================  ==================================================================
council_dev         bench/data/council_cases.jsonl, the rules' old development set: all
council_a … _r      bench/data/council_train_<w>.jsonl, one per writer of COUNCIL_WRITERS: all
                    categories
council_sealed      bench/data/sealed_council_scored_2026-12-07.jsonl, the first spent sealed set
                    (one more writer): all categories; trained on whole
council_sealed_2…5  bench/data/sealed_council_{2,…,5}_scored_2026-12-07.jsonl, the second to
                    fifth spent sealed sets (a writer each): all categories; trained on whole
davidson            abuse (hate or offensive), hate (class 0; lexicon-collected, weak)
olid                abuse (OFF)
toxic_spans         abuse (insult, profanity, threat or identity attack by at least half the
                    annotators), harassment (threat), hate (identity attack)
toxic_spans_rest    abuse (all negative): each abusive Toxic Spans comment with its marked
                    spans cut out; on its comment's side of the split
hatexplain          abuse (offensive or hate speech), hate (hate speech); its own split
hateval             hate; its own split
stormfront          hate (hate / noHate; "relation" and "idk" unlabelled); grouped by post
fox_news            hate; grouped by article
ucc                 harassment (hostile or antagonising); evaluation only (licence); healthy
                    comments are the report's ordinary-comment false-alarm check
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

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rules.engine.detectors.people import staff_names_and_roles
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import implied_categories
from rules.engine.learned.masks import NO_SETTINGS, Masks, build_masks
from rules.engine.types import CATEGORIES
from rules.training.items import Item
from rules.training.public_sources import LOADERS, SOURCE_FILES

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
# One letter per writer, in the order their folds were first assigned.
COUNCIL_WRITERS = tuple("abcdefghijklmnopqr")
# Council files trained on whole, with no validation part: the sealed set, once scored (its
# figures are in docs/quality.md), is development data, and one more writer.
COUNCIL_SPENT = {
    "council_sealed": "sealed_council_scored_2026-12-07.jsonl",
    "council_sealed_2": "sealed_council_2_scored_2026-12-07.jsonl",
    "council_sealed_3": "sealed_council_3_scored_2026-12-07.jsonl",
    "council_sealed_4": "sealed_council_4_scored_2026-12-07.jsonl",
    "council_sealed_5": "sealed_council_5_scored_2026-12-07.jsonl",
    "council_sealed_6a": "sealed_council_6a_scored_2026-12-07.jsonl",
    "council_sealed_6b": "sealed_council_6b_scored_2026-12-07.jsonl",
    "council_sealed_7a": "sealed_council_7a_scored_2026-12-07.jsonl",
    "council_sealed_7b": "sealed_council_7b_scored_2026-12-07.jsonl",
}


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
    """A council line's categories read with one convention where the writers differed
    (``bench/data/README.md``): a threat at named staff is also staff criticism, as the engine
    flags it (``rules.engine.learned.implied``); a malicious link is malicious_link and not
    spam, as most writers given the definitions alone labelled it (the writers told otherwise
    labelled every phishing line spam too, which would teach the spam model both ways)."""
    extracted = extract(Document(text), masks or NO_SETTINGS)
    read = positives | implied_categories(positives, extracted)
    if "malicious_link" in read:
        read.discard("spam")
    return read


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
    names, roles = staff_names_and_roles(organisation)
    return {
        "own_names": [organisation.get("name", ""), *organisation.get("handles", [])],
        "own_contacts": contacts,
        "own_domains": list(contacts.get("domains", [])),
        "staff_names": names,
        "staff_roles": roles,
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
