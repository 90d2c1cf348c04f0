"""The engine stays pure: nothing under rules/engine/ imports Django or the apps built on it."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "rules" / "engine"
FORBIDDEN = ("django", "moderation", "accounts")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_engine_has_modules_to_check() -> None:
    assert len(list(ENGINE.rglob("*.py"))) > 10


def test_no_engine_module_imports_django_moderation_or_accounts() -> None:
    offenders = {
        str(path.relative_to(ENGINE)): sorted(
            module for module in imported_modules(path) if module.split(".")[0] in FORBIDDEN
        )
        for path in ENGINE.rglob("*.py")
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_no_engine_module_imports_the_rules_apps_models() -> None:
    for path in ENGINE.rglob("*.py"):
        modules = imported_modules(path)
        assert not any(
            module.startswith("rules.") and not module.startswith("rules.engine")
            for module in modules
        ), path
