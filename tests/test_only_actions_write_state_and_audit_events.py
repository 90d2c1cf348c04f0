"""Only actions write state that matters, and only actions (and the audit log itself) record
audit events: a write or a ``record(…)`` anywhere else is found here.

What is written outside an actions module is bookkeeping that no person decides and no audit
event would explain; each such module is named below with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "moderation", "rules", "smpolicy")
WRITES = {
    "create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_create",
    "bulk_update",
    "delete",
}
BOOKKEEPING = {
    # The audit log and its checkpoints: what every action writes through.
    "accounts/audit.py": "the audit log",
    # Counters of an outside classifier's daily budget and last failure, for the status page.
    "moderation/classifiers/scoring.py": "classifier usage counters",
    # When the scheduler last enqueued a channel's poll, so it is not enqueued every tick.
    "moderation/jobs.py": "the scheduler's last enqueue time",
    # Each process says it is alive, for the status page.
    "moderation/scheduler.py": "service heartbeats",
    # Bulk insert and update helpers, called only by actions inside their own transaction.
    "moderation/bulk.py": "write helpers of the ingest and evaluation actions",
}


def _manager_chain(node: ast.expr) -> bool:
    """Whether a call's receiver goes through a model manager (``X.objects…``)."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("record", "record_many"):
            found.append(f"{func.id}() at line {node.lineno}")
        elif isinstance(func, ast.Attribute) and func.attr in WRITES and _manager_chain(func.value):
            found.append(f".{func.attr}() at line {node.lineno}")
    return found


def _outside_actions() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if not {"actions", "migrations", "emulator"} & set(path.parts) and path.name != "actions.py"
    ]


def test_nothing_outside_an_actions_module_writes_or_records_except_named_bookkeeping() -> None:
    strays = {
        str(path.relative_to(ROOT)): writes
        for path in _outside_actions()
        if str(path.relative_to(ROOT)) not in BOOKKEEPING and (writes := _writes(path))
    }
    assert strays == {}


def test_every_named_bookkeeping_module_still_writes_something() -> None:
    assert all(_writes(ROOT / name) for name in BOOKKEEPING)
