"""What a version changes in its rule set, for people to read before and after publishing.

``rules.actions.version_diff`` says which rules were added, removed and changed; this module turns
that into what an admin or a committee needs to see: every parameter of an added or removed rule
(each word of a list, the whole pattern, a detector's options), each changed field with a word
list's words added and removed, and the detector settings key by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.actions import RULE_FIELDS, version_diff
from rules.models import Rule, RuleSetVersion

State = RuleSetVersion.State


@dataclass(frozen=True)
class Parameter:
    label: str
    value: str = ""
    words: tuple[str, ...] = ()  # a word list, shown one word at a time


@dataclass(frozen=True)
class RuleShown:
    rule: Rule
    parameters: list[Parameter]


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any
    words_added: tuple[str, ...] = ()
    words_removed: tuple[str, ...] = ()

    @property
    def is_word_list(self) -> bool:
        return bool(self.words_added or self.words_removed)

    @property
    def other_parameters(self) -> tuple[Any, Any] | None:
        """A word list's other options (old, new), when they changed alongside its words."""
        if not (self.is_word_list and isinstance(self.old, dict) and isinstance(self.new, dict)):
            return None
        old = {k: v for k, v in self.old.items() if k != "words"}
        new = {k: v for k, v in self.new.items() if k != "words"}
        return (old, new) if old != new else None


@dataclass(frozen=True)
class RuleChanged:
    key: str
    rule: Rule | None
    fields: list[FieldChange]


@dataclass(frozen=True)
class SettingChange:
    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Changes:
    version: RuleSetVersion
    base: RuleSetVersion | None  # what it is compared with (None: the rule set's first)
    added: list[RuleShown] = field(default_factory=list)
    removed: list[RuleShown] = field(default_factory=list)
    changed: list[RuleChanged] = field(default_factory=list)
    settings: list[SettingChange] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.changed or self.settings)


# Options by the words of the rule's form; others by their name in plain words.
OPTION_LABELS = {
    "whole_word": "Match whole words only",
    "flags": "Pattern flags",
    "needs_model": "Counts only where the learned model agrees",
    "skip_reported": "Not when the comment reports or quotes the words",
}


def _option_label(name: str) -> str:
    return OPTION_LABELS.get(name) or name.replace("_", " ").capitalize()


def _option_value(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def parameters(rule: Rule) -> list[Parameter]:
    """Everything a rule looks for, in full (the version page's summary stops at eight words)."""
    params = rule.params if isinstance(rule.params, dict) else {}
    shown = []
    if rule.kind == "words":
        shown.append(Parameter("Words", words=tuple(str(w) for w in params.get("words", []))))
    elif rule.kind == "regex":
        shown.append(Parameter("Pattern", str(params.get("pattern", ""))))
    else:
        shown.append(Parameter("Detector", str(params.get("detector", "?"))))
    for name, value in params.items():
        if name in ("words", "pattern", "detector"):
            continue
        if isinstance(value, list):
            shown.append(Parameter(_option_label(name), words=tuple(str(v) for v in value)))
        else:
            shown.append(Parameter(_option_label(name), _option_value(value)))
    return shown


def base_of(version: RuleSetVersion) -> RuleSetVersion | None:
    """A draft is compared with the live version; a published one with the version it replaced
    (versions published before that was recorded: the one published before it)."""
    if version.state == State.DRAFT:
        return version.ruleset.versions.filter(state=State.LIVE).first()
    if version.compared_with_id is not None:
        return version.compared_with
    return (
        version.ruleset.versions.filter(number__lt=version.number, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def _word_changes(old: Any, new: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return (), ()
    old_words, new_words = old.get("words"), new.get("words")
    if not (isinstance(old_words, list) and isinstance(new_words, list)):
        return (), ()
    before, after = set(map(str, old_words)), set(map(str, new_words))
    return tuple(sorted(after - before)), tuple(sorted(before - after))


def describe_changes(version: RuleSetVersion) -> Changes:
    base = base_of(version)
    diff = version_diff(base, version)
    new_rules = {r.key: r for r in version.rules.all()}
    old_rules = {r.key: r for r in base.rules.all()} if base else {}
    changed = []
    for key, fields in sorted(diff["changed"].items()):
        shown = []
        for name in RULE_FIELDS:
            if name not in fields:
                continue
            old, new = fields[name]["old"], fields[name]["new"]
            added, removed = _word_changes(old, new) if name == "params" else ((), ())
            shown.append(FieldChange(name, old, new, added, removed))
        changed.append(RuleChanged(key, new_rules.get(key), shown))
    old_settings = dict(base.settings) if base else {}
    new_settings = dict(version.settings)
    settings = [
        SettingChange(key, old_settings.get(key), new_settings.get(key))
        for key in sorted(old_settings.keys() | new_settings.keys())
        if old_settings.get(key) != new_settings.get(key)
    ]
    return Changes(
        version=version,
        base=base,
        added=[RuleShown(new_rules[k], parameters(new_rules[k])) for k in diff["added"]],
        removed=[RuleShown(old_rules[k], parameters(old_rules[k])) for k in diff["removed"]],
        changed=changed,
        settings=settings,
    )
