"""Reading the audit log: keyset pages, and each event's before/after as a compact diff.

Pages are keyed on the event id (``?before=`` for older, ``?after=`` for newer), never on an
offset, so page 20,000 of a million-row log costs what page one does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from accounts.models import AuditEvent
from moderation.hours import LONDON

ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
PAGE_SIZE = 50
VALUE_CHARS = 300


@dataclass(frozen=True)
class DiffRow:
    key: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    channel_name: str
    diff: list[DiffRow]
    data: list[tuple[str, str]]
    target: str = ""  # what the event was about, as a person reads it

    @property
    def event_type_parts(self) -> list[str]:
        """The event type split after each dot, so a narrow column can wrap it there."""
        parts = self.event.event_type.split(".")
        return [part + "." for part in parts[:-1]] + parts[-1:]


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    newer_than: int | None  # link to newer events: ?after=<this>
    older_than: int | None  # link to older events: ?before=<this>


def _local_time(text: str) -> str | None:
    """An ISO timestamp (as DjangoJSONEncoder stores datetimes) in London wall-clock time."""
    if not ISO_TIMESTAMP.match(text):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return f"{moment.astimezone(LONDON):%d %b %Y %H:%M:%S}"


def show(value: object) -> str:
    """A stored JSON value as a person reads it: text as itself, the rest as compact JSON."""
    if value is None:
        return "–"
    if isinstance(value, str):
        shown = _local_time(value) or value
    else:
        shown = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return shown if len(shown) <= VALUE_CHARS else shown[: VALUE_CHARS - 1] + "…"


def diff_rows(before: object, after: object) -> list[DiffRow]:
    """One row per key in either side; values that are not objects compare as one row."""
    if before is None and after is None:
        return []
    if not isinstance(before, Mapping | type(None)) or not isinstance(after, Mapping | type(None)):
        return [DiffRow("value", show(before), show(after))]
    old: Mapping[str, object] = before or {}
    new: Mapping[str, object] = after or {}
    keys = list(old) + [key for key in new if key not in old]
    return [
        DiffRow(
            str(key),
            show(old[key]) if key in old else "–",
            show(new[key]) if key in new else "–",
        )
        for key in keys
    ]


def data_items(data: object) -> list[tuple[str, str]]:
    if isinstance(data, Mapping):
        return [(str(key), show(value)) for key, value in data.items()]
    return [] if data in (None, "", [], {}) else [("data", show(data))]


def target_label(event: AuditEvent, channel_names: Mapping[int, str]) -> str:
    """ "Comment #850" or "Exampleshire County Council (Facebook)", not "comment 1001_850 on 1".

    Stored events are never rewritten (the hash chain covers them); this is only how the page
    reads them. A comment is named by its number in the console (its item page's), since its
    platform id means nothing to a person and its text is personal data; its channel is in the
    next column.
    """
    if event.target_type == "moderation.comment" and event.target_id:
        return f"Comment #{event.target_id}"
    if event.target_type == "moderation.channel" and event.target_id.isdigit():
        return channel_names.get(int(event.target_id), event.target_repr)
    return event.target_repr or event.target_id


def page_of(
    events: QuerySet[AuditEvent],
    *,
    before: int | None,
    after: int | None,
    channel_names: Mapping[int, str],
    size: int = PAGE_SIZE,
) -> AuditPage:
    """Newest first. ``after`` walks towards newer events, ``before`` towards older ones."""
    if after is not None:
        found = list(events.filter(id__gt=after).order_by("id")[: size + 1])
        newer = len(found) > size
        found = found[:size][::-1]
        older = True
    else:
        if before is not None:
            events = events.filter(id__lt=before)
        found = list(events.order_by("-id")[: size + 1])
        older = len(found) > size
        found = found[:size]
        newer = before is not None
    rows = [
        AuditRow(
            event=event,
            channel_name=channel_names.get(event.channel_id, "") if event.channel_id else "",
            diff=diff_rows(event.before, event.after),
            data=data_items(event.data),
            target=target_label(event, channel_names),
        )
        for event in found
    ]
    return AuditPage(
        rows=rows,
        newer_than=found[0].pk if found and newer else None,
        older_than=found[-1].pk if found and older else None,
    )
