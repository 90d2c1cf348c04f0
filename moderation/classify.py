"""Classifying a stream of texts with the live rule set, without touching the database's data.

`manage.py classify` reads JSON Lines from stdin and writes one JSON line per input, in order,
holding only one line (and a bounded repetition window) in memory at a time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import IO, Any

from django.db import DatabaseError

from moderation.models import Organisation
from rules.compile import compiled_version, spec_for_version
from rules.engine import (
    CompiledRuleSet,
    Match,
    RepetitionTracker,
    RuleSetSpec,
    compile_ruleset,
    default_ruleset_spec,
)
from rules.engine.types import categories_of
from rules.models import RuleSet, RuleSetVersion


class UnknownRuleSet(LookupError):
    pass


def without_learned_stage(spec: RuleSetSpec) -> RuleSetSpec:
    """The same rule set with the learned stage switched off: the rules alone."""
    model = spec.settings.get("model")
    block = dict(model) if isinstance(model, dict) else {}
    return replace(spec, settings={**spec.settings, "model": {**block, "enabled": False}})


def load_live_ruleset(
    name: str | None = None, *, learned: bool = True
) -> tuple[CompiledRuleSet, str]:
    """The live version of the named (or default) rule set, compiled; and a description.
    ``learned`` False switches the learned stage off whatever the version's settings say."""
    try:
        query = (
            RuleSet.objects.filter(name=name) if name else RuleSet.objects.filter(is_default=True)
        )
        ruleset = query.first()
        if ruleset is None:
            if name:
                known = ", ".join(RuleSet.objects.values_list("name", flat=True)) or "none"
                raise UnknownRuleSet(f"No rule set called {name!r} (known: {known}).")
            raise UnknownRuleSet("There is no default rule set.")
        version = ruleset.versions.filter(state=RuleSetVersion.State.LIVE).first()
        if version is None:
            raise UnknownRuleSet(f"Rule set {ruleset.name!r} has no live version.")
        org_settings = Organisation.current().engine_settings()
        description = f"{ruleset.name} v{version.number}"
        if not learned:
            spec = without_learned_stage(spec_for_version(version, org_settings))
            return compile_ruleset(spec), f"{description}, rules only"
        return compiled_version(version, org_settings), description
    except DatabaseError:
        if name:
            raise
        # The database is not migrated yet: the built-in policy is what migration would install.
        spec = default_ruleset_spec()
        if not learned:
            spec = without_learned_stage(spec)
        return compile_ruleset(spec), f"{spec.name} v{spec.version} (built in; database not ready)"


def classify_lines(lines: Iterable[str], compiled: CompiledRuleSet) -> Iterator[dict[str, Any]]:
    tracker = RepetitionTracker()
    for raw in lines:
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield {
                "id": None,
                "error": f"not valid JSON: {error.msg if hasattr(error, 'msg') else error}",
            }
            continue
        if not isinstance(item, dict):
            yield {"id": None, "error": "each line must be a JSON object with an id and a text"}
            continue
        text = item.get("text")
        if not isinstance(text, str):
            yield {"id": item.get("id"), "error": "the line has no text string"}
            continue
        author = item.get("author")
        author = author if isinstance(author, str) else ""
        context = tracker.context_for(text, author)
        matches = compiled.evaluate(text, context)
        tracker.remember(text, author)
        yield {
            "id": item.get("id"),
            "categories": sorted(categories_of(matches)),
            "matches": [_match_json(m) for m in matches],
        }


def _match_json(match: Match) -> dict[str, Any]:
    """One match as a JSON object; a learned-stage match adds its score and terms."""
    found: dict[str, Any] = {
        "rule": match.rule_key,
        "category": match.category,
        "severity": match.severity,
        "outcome": match.outcome,
        "route": match.route,
        "detector": match.detector,
        "spans": [list(s) for s in match.spans],
    }
    if match.signal:
        found["signal"] = match.signal  # a campaign: in no category
    if match.score is not None:
        found["score"] = match.score
        found["terms"] = list(match.terms)
    return found


def run(lines: Iterable[str], stdout: IO[str], compiled: CompiledRuleSet) -> int:
    count = 0
    for result in classify_lines(lines, compiled):
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        count += 1
        if count % 1000 == 0:
            stdout.flush()
    stdout.flush()
    return count


def reader(stream: IO[bytes]) -> Iterator[str]:
    """Decode line by line, so one badly encoded line cannot stop the rest."""
    for raw in stream:
        yield raw.decode("utf-8", errors="replace")


def stdin_lines() -> Iterator[str]:
    return reader(sys.stdin.buffer)
