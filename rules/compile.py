"""From rule rows to a compiled engine, and which versions are in force for a channel.

Compiling is done once per (version, organisation settings) and kept in memory: published versions
never change, so a cached compilation can never go stale. A draft can change, so its compilation
is kept under a digest of the whole spec (every rule and setting): any change compiles it afresh.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import Q

from rules.engine import CompiledRuleSet, RuleSetSpec, RuleSpec, compile_ruleset
from rules.models import Rule, RuleSet, RuleSetVersion

_CACHE: OrderedDict[tuple[int, str], CompiledRuleSet] = OrderedDict()
_CACHE_SIZE = 32


def spec_for_version(
    version: RuleSetVersion, org_settings: Mapping[str, Any] | None = None
) -> RuleSetSpec:
    rules = version.rules.all() if version.pk else Rule.objects.none()
    return RuleSetSpec(
        name=version.ruleset.name,
        version=version.number,
        rules=tuple(
            RuleSpec(
                key=r.key,
                name=r.name,
                category=r.category,
                severity=r.severity,
                outcome=r.outcome,
                kind=r.kind,
                params=r.params,
                route=r.route,
                rule_id=r.pk,
                enabled=r.enabled,
                explanation=r.explanation,
            )
            for r in rules
        ),
        settings={**(org_settings or {}), **version.settings},
    )


def _settings_digest(org_settings: Mapping[str, Any] | None) -> str:
    raw = json.dumps(org_settings or {}, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _spec_digest(spec: RuleSetSpec) -> str:
    raw = json.dumps(dataclasses.asdict(spec), sort_keys=True, default=str)
    return "draft:" + hashlib.sha256(raw.encode()).hexdigest()


def compiled_version(
    version: RuleSetVersion, org_settings: Mapping[str, Any] | None = None
) -> CompiledRuleSet:
    spec = spec_for_version(version, org_settings) if version.is_editable else None
    key = (version.pk, _spec_digest(spec) if spec else _settings_digest(org_settings))
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    compiled = compile_ruleset(spec or spec_for_version(version, org_settings))
    _CACHE[key] = compiled
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return compiled


def default_ruleset() -> RuleSet | None:
    return RuleSet.objects.filter(is_default=True).first()


def versions_in_force(
    ruleset: RuleSet | None, at: datetime
) -> tuple[list[RuleSetVersion], list[RuleSetVersion]]:
    """(versions whose outcomes apply, shadow versions recorded only) for a channel's rule set.

    A scheduled rule set (``active_from``/``active_until``, e.g. the pre-election period) applies on
    top of the channel's own set while its period lasts.
    """
    chosen = ruleset or default_ruleset()
    scheduled = RuleSet.objects.filter(
        Q(active_from__isnull=False) | Q(active_until__isnull=False)
    ).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=at),
        Q(active_until__isnull=True) | Q(active_until__gt=at),
    )
    set_ids = {s.pk for s in scheduled}
    if chosen is not None:
        set_ids.add(chosen.pk)
    versions = list(
        RuleSetVersion.objects.filter(
            ruleset_id__in=set_ids,
            state__in=[RuleSetVersion.State.LIVE, RuleSetVersion.State.SHADOW],
        )
        .select_related("ruleset")
        .prefetch_related("rules")
    )
    live = [v for v in versions if v.state == RuleSetVersion.State.LIVE]
    shadow = [v for v in versions if v.state == RuleSetVersion.State.SHADOW]
    return live, shadow
