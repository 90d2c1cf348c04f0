"""Links: finding them in comment text, and the malicious-link detector.

The policies forbid "links … that contain viruses, or any other similar software or programs
that may damage the operation or compromise the security of computers". A rule cannot fetch a
link (the engine is pure and offline), so it judges the address itself:

* ``blocked_domain``: a domain in ``settings["blocked_domains"]`` or one of its subdomains.
* ``punycode``: an ``xn--`` label; ``lookalike_domain``: non-Latin letters in the host as
  posted ("pаypal.com" with a Cyrillic "а", which folding would otherwise hide), or a host
  imitating the council's own domains (``settings["own_domains"]``) or a brand people are
  phished with (gov.uk, HMRC, DVLA, NHS, PayPal, banks, couriers): "g0v.uk", "paypa1.com",
  "hmrc-refund.co", "gov.uk.verify-id.com", "secure-paypal.com".
* ``phishing_lure``: a shortened link, or one to an unknown host, in a comment that dresses it
  up as something to claim, pay or act on ("claim your voucher before midnight: bit.ly/…",
  "you will be fined, pay here: …").
* ``ip_address_url``: ``http://203.0.113.7/…``; ``executable_download``: a path ending in
  ``.exe``, ``.scr``, ``.apk``, ``.zip`` …; ``script_url``: ``javascript:`` / ``data:``;
  ``credentials_in_url``: ``https://paypal.com@evil.example/`` (the real host is after "@").

The council's own domains are always safe. Hosts under registries only public bodies can use
(``.gov.uk``, ``.nhs.uk``, ``.police.uk``, ``.ac.uk`` …) are never called look-alikes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tldextract

from rules.engine.detectors.base import (
    DetectorType,
    Gate,
    is_string_list,
    is_subset,
    string_list,
    word_set,
)
from rules.engine.document import Document
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

# Top-level domains recognised in bare addresses ("bit.ly/x", "paypal-login.com"). English
# words that end sentences run together ("look.at", "go.to", "it.is") are left out.
_TLDS = (
    "com|net|org|info|biz|io|co|uk|us|ru|cn|de|fr|nl|eu|xyz|top|club|online|site|live|app|"
    "shop|store|link|click|ly|gl|gd|me|tk|ml|ga|cf|gq|cc|tv|ws|icu|buzz|win|bid|loan|loans|"
    "work|vip|pw|su|in|pk|ng|br|ir|tr|ua|pl|ro|ca|au|nz|ie|gov|edu|scot|wales|cymru|london|"
    "ai|gg|je|im|fm|sh|is|es|ch|se|dk|fi|mobi|pro|page|dev|news|blog|space|website|tech|bet|"
    "casino|porn|sex|xxx|zip|mov|rest|fun|today|world|life|email|support|help|money|cash|"
    "trade|review|party|download|stream|date|faith|science|men|gdn|ltd|plc|uk\\.com|example|test|"
    "digital|agency|services|solutions|company|business|network|media|center|centre|group|"
    "global|social|cloud|host|finance|bank|credit|loan|insurance|health|care|guru|expert|"
    "deals|sale|shopping|market|biz|tel|name|ninja|rocks|best|cool|wiki|xin|kim|ink"
)
_URL_CHARS = r"[^\s<>\"'`{}|\\^\[\]]"
URL_SOURCE = (
    rf"\b((?:https?|hxxps?|ftp)://{_URL_CHARS}+)"
    rf"|\b(www\d{{0,3}}\.{_URL_CHARS}+)"
    rf"|\b((?:javascript|vbscript|data):[^\s<>\"'`]+)"
    rf"|\b((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:[:/?#]{_URL_CHARS}*)?)"
)
_URL = Pattern(URL_SOURCE)
_TRAILING = ".,;:!?)]}'\""
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$|^\d{8,10}$|^0x[0-9a-f]+$")

SHORTENERS = word_set(
    """
    bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly is.gd buff.ly cutt.ly rebrand.ly
    shorturl.at tiny.cc rb.gy t.ly v.gd bl.ink short.io s.id lnkd.in shorte.st adf.ly
    tiny.one clck.ru qr.ae trib.al soo.gd x.co u.to y2u.be urlz.fr linktr.ee
    """
)
EXECUTABLE_EXTENSIONS = word_set(
    """
    exe scr bat cmd com pif js jse vbs vbe wsf wsh hta msi msp jar apk app dmg pkg iso img
    zip rar 7z gz tgz cab lnk ps1 docm xlsm pptm reg cpl
    """
)
# Registries only public bodies can use: never look-alikes.
TRUSTED_SUFFIXES = (
    "gov.uk",
    "nhs.uk",
    "nhs.net",
    "police.uk",
    "mod.uk",
    "parliament.uk",
    "ac.uk",
    "sch.uk",
    "gov.scot",
    "gov.wales",
    "llyw.cymru",
    "nhs.scot",
)
# Brands people are phished with, by the distinctive word of their name: official domains.
BRANDS: dict[str, tuple[str, ...]] = {
    "hmrc": ("gov.uk",),
    "dvla": ("gov.uk",),
    "govuk": ("gov.uk",),
    "nhs": ("nhs.uk", "nhs.net", "nhs.scot"),
    "paypal": ("paypal.com", "paypal.co.uk", "paypal.me"),
    "amazon": ("amazon.co.uk", "amazon.com", "amazon.de", "amazon.fr", "amzn.to", "amzn.eu"),
    "apple": ("apple.com", "icloud.com"),
    "icloud": ("icloud.com", "apple.com"),
    "microsoft": ("microsoft.com", "live.com", "outlook.com", "office.com", "microsoft365.com"),
    "outlook": ("outlook.com", "microsoft.com", "live.com"),
    "royalmail": ("royalmail.com", "royalmail.co.uk"),
    "natwest": ("natwest.com",),
    "barclays": ("barclays.co.uk", "barclays.com"),
    "hsbc": ("hsbc.co.uk", "hsbc.com"),
    "lloyds": ("lloydsbank.com", "lloydsbankinggroup.com", "lloyds.com"),
    "lloydsbank": ("lloydsbank.com",),
    "santander": ("santander.co.uk", "santander.com"),
    "nationwide": ("nationwide.co.uk",),
    "halifax": ("halifax.co.uk",),
    "monzo": ("monzo.com",),
    "revolut": ("revolut.com",),
    "facebook": ("facebook.com", "fb.com", "fb.me", "meta.com"),
    "instagram": ("instagram.com",),
    "whatsapp": ("whatsapp.com", "wa.me"),
    "google": ("google.com", "google.co.uk", "goo.gl", "youtube.com", "youtu.be"),
    "netflix": ("netflix.com",),
    "ebay": ("ebay.co.uk", "ebay.com"),
    "tvlicensing": ("tvlicensing.co.uk",),
    "evri": ("evri.com",),
    "parcelforce": ("parcelforce.com",),
    "dhl": ("dhl.com", "dhl.co.uk"),
    "dpd": ("dpd.co.uk", "dpd.com"),
}
# Brands that are also ordinary words or places: a host merely containing the word is not a
# look-alike unless it is disguised or dressed up with phishing words.
_COMMON_WORD_BRANDS = frozenset({"apple", "amazon", "nationwide", "halifax", "santander", "google"})
_PHISHING_WORDS = re.compile(
    r"login|log-in|signin|sign-in|secure|verify|verification|account|update|refund|rebate|"
    r"support|billing|payment|claim|prize|reward|unlock|security|helpdesk|service|confirm|"
    r"delivery|parcel|tax|fine|penalty|council|gov|bins?|parking|permit|pay|renew|register"
)
_SKELETON = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
)
_SKELETON_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))
_TOKEN_SPLIT = re.compile(r"[.\-_]+")
# Words that dress a link up as something to claim, pay or act on now.
_LURE = re.compile(
    r"\b(?:claim(?:ed)?|prize|won|winner|voucher|gift\s*card|refund|rebate|reward|grant|"
    r"verify\s+your|confirm\s+your|suspended|locked|pay\s+(?:here|now|online)|fined|penalty|"
    r"renew\s+your|urgent|act\s+now|before\s+midnight|expires?\s+today|leaked|free\s+£)\b"
)
CHECKS = (
    "phishing_lure",
    "blocked_domain",
    "punycode",
    "lookalike_domain",
    "ip_address_url",
    "executable_download",
    "script_url",
    "credentials_in_url",
)


@dataclass(frozen=True, slots=True)
class Url:
    """A link found in a comment: its span in the original text and its parts."""

    start: int
    end: int
    text: str
    scheme: str
    host: str
    path: str
    has_credentials: bool
    host_as_posted: str


def _parse(text: str, start: int, end: int, original_host: str) -> Url:
    scheme = ""
    rest = text
    if "://" in text:
        scheme, _, rest = text.partition("://")
    elif text.startswith(("javascript:", "vbscript:", "data:")):
        scheme, _, rest = text.partition(":")
        return Url(start, end, text, scheme, "", rest, False, "")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    path = rest[len(authority) :]
    has_credentials = "@" in authority
    host = authority.rsplit("@", 1)[-1]
    host = host.split("]", 1)[0] + "]" if host.startswith("[") else host.split(":", 1)[0]
    host = host.strip(".")
    return Url(start, end, text, scheme, host, path, has_credentials, original_host)


def extract_urls(doc: Document) -> list[Url]:
    """Every link in a text (shared by the spam and malicious-link detectors via the memo)."""
    view = doc.plain
    text = view.text
    urls = []
    for start, end in _URL.spans(view.target):
        # An address after "@" is an email address: personal data, not a link.
        if start and text[start - 1] == "@":
            continue
        while end > start and text[end - 1] in _TRAILING:
            # A closing bracket the link itself opened belongs to it: "javascript:alert(1)".
            if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                break
            end -= 1
        if end <= start:
            continue
        found = text[start:end]
        original_start, original_end = view.to_original(start, end)
        host_start = start + (found.index("://") + 3 if "://" in found else 0)
        host_end = host_start
        while host_end < end and text[host_end] not in "/?#:":
            host_end += 1
        host_span = view.to_original(host_start, host_end)
        urls.append(_parse(found, original_start, original_end, doc.original[slice(*host_span)]))
    return urls


def urls_of(doc: Document) -> list[Url]:
    """The links of a text, computed once per text."""
    return doc.memo("urls", extract_urls)


def _normal_host(host: str) -> str:
    host = host.lower().strip(".")
    return host[4:] if host.startswith("www.") else host


# The Public Suffix List as bundled with tldextract: never fetched, never cached on disk (the
# engine is pure and offline, and a list that changed under a running worker would change
# verdicts).
_PUBLIC_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_name(domain: str) -> str:
    """The name a domain is registered under: "exampleshire" for services.exampleshire.gov.uk,
    "paypal" for paypal.co.uk (the label before the public suffix)."""
    host = _normal_host(domain)
    return _PUBLIC_SUFFIXES(host).domain or host.split(".")[0]


def is_under(host: str, domains: Iterable[str]) -> bool:
    """Whether a host is one of the domains or a subdomain of one."""
    host = _normal_host(host)
    for domain in domains:
        domain = _normal_host(domain)
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def skeleton(text: str) -> str:
    """A host or word with digit and letter-pair disguises undone ("paypa1" -> "paypal")."""
    text = text.lower().translate(_SKELETON)
    for pair, letter in _SKELETON_PAIRS:
        text = text.replace(pair, letter)
    return text


def edit_distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, 1):
        current = [row]
        for column, other in enumerate(second, 1):
            current.append(
                min(previous[column] + 1, current[-1] + 1, previous[column - 1] + (char != other))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _brand_tokens(own_domains: Sequence[str]) -> dict[str, tuple[str, ...]]:
    brands = dict(BRANDS)
    for domain in own_domains:
        label = registrable_name(domain)
        if len(label) >= 4:
            brands[skeleton(label)] = tuple(own_domains)
    return brands


def _own_labels(own_domains: Sequence[str]) -> frozenset[str]:
    """The council's names in its domains: usually place names that local groups share."""
    return frozenset(skeleton(registrable_name(domain)) for domain in own_domains)


def lookalike_of(
    host: str, brands: Mapping[str, tuple[str, ...]], common: frozenset[str] = frozenset()
) -> str | None:
    """The brand a host imitates, or None."""
    host = _normal_host(host)
    if not host or is_under(host, TRUSTED_SUFFIXES):
        return None
    folded = skeleton(host)
    if ("gov.uk" in folded or "govuk" in folded or "gov-uk" in folded) and not is_under(
        host, ("gov.uk",)
    ):
        return "gov.uk"
    tokens = [token for token in _TOKEN_SPLIT.split(host) if token]
    phishy = bool(_PHISHING_WORDS.search(host))
    for brand, official in brands.items():
        if is_under(host, official):
            continue
        for token in tokens:
            folded_token = skeleton(token)
            disguised = folded_token != token
            ordinary = brand in _COMMON_WORD_BRANDS or brand in common
            if folded_token == brand:
                if not ordinary or disguised or phishy:
                    return brand
            elif len(brand) >= 6 and len(folded_token) >= 6:
                limit = 2 if len(brand) >= 9 else 1
                if edit_distance(folded_token, brand, limit) <= limit:
                    return brand
                # A brand fused with another word: "paypalsecure", "securepaypal".
                fused = folded_token.startswith(brand) or folded_token.endswith(brand)
                if fused and (not ordinary or phishy):
                    return brand
    return None


class MaliciousLinkMatcher:
    """Judges each link in a text; see the module docstring."""

    def __init__(self, checks: tuple[str, ...], settings: Mapping[str, Any]) -> None:
        self.checks = frozenset(checks)
        self.own_domains = tuple(_normal_host(d) for d in string_list(settings, "own_domains"))
        self.blocked = tuple(_normal_host(d) for d in string_list(settings, "blocked_domains"))
        self.brands = _brand_tokens(self.own_domains)
        self.own_skeletons = tuple(skeleton(domain) for domain in self.own_domains)
        self.own_labels = _own_labels(self.own_domains)
        self.gates = (Gate("plain", URL_SOURCE),)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """One finding per suspicious link, labelled with the first reason found."""
        findings = []
        lure: re.Match[str] | None = None
        looked_for_lure = False
        for url in urls_of(doc):
            reason = self.reason(url)
            if reason is None and "phishing_lure" in self.checks and self._unvouched(url):
                if not looked_for_lure:
                    lure, looked_for_lure = _LURE.search(doc.plain.text), True
                if lure is not None:
                    shown = url.text if len(url.text) <= 60 else url.text[:59] + "…"
                    note = f'{shown} comes with "{lure.group()}"'
                    reason = ("phishing_lure", note)
            if reason:
                findings.append(Finding(url.start, url.end, reason[0], note=reason[1]))
        return findings

    def _unvouched(self, url: Url) -> bool:
        """A shortened link, or one to a host that is neither the council's nor official."""
        host = url.host
        if not host or is_under(host, self.own_domains) or is_under(host, TRUSTED_SUFFIXES):
            return False
        if is_under(host, SHORTENERS):
            return True
        return not any(is_under(host, official) for official in BRANDS.values())

    def reason(self, url: Url) -> tuple[str, str] | None:
        """(sub-label, explanation) for a suspicious link, or None."""
        checks = self.checks
        shown = url.text if len(url.text) <= 60 else url.text[:59] + "…"
        if url.scheme in ("javascript", "vbscript", "data"):
            return ("script_url", f"{url.scheme}: link") if "script_url" in checks else None
        host = url.host
        if not host:
            return None
        # Disguised copies of the council's own addresses, before "own domains are safe":
        # folding makes "wealdmооr.gov.uk" (Cyrillic о) look like the real one.
        if "lookalike_domain" in checks and self.own_domains:
            if url.host_as_posted and not url.host_as_posted.isascii():
                return "lookalike_domain", f"{shown} has non-Latin letters in its address"
            folded = skeleton(host)
            if not is_under(host, self.own_domains) and is_under(folded, self.own_skeletons):
                return "lookalike_domain", f"{shown} imitates the council's own address"
        if is_under(host, self.own_domains):
            return None
        if "blocked_domain" in checks and is_under(host, self.blocked):
            return "blocked_domain", f"{shown} is on the blocked list"
        if "credentials_in_url" in checks and url.has_credentials:
            return "credentials_in_url", f"{shown} hides its real host after '@'"
        if "ip_address_url" in checks and (_IPV4.match(host) or host.startswith("[")):
            return "ip_address_url", f"{shown} points at a bare IP address"
        if "punycode" in checks and any(label.startswith("xn--") for label in host.split(".")):
            return "punycode", f"{shown} uses an encoded (punycode) host"
        if "lookalike_domain" in checks:
            if url.host_as_posted and not url.host_as_posted.isascii():
                return "lookalike_domain", f"{shown} has non-Latin letters in its address"
            brand = lookalike_of(host, self.brands, self.own_labels)
            if brand:
                return "lookalike_domain", f"{shown} imitates {brand}"
        if "executable_download" in checks:
            path = re.split(r"[?#]", url.path, maxsplit=1)[0].rstrip("/")
            extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
            if extension in EXECUTABLE_EXTENSIONS:
                return "executable_download", f"{shown} downloads a .{extension} file"
        return None


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> MaliciousLinkMatcher:
    """A malicious-link matcher from a rule's parameters and the organisation settings."""
    merged = dict(settings)
    for key in ("own_domains", "blocked_domains"):
        if key in params:
            merged[key] = list(string_list(settings, key)) + string_list(params, key)
    return MaliciousLinkMatcher(tuple(params.get("checks", CHECKS)), merged)


DETECTOR = DetectorType(
    name="malicious_link",
    description="Links that may carry malware or phishing.",
    params={
        "checks": is_subset(*CHECKS),
        "own_domains": is_string_list,
        "blocked_domains": is_string_list,
    },
    build=build,
)
