"""Audited changes to rule sets: drafts, edits, publishing, scheduling.

A published version never changes. Editing starts a draft copied from the live version;
publishing makes the draft live (archiving the old live version) or shadow (recorded alongside
the live version without applying outcomes), and records the diff between the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from rules.engine import CATEGORIES, OUTCOMES, ROUTES, validate_rule
from rules.models import MAX_SEVERITY, MIN_SEVERITY, Rule, RuleSet, RuleSetVersion

RULE_FIELDS = (
    "name",
    "category",
    "severity",
    "outcome",
    "route",
    "kind",
    "params",
    "enabled",
    "explanation",
)


class RuleInvalid(ValueError):
    """A rule an admin tried to save cannot work; the message says why."""


def rule_snapshot(rule: Rule) -> dict[str, Any]:
    return {"key": rule.key, **{f: getattr(rule, f) for f in RULE_FIELDS}}


def _severity_allowed(severity: object) -> bool:
    """A whole number within the model field's bounds (its validators)."""
    if not isinstance(severity, int):
        return False
    try:
        Rule._meta.get_field("severity").run_validators(severity)
    except ValidationError:
        return False
    return True


def check_rule_fields(fields: Mapping[str, Any]) -> None:
    if fields.get("category") not in CATEGORIES:
        raise RuleInvalid(f"Unknown category {fields.get('category')!r}.")
    if fields.get("outcome") not in OUTCOMES:
        raise RuleInvalid(f"Unknown outcome {fields.get('outcome')!r}.")
    if fields.get("outcome") in ("escalate", "route") and fields.get("route") not in ROUTES:
        raise RuleInvalid("An escalating or routing rule needs a route.")
    if not _severity_allowed(fields.get("severity")):
        raise RuleInvalid(f"Severity is a whole number from {MIN_SEVERITY} to {MAX_SEVERITY}.")
    errors = validate_rule(str(fields.get("kind")), fields.get("params") or {})
    if errors:
        raise RuleInvalid(" ".join(errors))


def _actor_user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


@transaction.atomic
def do_create_ruleset(
    *, name: str, description: str = "", actor: Actor
) -> tuple[RuleSet, RuleSetVersion]:
    ruleset = RuleSet.objects.create(name=name, description=description)
    draft = RuleSetVersion.objects.create(ruleset=ruleset, number=1, created_by=_actor_user(actor))
    record("rules.ruleset.created", actor=actor, target=ruleset, after={"name": name})
    return ruleset, draft


@transaction.atomic
def do_start_draft(ruleset: RuleSet, *, actor: Actor) -> RuleSetVersion:
    """The rule set's draft, created from its live (or latest) version if there is none."""
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    existing = ruleset.versions.filter(state=RuleSetVersion.State.DRAFT).first()
    if existing is not None:
        return existing
    source = (
        ruleset.versions.filter(state=RuleSetVersion.State.LIVE).first()
        or ruleset.versions.order_by("-number").first()
    )
    number = (ruleset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = RuleSetVersion.objects.create(
        ruleset=ruleset,
        number=number,
        settings=source.settings if source else {},
        created_by=_actor_user(actor),
    )
    if source is not None:
        Rule.objects.bulk_create(
            Rule(
                version=draft,
                key=r.key,
                position=r.position,
                **{f: getattr(r, f) for f in RULE_FIELDS},
            )
            for r in source.rules.all()
        )
    record(
        "rules.version.drafted",
        actor=actor,
        target=draft,
        data={"from_version": source.number if source else None},
    )
    return draft


def _require_draft(version: RuleSetVersion) -> None:
    if not version.is_editable:
        raise RuleInvalid(f"Version {version.number} is {version.state}: only a draft can change.")


@transaction.atomic
def do_save_rule(
    version: RuleSetVersion, *, key: str, fields: Mapping[str, Any], actor: Actor
) -> Rule:
    """Add a rule to a draft, or change the draft's rule with this key."""
    _require_draft(version)
    check_rule_fields(fields)
    rule = version.rules.filter(key=key).first()
    before = rule_snapshot(rule) if rule else None
    if rule is None:
        position = (version.rules.aggregate(p=Max("position"))["p"] or 0) + 1
        rule = Rule(version=version, key=key, position=position)
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    rule.full_clean(exclude=["version"])
    rule.save()
    record(
        "rules.rule.saved",
        actor=actor,
        target=rule,
        before=before,
        after=rule_snapshot(rule),
        data={"version": version.number, "ruleset": version.ruleset.name},
    )
    return rule


@transaction.atomic
def do_delete_rule(rule: Rule, *, actor: Actor) -> None:
    _require_draft(rule.version)
    before = rule_snapshot(rule)
    target_repr = str(rule)
    rule.delete()
    record("rules.rule.deleted", actor=actor, target_repr=target_repr, before=before)


@transaction.atomic
def do_save_version_settings(
    version: RuleSetVersion, settings: Mapping[str, Any], *, actor: Actor
) -> None:
    _require_draft(version)
    before = dict(version.settings)
    version.settings = dict(settings)
    version.save(update_fields=["settings"])
    record(
        "rules.version.settings_saved",
        actor=actor,
        target=version,
        before=before,
        after=version.settings,
    )


def version_diff(old: RuleSetVersion | None, new: RuleSetVersion) -> dict[str, Any]:
    """Rules added, removed and changed (field by field) between two versions."""
    old_rules = {r.key: rule_snapshot(r) for r in old.rules.all()} if old else {}
    new_rules = {r.key: rule_snapshot(r) for r in new.rules.all()}
    changed = {}
    for key in old_rules.keys() & new_rules.keys():
        fields = {
            f: {"old": old_rules[key][f], "new": new_rules[key][f]}
            for f in RULE_FIELDS
            if old_rules[key][f] != new_rules[key][f]
        }
        if fields:
            changed[key] = fields
    return {
        "added": sorted(new_rules.keys() - old_rules.keys()),
        "removed": sorted(old_rules.keys() - new_rules.keys()),
        "changed": changed,
        "settings_changed": bool(old and old.settings != new.settings),
    }


@transaction.atomic
def do_publish_version(
    version: RuleSetVersion, *, actor: Actor, shadow: bool = False, note: str = ""
) -> dict[str, Any]:
    """Freeze a draft as live (archiving the previous live version) or as shadow."""
    version = RuleSetVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    for rule in version.rules.all():
        check_rule_fields(rule_snapshot(rule))
    live = version.ruleset.versions.filter(state=RuleSetVersion.State.LIVE).first()
    diff = version_diff(live, version)
    if shadow:
        version.ruleset.versions.filter(state=RuleSetVersion.State.SHADOW).update(
            state=RuleSetVersion.State.ARCHIVED
        )
        version.state = RuleSetVersion.State.SHADOW
    else:
        if live is not None:
            live.state = RuleSetVersion.State.ARCHIVED
            live.save(update_fields=["state"])
        version.state = RuleSetVersion.State.LIVE
    version.published_by = _actor_user(actor)
    version.published_at = timezone.now()
    version.note = note[:300]
    version.compared_with = live
    version.save(update_fields=["state", "published_by", "published_at", "note", "compared_with"])
    record(
        "rules.version.published",
        actor=actor,
        target=version,
        before={"live_version": live.number if live else None},
        after={"state": version.state, "version": version.number},
        data={"diff": diff, "note": note},
    )
    return diff


@transaction.atomic
def do_schedule_ruleset(
    ruleset: RuleSet,
    *,
    active_from: dt.datetime | None,
    active_until: dt.datetime | None,
    actor: Actor,
) -> None:
    if active_from and active_until and active_until <= active_from:
        raise RuleInvalid("The period must end after it starts.")
    before = {"active_from": ruleset.active_from, "active_until": ruleset.active_until}
    ruleset.active_from, ruleset.active_until = active_from, active_until
    ruleset.save(update_fields=["active_from", "active_until"])
    record(
        "rules.ruleset.scheduled",
        actor=actor,
        target=ruleset,
        before=before,
        after={"active_from": active_from, "active_until": active_until},
    )
