"""The project's modules import each other one way: no cycles, and no imports hidden in functions.

A cycle "works" only while each import happens to run after the names it needs exist; moving one
line breaks it. Jobs are enqueued by dotted path so that actions never import jobs, and the few
imports that must wait until a function runs say why in a comment on the line above.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "moderation", "rules", "smpolicy")
SKIPPED_FOLDERS = {"migrations", "tests", "__pycache__"}
MAX_FUNCTION_LEVEL_IMPORTS = 5


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts):
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
        for inner in ast.walk(node)
    }


def _imported(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        base = ".".join([*parts, base] if base else parts)
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def _graph() -> tuple[dict[str, set[str]], list[tuple[Path, int]]]:
    modules = _modules()
    edges: dict[str, set[str]] = {name: set() for name in modules}
    in_functions: list[tuple[Path, int]] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        nested = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            for inner in ast.walk(node)
            if inner is not node
        }
        type_checking = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets = {
                target
                for imported in _imported(node, package)
                if imported.split(".")[0] in APPS
                and (target := _resolve(imported, modules)) not in (None, name)
            }
            if not targets:
                continue
            if id(node) in nested:
                in_functions.append((path, node.lineno))
            elif id(node) not in type_checking:
                edges[name] |= {t for t in targets if t is not None}
    return edges, in_functions


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other (strongly connected components, Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in list(edges):
        if module not in index:
            visit(module)
    return groups


def test_no_modules_import_each_other_in_a_cycle() -> None:
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_the_checker_finds_a_cycle_when_there_is_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_inside_functions_are_few_and_each_says_why() -> None:
    _, in_functions = _graph()
    unexplained = [
        f"{path.relative_to(ROOT)}:{line}"
        for path, line in in_functions
        if not path.read_text(encoding="utf-8").splitlines()[line - 2].strip().startswith("#")
    ]
    assert len(set(in_functions)) <= MAX_FUNCTION_LEVEL_IMPORTS
    assert unexplained == []


# DESIGN.md's layering: which of the project's apps each app may import (besides itself).
MAY_IMPORT = {
    "accounts": set(),
    "rules": {"accounts"},
    "moderation": {"accounts", "rules"},
    "smpolicy": {"accounts", "rules", "moderation"},
}
# The project's plumbing, which any app may use: the queue set-up, the environment, the cache.
SHARED = {"smpolicy.queue", "smpolicy.env", "smpolicy.cache"}


def test_each_app_imports_only_the_apps_below_it() -> None:
    edges, _ = _graph()
    crossing = sorted(
        f"{module} imports {target}"
        for module, targets in edges.items()
        for target in targets
        if (app := module.split(".")[0]) != (other := target.split(".")[0])
        and other not in MAY_IMPORT[app]
        and target not in SHARED
    )
    assert crossing == []
