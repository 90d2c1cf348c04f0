"""`make demo` serves on DEMO_PORT (default 8000) and points PUBLIC_URL at the same address, so a
second demo on a shared machine is one variable away; EMULATOR_PORT moves the platform emulator."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _demo_commands(**env: str) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is needed to check the Makefile")
    base = {k: v for k, v in os.environ.items() if k not in ("DEMO_PORT", "EMULATOR_PORT")}
    # -n prints the commands without running them; the install step is made to look done.
    done = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "demo"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_by_default_the_demo_serves_on_8000() -> None:
    commands = _demo_commands()
    assert "run_demo --addr 127.0.0.1:8000" in commands
    assert "PUBLIC_URL=http://127.0.0.1:8000 " in commands
    assert "PLATFORM_BASE_URL=http://127.0.0.1:8765 " in commands


def test_demo_port_moves_the_address_and_the_public_url() -> None:
    commands = _demo_commands(DEMO_PORT="8123", EMULATOR_PORT="8823")
    assert "run_demo --addr 127.0.0.1:8123" in commands
    assert "PUBLIC_URL=http://127.0.0.1:8123 " in commands
    assert "PLATFORM_BASE_URL=http://127.0.0.1:8823 " in commands
    assert ":8000" not in commands and ":8765" not in commands
