"""Spam: repetition, floods, advertising and link spam.

The policies: "do not post the same message, or very similar messages, more than once",
"spamming: repeatedly sharing content or sending multiple unsolicited messages", "do not
advertise products or services". Checks (``params["checks"]``, all by default):

* ``repetition``: near-identical to one of this author's recent comments (``repeated``), by
  shingle similarity at ``near_duplicate_threshold`` (default 0.7: a twenty-word message with
  two or three words changed). Short texts are exempt ("Thank you!" is said many times): at
  least 3 words.
* ``campaign`` (only when asked for by name): near-identical to other authors' recent comments
  (``copied``, at least 6 words). Many residents posting "Save Hadleigh library!" is a
  campaign, lawful speech to be seen grouped, not spam: a rule named as a campaign
  (``spam.campaign``) reports it as the campaign signal, in no category, for review and never
  hidden (``types.signal_of``). Adverts copied by a bot ring are caught as advertising.
* ``flood``: ``author_recent_count`` of ``flood_threshold`` (default 5) or more comments by the
  author in the flood window before this one.
* ``advertising``: self-promotion ("check out my channel", "sub4sub", "DM me for prices",
  "message me 📺"), trade ("10% off this week", "book now at …"), get-rich offers ("earn
  £500 a day", "made £5,400 in two weeks", crypto and forex "investment", "trading with
  @…"), click-bait ("click the link in my bio"), giveaways, promo codes, bought followers.
* ``link_spam``: URL shorteners (``url_shortener``) and posts with ``max_links`` (default 3) or
  more links (``link_heavy``). The council's own domains never count.

Repetition and floods concern the whole comment, so their span is the whole text. The
organisation's own account (an author whose handle or display name is one of
``settings["own_names"]``, case and spaces aside) answers many residents in a row, often in the
same words ("Please DM us your address"), with its own numbers, prices and pages ("call … or
book at …", "the subscription remains £45 a year"): it is the organisation speaking, so none of
its comments is spam by this rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import (
    DetectorType,
    Gate,
    Phrase,
    PhraseSet,
    is_number,
    is_subset,
    number,
    string_list,
)
from rules.engine.detectors.links import SHORTENERS, URL_SOURCE, is_under, urls_of
from rules.engine.document import Document
from rules.engine.repetition import fingerprint, most_similar
from rules.engine.types import Context, Finding

CHECKS = ("repetition", "campaign", "flood", "advertising", "link_spam")
DEFAULT_CHECKS = ("repetition", "flood", "advertising", "link_spam")
_MONEY = r"(?:£|\$|€|usd|gbp)?\s?\d[\d,.]*\s?k?\s?(?:£|\$|€|pounds|quid|dollars|usd|gbp)?"

ADVERTISING: tuple[Phrase, ...] = (
    Phrase(
        "advertising",
        r"\b(?:check|checkout|check out|visit|subscribe to|sub to|follow|like|watch|join)\s+"
        r"(?:out\s+)?(?:my|our)\s+(?:new\s+|latest\s+)?(?:channel|page|profile|website|site|blog|"
        r"video|videos|vid|vids|music|songs?|tracks?|mixtape|store|shop|insta|instagram|tiktok|"
        r"youtube|onlyfans|account|stream|podcast|business|group|server)\b",
    ),
    Phrase(
        "advertising",
        r"\b(?:please\s+)?(?:subscribe|sub)\s+(?:to\s+)?(?:me|my|us)\b|\bplease\s+subscribe\b|"
        r"\b(?:subscribe|sub)\s+(?:pls|plz|please)\b|\bsub\s?(?:4|a|for)\s?sub\b|"
        r"\b(?:f|l)(?:4|a)(?:f|l)\b|"
        r"\bfollow\s+for\s+follow\b|\blike\s+for\s+like\b",
    ),
    Phrase(
        "advertising",
        r"\b(?:follow|add)\s+me\s+(?:on|at)\s+(?:insta|instagram|tiktok|twitter|x|snap|"
        r"snapchat|youtube|facebook|onlyfans|telegram)\b",
    ),
    Phrase(
        "advertising",
        r"\b(?:dm|pm|message|msg|inbox|whatsapp|text|contact|email)\s+(?:me|us)\s+"
        r"(?:for\s+(?:more\s+)?(?:info|information|details|prices?|rates|offers?|deals?|"
        r"a quote|quotes|investment|bookings?|orders?)|to\s+(?:earn|make money|learn how|"
        r"invest|join|find out how|get started|order|book)|on\s+(?:whatsapp|telegram|wa))\b",
    ),
    Phrase(
        "advertising",
        rf"\b(?:earn|make|making|earning|earned|made)\s+(?:up\s+to\s+|over\s+)?{_MONEY}\s*"
        r"(?:a|per|every|each|in a|in one)\s+(?:day|week|hour|month)\b",
    ),
    Phrase(
        "advertising",
        r"\b(?:make|earn)\s+(?:extra\s+)?(?:money|cash|income)\s+(?:online|fast|from home|"
        r"quickly|easily|from your phone)\b|\bpassive\s+income\b|\bfinancial\s+freedom\b|"
        r"\bwork\s+from\s+home\s+(?:and|to)\s+(?:earn|make)\b",
    ),
    Phrase(
        "advertising",
        r"\b(?:bitcoin|btc|crypto|cryptocurrency|forex|fx|binary options|nft|ethereum|usdt)\s+"
        r"(?:investment|investments|invest|trading|trader|mining|profits?|returns?|signals?|"
        r"account manager|expert|platform|opportunity|giveaway)\b|\b(?:invested|investing|"
        r"trading)\s+with\s+(?:mr|mrs|ms|miss|dr|expert|an? expert)\b|\bguaranteed\s+"
        r"(?:returns?|profits?|income)\b",
    ),
    Phrase(
        "advertising",
        r"\bclick\s+(?:here|the\s+link|this\s+link|on\s+the\s+link|the\s+link\s+below|below)\b|"
        r"\blink\s+in\s+(?:my\s+|the\s+)?bio\b",
    ),
    Phrase(
        "advertising",
        r"\b(?:free|win\s+an?|claim\s+your|get\s+your\s+free)\s+(?:iphone|ipad|gift\s*cards?|"
        r"vouchers?|giveaway|prize|samsung|playstation|ps5|airpods|cash|bitcoin)\b|"
        r"\b(?:limited|special|exclusive)\s+(?:time\s+)?offer\b|\b(?:promo|discount|coupon|"
        r"referral)\s+code\b|\b(?:buy|get)\s+(?:cheap\s+)?(?:real\s+)?(?:followers|likes|views|"
        r"subscribers)\b",
    ),
    Phrase(
        "advertising",
        r"\bbook\s+(?:now\s+)?(?:at|via|on)\s+[a-z0-9-]+\.[a-z]|\b(?:dm|pm|inbox)\s+(?:her|him)\b|"
        r"\b(?:trading|investing|invested)\s+with\s+@|\blooking\s+for\s+an?\s+(?:reliable|"
        r"cheap|local|professional|trusted|good)\s+[a-z]+(?:\s+[a-z]+)?\s*\?\s*[a-z]+\s+[a-z]+\s+"
        r"(?:covers?|offers?|provides?|does|is\s+here|can\s+help)\b|"
        r"\b(?:message|msg|dm|pm|inbox|text|whatsapp)\s+me\s*[\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}]",
    ),
    Phrase(
        "advertising",
        r"\b(?:cheap|buy)\s+(?:viagra|cialis|pills|meds|rayban|ray-ban|designer\s+bags|"
        r"essays?)\b|\b(?:viagra|cialis|onlyfans)\b|\bhot\s+(?:singles|girls)\b|"
        r"\bsexy\s+(?:girls|singles|women)\b|\bdating\s+site\b|"
        r"\b(?:we|i)\s+buy\s+(?:any\s+)?(?:houses|cars|car|gold)\b",
    ),
)


# Advertising that involves numbers, matched on the plain view (the words view reads "10kg"
# as leetspeak).
NUMERIC_ADVERTISING: tuple[Phrase, ...] = (
    Phrase(
        "advertising",
        r"\b\d{1,2}\s?%\s?off\s+(?:this|your|all|everything|today|now|first|orders?|when|"
        r"selected|until|for\s+new)\b|\bsave\s+\d{1,2}\s?%|"
        r"\b(?:made|making|earned|earning|make|earn)\s+£?[\d,.]+k?\s+in\s+(?:just\s+)?"
        r"(?:a|one|two|three|four|five|six|\d+)\s+(?:days?|weeks?|months?)\b|"
        r"\blose\s+\d+\s?(?:kg|lbs?|pounds|stone)\s+in\b|"
        r"\b\d(?:\.\d)?\s?(?:\*|stars?|⭐)\s?(?:on|rated\s+on)\s+(?:google|trustpilot|facebook|"
        r"checkatrade|yell)\b",
    ),
)


def _account(name: str) -> str:
    """A handle or display name, case, spaces and a leading "@" aside."""
    return "".join(name.strip().lstrip("@").casefold().split())


class SpamMatcher:
    """Runs the chosen spam checks; see the module docstring."""

    def __init__(self, checks: tuple[str, ...], settings: Mapping[str, Any]) -> None:
        self.checks = frozenset(checks)
        self.threshold = number(settings, "near_duplicate_threshold", 0.7, 0.3, 1.0)
        self.flood_threshold = int(number(settings, "flood_threshold", 5, 1, 10_000))
        self.max_links = int(number(settings, "max_links", 3, 1, 1_000))
        self.own_domains = tuple(string_list(settings, "own_domains"))
        self.own_accounts = frozenset(_account(name) for name in string_list(settings, "own_names"))
        self.advertising = PhraseSet(ADVERTISING) if "advertising" in self.checks else None
        self.numeric_advertising = (
            PhraseSet(NUMERIC_ADVERTISING, view="plain") if "advertising" in self.checks else None
        )
        gates = [Gate("plain", URL_SOURCE)] if "link_spam" in self.checks else []
        if self.advertising is not None and self.numeric_advertising is not None:
            gates.extend((self.advertising.gate, self.numeric_advertising.gate))
        self.gates: tuple[Gate, ...] = tuple(gates)

    def is_own_account(self, context: Context) -> bool:
        return bool(self.own_accounts) and any(
            _account(name) in self.own_accounts
            for name in (context.author_handle, context.author_name)
            if name
        )

    def wants(self, context: Context) -> bool:
        """Repetition and floods are judged from the context: run when it has recent comments."""
        if self.is_own_account(context):
            return False
        if "flood" in self.checks and context.author_recent_count >= self.flood_threshold:
            return True
        return ("repetition" in self.checks and bool(context.author_recent_texts)) or (
            "campaign" in self.checks and bool(context.others_recent_texts)
        )

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Findings of every enabled check."""
        if self.is_own_account(context):
            return []
        findings: list[Finding] = []
        whole = (0, len(doc.original))
        if "flood" in self.checks and context.author_recent_count >= self.flood_threshold:
            findings.append(
                Finding(
                    *whole,
                    "flood",
                    note=f"{context.author_recent_count} earlier comments by this author "
                    "in the flood window",
                )
            )
        if "repetition" in self.checks or "campaign" in self.checks:
            findings.extend(self._repetition(doc, context, whole))
        if self.advertising is not None and self.numeric_advertising is not None:
            findings.extend(self.advertising.find(doc))
            findings.extend(self.numeric_advertising.find(doc))
        if "link_spam" in self.checks:
            findings.extend(self._links(doc))
        return findings

    def _repetition(self, doc: Document, context: Context, whole: tuple[int, int]) -> list[Finding]:
        own = context.author_recent_texts if "repetition" in self.checks else ()
        others = context.others_recent_texts if "campaign" in self.checks else ()
        if not own and not others:
            return []
        words = fingerprint(doc.original, doc.words[0].text).word_count
        for texts, minimum, label, whose in (
            (own, 3, "repeated", "this author's"),
            (others, 6, "copied", "other authors'"),
        ):
            if texts and words >= minimum:
                score, count = most_similar(doc.original, tuple(texts), self.threshold)
                if score >= self.threshold:
                    times = "one" if count == 1 else str(count)
                    note = f"{score:.0%} similar to {times} of {whose} recent comments"
                    return [Finding(*whole, label, note=note)]
        return []

    def _links(self, doc: Document) -> list[Finding]:
        urls = [
            url for url in urls_of(doc) if url.host and not is_under(url.host, self.own_domains)
        ]
        findings = [
            Finding(url.start, url.end, "url_shortener")
            for url in urls
            if is_under(url.host, SHORTENERS)
        ]
        if len(urls) >= self.max_links:
            findings.extend(Finding(url.start, url.end, "link_heavy") for url in urls)
        return findings


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> SpamMatcher:
    """A spam matcher from a rule's parameters; numeric params override the settings."""
    merged = dict(settings)
    for key in ("near_duplicate_threshold", "flood_threshold", "max_links"):
        if key in params:
            merged[key] = params[key]
    return SpamMatcher(tuple(params.get("checks", DEFAULT_CHECKS)), merged)


DETECTOR = DetectorType(
    name="spam",
    description="Repetition, floods, advertising and link spam.",
    params={
        "checks": is_subset(*CHECKS),
        "near_duplicate_threshold": is_number(0.3, 1.0),
        "flood_threshold": is_number(1, 10_000),
        "max_links": is_number(1, 1_000),
    },
    build=build,
)
