"""Every dependency is pinned with hashes in a lock file made from pyproject.toml (`make lock`),
and CI, `make install` and the Docker image install from it with --require-hashes, so a
package swapped on the index, or a surprise new release, cannot slip into a build."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ \\]+)")


def check_lock():
    spec = importlib.util.spec_from_file_location("check_lock", ROOT / ".ci" / "check_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pinned_package_carries_a_hash(lock: str) -> None:
    text = (ROOT / lock).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1])
    pins = [entry for entry in entries if PIN.match(entry)]
    assert len(pins) > 20
    for entry in pins:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_locks_match_pyproject() -> None:
    assert check_lock().problems(ROOT) == []


def test_a_dependency_missing_from_the_lock_is_named(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml")
        .read_text()
        .replace('"orjson>=3.10,<4",', '"orjson>=3.10,<4",\n    "scikit-learn>=1.5",')
        .replace('"django-axes>=8.3,<9"', '"django-axes>=99"')
    )
    for lock in ("requirements.lock", "requirements-dev.lock"):
        (tmp_path / lock).write_text((ROOT / lock).read_text())
    problems = "\n".join(check_lock().problems(tmp_path))
    assert "scikit-learn" in problems
    assert "django-axes" in problems


@pytest.mark.parametrize(
    ("path", "lock"),
    [
        ("Dockerfile", "requirements.lock"),
        ("Makefile", "requirements-dev.lock"),
    ],
)
def test_installs_use_the_lock_with_hashes(path: str, lock: str) -> None:
    text = (ROOT / path).read_text()
    assert f"--require-hashes -r {lock}" in text
    assert "--no-deps" in text


def test_ci_installs_through_make_and_checks_the_lock() -> None:
    text = (ROOT / ".ci" / "run").read_text()
    assert "make install" in text
    assert "make lock-check" in text
