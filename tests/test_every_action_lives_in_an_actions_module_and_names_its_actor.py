"""Every change of state is a `do_…(…, actor=…)` function in an app's actions module.

So a reader finds every write in one place per app, every audit event says who acted, and the
audit test (`test_every_action_records_an_audit_event.py`) sees every action.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from tests.test_every_action_records_an_audit_event import action_modules, discovered_actions

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "moderation", "rules", "smpolicy")


def _is_actions_module(path: Path) -> bool:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return "actions" in parts


def test_no_do_function_lives_outside_an_actions_module() -> None:
    strays = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and not _is_actions_module(path)
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("do_")
    ]
    assert strays == []


def test_every_action_takes_its_actor_by_keyword() -> None:
    functions = {
        f"{module.__name__}.{name}": function
        for module in action_modules()
        for name, function in vars(module).items()
        if f"{module.__name__}.{name}" in discovered_actions()
    }
    without_actor = sorted(
        name
        for name, function in functions.items()
        if (parameter := inspect.signature(function).parameters.get("actor")) is None
        or parameter.kind is not inspect.Parameter.KEYWORD_ONLY
        or parameter.default is not inspect.Parameter.empty
    )
    assert functions
    assert without_actor == []
