"""Is each lock file up to date with pyproject.toml? Exits 1 naming what is missing or stale.

`requirements.lock` must pin every runtime dependency, and `requirements-dev.lock` every runtime
and dev dependency, at a version each requirement in pyproject.toml allows. (It does not re-solve
the whole tree: `make lock` does, with uv.) Run by CI as `make lock-check`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\;]+)", re.M)


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock.read_text())}


def problems(root: Path) -> list[str]:
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project.get("optional-dependencies", {}).get("dev", [])]
    found = []
    for lock, requirements in (
        ("requirements.lock", runtime),
        ("requirements-dev.lock", runtime + dev),
    ):
        pinned = pins(root / lock)
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            version = pinned.get(name)
            if version is None:
                found.append(f"{lock}: {requirement.name} is not in it")
            elif not requirement.specifier.contains(version, prereleases=True):
                found.append(f"{lock}: {name}=={version} does not satisfy {requirement}")
    return found


def main() -> int:
    found = problems(Path(__file__).resolve().parents[1])
    if found:
        print("The lock files are out of date with pyproject.toml:", file=sys.stderr)
        for problem in found:
            print(f"  {problem}", file=sys.stderr)
        print("Run `make lock` and commit both lock files.", file=sys.stderr)
        return 1
    print("Lock files match pyproject.toml.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
