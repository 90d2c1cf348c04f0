"""The public labelled datasets of ``../shared/datasets``, each read by one loader into ``Item``s,
with its labels mapped onto the engine's categories (the table in ``rules.training.corpora``)."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from rules.training.items import Item, csv_rows
from rules.training.splits import TRAIN, VALIDATION, VALIDATION_SHARE, draw

# --- abuse and hate --------------------------------------------------------------------------


def load_davidson(root: Path) -> list[Item]:
    return [
        Item(
            "davidson",
            str(i),
            row["tweet"],
            {"abuse": row["class"] in ("0", "1"), "hate": row["class"] == "0"},
        )
        for i, row in enumerate(csv_rows(root / "abuse/davidson2017_labeled_data.csv"))
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
        for row in csv_rows(root / "abuse/olid/olid-training-v1.0.tsv", "\t")
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
    for row in csv_rows(root / "abuse/toxic_spans/toxic_spans_per_comment.csv"):
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


# A remainder shorter than this is a fragment ("you are a"), not a comment.
REST_MIN_WORDS = 4


def load_toxic_spans_rest(root: Path) -> list[Item]:
    """Each abusive Toxic Spans comment with the spans most annotators marked cut out: what is
    left is the same kind of news comment (politics, taxes, the Prime Minister) without what
    made it abusive, so the abuse model learns that those topics are not abuse. Toxic Spans
    has almost no negatives of its own, and without these a model read a quarter of ordinary
    news comments as abuse (the Unhealthy Comments check in ``docs/quality.md``). A remainder
    falls on its comment's side of the split, so no validation comment is trained on."""
    items = []
    for item in load_toxic_spans(root):
        spans = item.extra["spans"]
        if not item.labels.get("abuse") or not spans:
            continue
        pieces, last = [], 0
        for start, end in spans:
            pieces.append(item.text[last:start])
            last = end
        pieces.append(item.text[last:])
        rest = " ".join(" ".join(pieces).split())
        if len(rest.split()) < REST_MIN_WORDS:
            continue
        side = VALIDATION if draw("toxic_spans", item.uid) < VALIDATION_SHARE else TRAIN
        items.append(
            Item("toxic_spans_rest", f"{item.uid}-rest", rest, {"abuse": False}, fixed_split=side)
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
        for i, row in enumerate(csv_rows(root / "abuse/hatexplain.csv"))
    ]


def load_hateval(root: Path) -> list[Item]:
    return [
        Item(
            "hateval", str(i), row["text"], {"hate": row["label"] == "1"}, fixed_split=row["split"]
        )
        for i, row in enumerate(csv_rows(root / "abuse/hateval2019_tweeteval.csv"))
    ]


def load_stormfront(root: Path) -> list[Item]:
    items = []
    for row in csv_rows(root / "abuse/stormfront_hate_sentences.csv"):
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
        for i, row in enumerate(csv_rows(root / "abuse/fox_news_comments_hate.csv"))
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
            extra={
                "healthy": row["healthy"] == "1"
                and row["hostile"] == "0"
                and row["antagonize"] == "0"
            },
        )
        for row in csv_rows(root / "abuse/ucc_unhealthy_comments_val.csv")
    ]


# --- spam and links --------------------------------------------------------------------------


def load_youtube(root: Path) -> list[Item]:
    items = []
    for path in sorted((root / "spam/youtube_spam_collection").glob("*.csv")):
        rows = sorted(csv_rows(path), key=lambda row: row["DATE"] or "")
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
        for i, row in enumerate(csv_rows(root / "spam/sms_spam_collection_dev.tsv", "\t"))
    ]


def load_smishing(root: Path) -> list[Item]:
    items = []
    for i, row in enumerate(csv_rows(root / "spam/sms_smishing_mishra_soni.csv")):
        labels = {"spam": True}
        if row["has_url"].lower() == "yes":
            labels["malicious_link"] = row["label"] == "smishing"
        items.append(Item("smishing", str(i), row["text"], labels))
    return items


def load_phishing_urls(root: Path) -> list[Item]:
    return [
        Item("phishing_urls", str(i), row["url"], {"malicious_link": row["type"] == "phishing"})
        for i, row in enumerate(csv_rows(root / "malicious_links/phishing_urls_hannousse.csv"))
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
    for row in csv_rows(root / "pii/uk_pii_values_clean_dirty.csv"):
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
        for row in csv_rows(root / "political/sentimp21_uk_mp_tweets.csv")
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
        for row in csv_rows(root / "intent/twitter_complaints.csv")
    ]


def load_foi_titles(root: Path) -> list[Item]:
    return [
        Item("foi_titles", str(i), row["text"], {"foi_request": True})
        for i, row in enumerate(csv_rows(root / "intent/foi_request_titles_uk_councils.csv"))
    ]


# --- self-harm -------------------------------------------------------------------------------


def load_suicidal_intention(root: Path) -> list[Item]:
    return [
        Item("suicidal_intention", str(i), row["text"], {"self_harm": row["intention"] == "1"})
        for i, row in enumerate(csv_rows(root / "self_harm/twitter_suicidal_intention.csv"))
    ]


def load_suicide_ideation(root: Path) -> list[Item]:
    return [
        Item(
            "suicide_ideation",
            str(i),
            row["Tweet"],
            {"self_harm": row["Suicide"].strip() == "Potential Suicide post"},
        )
        for i, row in enumerate(csv_rows(root / "self_harm/twitter_suicide_ideation.csv"))
    ]


CSSRS_AT_RISK = frozenset({"Ideation", "Behavior", "Attempt"})


def load_cssrs(root: Path) -> list[Item]:
    items = []
    for row in csv_rows(root / "self_harm/reddit_cssrs_500_users.csv"):
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
    "toxic_spans_rest": load_toxic_spans_rest,
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
    "toxic_spans_rest": ("abuse/toxic_spans/toxic_spans_per_comment.csv",),
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
