"""Reading hostile platform data safely: text, times, ids, links and nested fields.

Everything a platform sends is treated as untrusted. These helpers never let odd Unicode, huge
text, a time out of range or a wrong type raise anything but `ValueError` with a readable
message, which the connectors turn into a quarantined item (`base.quarantine`) for that one item.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

from moderation import jsontext

MAX_TEXT_LENGTH = 100_000
MAX_ID_LENGTH = 512
_SURROGATES_AND_NUL = re.compile("[\x00\ud800-\udfff]")
_CONTROL_OR_SPACE = re.compile("[\x00-\x20\x7f]")
_WEB_LINK = re.compile(r"https?://[^/?#]", re.IGNORECASE)
# What `clean_text` replaces, as it appears in JSON text written with ensure_ascii=False (NUL
# as an escape; a lone surrogate as itself, since a pair is one character in a Python string).
_UNSAFE_IN_JSON = re.compile(r"\\u0000|[\ud800-\udfff]")
_MAX_RAW_DEPTH = 40
# None of the nine platforms existed before 2004, and no platform dates an item a day ahead of
# our clock: a time outside these bounds was not given by the platform (or was set by the
# writer's own app, as Bluesky's `createdAt` is), and date arithmetic on it can overflow.
EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)


def clean_text(value: object) -> str:
    """A string PostgreSQL can store: NUL and lone surrogates become U+FFFD; None becomes ""."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return _SURROGATES_AND_NUL.sub("\ufffd", value)


def is_clean(text: str) -> bool:
    """True when `text` holds no NUL and no lone surrogate (what `clean_text` replaces)."""
    return _SURROGATES_AND_NUL.search(text) is None


def clean_raw(value: Any) -> Any:
    """A JSON-safe version of a platform item, with every string cleaned as `clean_text`.

    Most items are already safe, and are returned as they are: checking their JSON text costs
    a fraction of walking them in Python, which is done only for the rare item with NUL, a lone
    surrogate, NaN or very deep nesting. orjson writes the text (faster than `json`); it
    refuses lone surrogates and odd types, and writes NaN as null, so an item whose text holds
    a null is checked again by `json`, which tells NaN from a real null.
    """
    try:
        text = jsontext.checked_dumps(value)
    except TypeError:
        return _cleaned_copy(value)
    if b"null" in text:
        return _clean_raw_by_json(value)
    if text.count(b"[") + text.count(b"{") > _MAX_RAW_DEPTH or b"\\u0000" in text:
        return _cleaned_copy(value)
    return value


def _clean_raw_by_json(value: Any) -> Any:
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return _cleaned_copy(value)
    if text.count("[") + text.count("{") > _MAX_RAW_DEPTH or _UNSAFE_IN_JSON.search(text):
        return _cleaned_copy(value)
    return value


def _cleaned_copy(value: Any, depth: int = 0) -> Any:
    if depth > _MAX_RAW_DEPTH:
        return "…"
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_text(str(k)): _cleaned_copy(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned_copy(v, depth + 1) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float):
        return value
    return clean_text(str(value))


def limit_text(text: str, what: str, problems: list[str]) -> str:
    """Keep the first 100,000 characters of an overlong text, and say so."""
    if len(text) <= MAX_TEXT_LENGTH:
        return text
    problems.append(
        f"{what}: text was {len(text):,} characters; kept the first {MAX_TEXT_LENGTH:,}"
    )
    return text[:MAX_TEXT_LENGTH]


def parse_datetime(value: object) -> datetime:
    """ISO 8601 (with `Z`, `+00:00` or `+0000`) or epoch seconds/milliseconds, as aware UTC.

    A time before 2000 or more than a day ahead of now is refused (`time_problem`).
    """
    parsed = _parse_time(value)
    problem = time_problem(parsed)
    if problem:
        raise ValueError(problem)
    return parsed


def time_problem(moment: datetime, now: datetime | None = None) -> str:
    """Why ``moment`` cannot be when a comment was written, or "" when it can be."""
    if moment < EARLIEST_TIME:
        return f"{moment.isoformat()} is before {EARLIEST_TIME.year}"
    if moment > (now or datetime.now(UTC)) + FUTURE_TOLERANCE:
        return f"{moment.isoformat()} is in the future"
    return ""


def written_time(value: object, fallback: datetime, what: str, corrections: list[str]) -> datetime:
    """A time the writer's own software chose (Bluesky's `createdAt`, a remote Mastodon
    server's `created_at`): when it is unusable, the platform's own time for the item is used
    instead, and `corrections` says so (the comment is still stored and checked)."""
    try:
        return parse_datetime(value)
    except ValueError as error:
        corrections.append(
            f"{what} {shorten(clean_text(str(value)), 60)!r} was not used ({error}); "
            f"the time the platform gave it ({iso(fallback)}) was used instead"
        )
        return fallback


def _parse_time(value: object) -> datetime:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a time")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a time")
        seconds = value / 1000 if abs(value) > 100_000_000_000 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise ValueError(f"{shorten(repr(value), 40)} is not a time") from error
    if not isinstance(value, str):
        raise ValueError(f"expected a time, got {type(value).__name__}")
    text = value.strip()
    if not text or len(text) > 64:
        raise ValueError(f"{clean_text(text)[:64]!r} is not a time")
    if re.fullmatch(r"\d{9,14}", text):
        return _parse_time(int(text))
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as error:
        raise ValueError(f"{clean_text(text)!r} is not an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise ValueError(f"{clean_text(text)!r} has no time zone")
    try:
        return parsed.astimezone(UTC)
    except OverflowError as error:  # "0001-01-01T00:00:00+01:00" is before year 1 in UTC
        raise ValueError(f"{clean_text(text)!r} is out of range") from error


def iso(moment: datetime) -> str:
    """A fixed-width UTC ISO 8601 string: sorts as text in the same order as the times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def require_id(value: object, what: str = "id") -> str:
    """A platform id: a non-empty string (numbers are accepted and turned into one)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"missing {what}")
    text = clean_text(value.strip())
    if len(text) > MAX_ID_LENGTH:
        raise ValueError(f"{what} is longer than {MAX_ID_LENGTH} characters")
    return text


def optional_id(value: object, what: str = "id") -> str:
    if value is None or value == "":
        return ""
    return require_id(value, what)


def path_segment(value: str, what: str = "id") -> str:
    """An id made safe to put in a URL path: percent-encoded, never `.` or `..`.

    Ids come from platforms, webhooks and imported files; "../{page}/blocked" must not steer a
    request to another endpoint.
    """
    if not value or value in (".", "..") or len(value) > MAX_ID_LENGTH:
        raise ValueError(f"{clean_text(value)[:80]!r} is not a valid {what}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError(f"{what} contains control characters")
    return quote(value, safe="")


def safe_permalink(value: object) -> str:
    """The link if it is http(s) with a host; "" otherwise (no javascript: in an href)."""
    if not isinstance(value, str) or len(value) > 2_000:
        return ""
    link = value.strip()
    # http(s), "//" and a host (what urlsplit would call the scheme and netloc), by a regex:
    # urlsplit for every comment of every page cost more than the rest of this check.
    if not _WEB_LINK.match(link) or _CONTROL_OR_SPACE.search(link):
        return ""
    if "[" in link:  # an IPv6 host in brackets: urlsplit rejects a malformed one
        try:
            urlsplit(link)
        except ValueError:
            return ""
    return clean_text(link)


def dig(item: object, *path: str) -> Any:
    """`item[a][b][c]`, or None when any step is missing or not a mapping."""
    node = item
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def mapping_at(item: object, *path: str) -> dict[str, Any]:
    """A nested object, or {} when it is missing or not an object."""
    value = dig(item, *path)
    return dict(value) if isinstance(value, Mapping) else {}


def text_at(item: object, *path: str) -> str:
    """A text field that may be absent; present but not text is malformed."""
    value = dig(item, *path)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{'.'.join(path)} is {type(value).__name__}, not text")
    return clean_text(value)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_id(value: object) -> str:
    """An id for a message or a record of a bad item: never raises; "" when it is not one."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return clean_text(str(value))[:MAX_ID_LENGTH]
    return ""


def item_id(item: object) -> str:
    """The item's own id when it has one of the usual id fields, else ""."""
    if isinstance(item, Mapping):
        for key in ("commentUrn", "$URN", "comment_id", "uri", "id"):
            if found := safe_id(item.get(key)):
                return found
    return ""


def describe(platform_label: str, item: object, error: Exception) -> str:
    """A problem line naming the item when it has any id at all."""
    ident = shorten(item_id(item), 80)
    name = f"{platform_label} item {ident}" if ident else f"{platform_label} item without an id"
    return f"{name} skipped: {clean_text(str(error))[:300]}"


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS and tag != "br":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text from Mastodon's status HTML: paragraphs and line breaks kept, tags dropped."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # HTMLParser is lenient, but hostile input gets the benefit of doubt
        return clean_text(re.sub(r"<[^>]*>", " ", html))
    text = "".join(extractor.parts)
    return clean_text(re.sub(r"\n{3,}", "\n\n", text).strip())
