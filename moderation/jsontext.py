"""JSON written with orjson, and with the standard library wherever orjson is stricter.

Ingest writes every comment's raw item as JSON twice (once to check it is safe to store, once
into COPY), and orjson writes it several times faster than `json`: a gain measured end to end
on ingest (bench/speedups.py).
orjson refuses some things `json` writes: lone surrogates, integers beyond 64 bits, nesting
deeper than 255 levels, and (here, on purpose) dates and subclasses of the built-in types,
which `json` would refuse or write differently. Those fall back to `json`.

Pages are still parsed by `json`: orjson reads an integer beyond 64 bits as a float, losing
digits without a word, and parsing was not where the time went.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Dates, dataclasses and subclasses (a SafeString, an IntEnum) go to `json`, which writes the
# subclasses as before and refuses dates and dataclasses, as before.
_STRICT = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def dumps_bytes(value: Any) -> bytes:
    """UTF-8 JSON text of ``value``. NaN and infinities become null (orjson's choice, which
    PostgreSQL's jsonb can store, where `json`'s NaN it cannot)."""
    try:
        return orjson.dumps(value, option=_STRICT)
    except TypeError:
        return json.dumps(value, ensure_ascii=False).encode()


def checked_dumps(value: Any) -> bytes:
    """orjson's UTF-8 JSON text of ``value``; raises TypeError for anything it would not write
    exactly as `json` does (see ``_STRICT``). NaN and infinities are written as null."""
    return orjson.dumps(value, option=_STRICT)


class JsonText(str):
    """A value already written as JSON text (by ``dumps_bytes``), for a JSON column: the bulk
    inserts give it to COPY as it is instead of writing it again, and read it back as a value
    where they build models."""

    @classmethod
    def of(cls, value: Any) -> JsonText:
        return cls(dumps_bytes(value).decode())

    def value(self) -> Any:
        return json.loads(self)
