"""The one thing the reports area records: who downloaded an export, and of what.

Reading a page changes nothing, but an export takes personal data (authors, officers' names, the
audit trail itself) out of the console, so accountability asks that it leave a trace.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from accounts.audit import Actor, record

EXPORT_KINDS = ("audit_log", "report")


@transaction.atomic
def do_record_export(kind: str, filters: Mapping[str, str], *, actor: Actor) -> None:
    if kind not in EXPORT_KINDS:
        raise ValueError(f"Unknown export {kind!r}.")
    record(
        "moderation.export.downloaded",
        actor=actor,
        target_repr=f"{kind.replace('_', ' ')} as CSV",
        data={"export": kind, "filters": dict(filters)},
    )
