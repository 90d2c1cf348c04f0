"""The council's own domains may be entered as hosts ("services.exampleshire.gov.uk"): the name a
look-alike imitates is the registrable domain's ("exampleshire"), found with the Public Suffix
List, not the first label of whatever was typed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset


def found(text: str, own_domain: str) -> list[tuple[str, str]]:
    rule = RuleSpec(
        key="malicious_link.suspicious_links",
        name="Suspicious links",
        category="malicious_link",
        severity=4,
        outcome="hold",
        kind="detector",
        params={"detector": "malicious_link"},
    )
    spec = RuleSetSpec("test", 1, (rule,), settings={"own_domains": [own_domain]})
    matches = compile_ruleset(spec).evaluate(text)
    return [(match.detector, text[s:e]) for match in matches for s, e in match.spans]


@pytest.mark.parametrize(
    "own_domain",
    ["exampleshire.gov.uk", "www.exampleshire.gov.uk", "services.exampleshire.gov.uk"],
)
def test_an_imitation_of_the_councils_name_is_a_lookalike_however_the_domain_was_entered(
    own_domain: str,
) -> None:
    link = "https://exampleshire-council.com/pay"
    assert found(f"Pay your fine at {link} today.", own_domain) == [("lookalike_domain", link)]


@pytest.mark.parametrize("own_domain", ["www.exampleshire.gov.uk", "exampleshire.co.uk"])
def test_the_councils_own_site_is_never_a_lookalike(own_domain: str) -> None:
    assert found("See https://www.exampleshire.gov.uk/bins for dates", own_domain) == []


def test_the_public_suffix_list_is_the_bundled_one_never_fetched_nor_cached(
    tmp_path: Path,
) -> None:
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs): raise OSError('no network for the rules engine')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from rules.engine.detectors.links import registrable_name\n"
        "print(registrable_name('services.exampleshire.gov.uk'), registrable_name('a.b.co.uk'))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["exampleshire", "b"]
    assert not list(tmp_path.rglob("*"))
