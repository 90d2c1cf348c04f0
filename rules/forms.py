"""Forms for the rule pages. A rule's parameters depend on its kind, so the form has a group of
fields per kind and builds ``params`` from the group the kind selects; the engine's
``validate_rule`` then says, in words, what would not compile."""

from __future__ import annotations

import copy
import json
from typing import Any, ClassVar

from django import forms

from rules.actions import RULE_FIELDS
from rules.changes import OPTION_LABELS
from rules.engine import validate_rule
from rules.engine.compiler import RULE_OPTIONS
from rules.engine.detectors import REGISTRY
from rules.fields import VisibleControlsCharField
from rules.forms_model import add_model_fields, model_block, model_problems
from rules.models import MAX_SEVERITY, MIN_SEVERITY, Rule, RuleSet

DETECTORS = tuple(sorted(REGISTRY))
WORDS_KEYS = {"words", "whole_word"}
REGEX_KEYS = {"pattern", "flags", "view"}


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _json_object(value: str, label: str) -> dict[str, Any]:
    if not (value or "").strip():
        return {}
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            f"{label} is not valid JSON: {error.msg} (line {error.lineno})."
        ) from None
    if not isinstance(parsed, dict):
        raise forms.ValidationError(f'{label} must be a JSON object, like {{"threshold": 3}}.')
    return parsed


class RuleForm(forms.ModelForm):
    """A rule in a draft: the model's own fields, and its ``params`` built from the group of
    fields its kind selects (words, a pattern, or a detector and its options)."""

    # Word or phrase lists
    words = forms.CharField(
        label="Words and phrases",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="One per line. * inside a word matches any ending (scum* matches scumbag). "
        "Matched after undoing disguises: l33t, s p a c e s, look-alike letters.",
    )
    whole_word = forms.BooleanField(label="Match whole words only", required=False, initial=True)
    # Patterns
    pattern = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        help_text="An RE2 regular expression (no backreferences or look-arounds).",
    )
    flags = forms.ChoiceField(
        choices=[("i", "Ignore case"), ("", "Case matters")], required=False, initial="i"
    )
    view = forms.ChoiceField(
        label="Match against",
        choices=[("normalised", "The normalised text"), ("original", "The text as written")],
        required=False,
        initial="normalised",
    )
    # Built-in detectors
    detector = forms.CharField(
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "detector-names"}),
        help_text="One of: " + ", ".join(DETECTORS) + ".",
    )
    detector_options = forms.CharField(
        label="Detector options (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text='e.g. {"kind": "foi"} for statutory requests, {"strict": true} for political.',
    )

    # Options of any kind of rule (rules.engine.compiler.RULE_OPTIONS): how its findings are
    # read beside the other verdicts.
    needs_model = forms.BooleanField(
        label=OPTION_LABELS["needs_model"],
        required=False,
        help_text="Where the learned model judges this category, a finding counts only if the "
        "model flags it too (for the political and hate detectors, only their weak findings: "
        "promotion; slurs mostly used without hate, and anything in a comment that reports or "
        "condemns what is said of a group). Where it does not, the rule decides.",
    )
    skip_reported = forms.BooleanField(
        label=OPTION_LABELS["skip_reported"],
        required=False,
        help_text="A finding does not count where the comment reports or quotes the words "
        "(“someone wrote …”, a quotation, “not acceptable”) or a hate rule flags the same words.",
    )

    class Meta:
        model = Rule
        fields = (
            "key",
            "name",
            "category",
            "severity",
            "outcome",
            "route",
            "kind",
            "enabled",
            "explanation",
        )
        labels: ClassVar[dict[str, str]] = {"enabled": "Enabled"}
        help_texts: ClassVar[dict[str, str]] = {
            "key": "Stable across versions, so statistics follow the rule: e.g. abuse.insults "
            "(lower-case letters, digits, . - _).",
            "severity": "1 (low) to 5 (critical).",
            "route": "Needed when the outcome escalates or routes.",
            "explanation": "Shown to officers: what the policy says about this.",
        }
        widgets: ClassVar[dict[str, Any]] = {"explanation": forms.Textarea(attrs={"rows": 3})}
        # An admin's text, shown with direction controls as tokens and saved as it was.
        field_classes: ClassVar[dict[str, Any]] = {
            "name": VisibleControlsCharField,
            "explanation": VisibleControlsCharField,
        }

    def __init__(
        self, *args: Any, instance: Rule | None = None, editing: bool = False, **kwargs: Any
    ) -> None:
        # Validation writes the typed values onto the instance: keep the caller's one as saved.
        kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]
        # The bounds are the model field's validators; the browser is told them too.
        self.fields["severity"].widget.attrs.update(min=MIN_SEVERITY, max=MAX_SEVERITY)
        if instance is not None:
            self.initial.update(self.param_initial(instance))

    def clean_detector_options(self) -> dict[str, Any]:
        return _json_object(self.cleaned_data.get("detector_options", ""), "Detector options")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") in ("escalate", "route") and not data.get("route"):
            self.add_error("route", "An escalating or routing rule needs a route.")
        kind = data.get("kind")
        if kind and not self.errors:
            params = self.params()
            problems = validate_rule(kind, params)
            for problem in problems:
                field = problem.split(":", 1)[0].strip()
                target = {
                    "words": "words",
                    "whole_word": "whole_word",
                    "pattern": "pattern",
                    "flags": "flags",
                    "view": "view",
                    "detector": "detector",
                }.get(field)
                self.add_error(target if target else None, problem)
        return data

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        chosen = {option: True for option in RULE_OPTIONS if data.get(option)}
        return {**self._kind_params(), **chosen}

    def _kind_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == "words":
            return {
                "words": _lines(data.get("words", "")),
                "whole_word": bool(data.get("whole_word")),
            }
        if kind == "regex":
            params = {"pattern": data.get("pattern", ""), "flags": data.get("flags", "")}
            if data.get("view") == "original":
                params["view"] = "original"
            return params
        options = dict(data.get("detector_options") or {})
        for name in ("detector", *RULE_OPTIONS):  # the boxes above say these
            options.pop(name, None)
        return {"detector": (data.get("detector") or "").strip(), **options}

    def rule_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in RULE_FIELDS if name in data}
        return {**fields, "route": data.get("route") or "", "params": self.params()}

    @staticmethod
    def param_initial(rule: Rule) -> dict[str, Any]:
        """The kind's group of fields, and the options, filled from the rule's ``params``."""
        params = dict(rule.params or {})
        options = {option: params.pop(option, False) is True for option in RULE_OPTIONS}
        return {**options, **RuleForm._kind_initial(rule, params)}

    @staticmethod
    def _kind_initial(rule: Rule, params: dict[str, Any]) -> dict[str, Any]:
        if rule.kind == "words":
            return {
                "words": "\n".join(str(w) for w in params.get("words", [])),
                "whole_word": bool(params.get("whole_word", True)),
            }
        if rule.kind == "regex":
            return {
                "pattern": params.get("pattern", ""),
                "flags": params.get("flags", ""),
                "view": params.get("view", "normalised"),
            }
        detector = params.pop("detector", "")
        return {
            "detector": detector,
            "detector_options": json.dumps(params, indent=2) if params else "",
        }


class VersionSettingsForm(forms.Form):
    """Not a ModelForm: a version's settings are one JSON field (``RuleSetVersion.settings``),
    edited as a list of domains, the learned stage's fields and free JSON for the rest."""

    blocked_domains = forms.CharField(
        label="Blocked domains",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text="One per line. Links to these are treated as malicious.",
    )
    other = forms.CharField(
        label="Other detector settings (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Merged over the organisation's own settings for this version only.",
    )

    def __init__(self, *args: Any, current: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current or {}
        add_model_fields(self, self.current)

    def clean_other(self) -> dict[str, Any]:
        return _json_object(self.cleaned_data.get("other", ""), "Other settings")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for problem in model_problems(self.settings()):
                self.add_error(None, problem)
        return cleaned

    def settings(self) -> dict[str, Any]:
        merged = dict(self.cleaned_data.get("other") or {})
        merged.pop("blocked_domains", None)
        domains = _lines(self.cleaned_data.get("blocked_domains", ""))
        if domains:
            merged["blocked_domains"] = domains
        # A "model" block typed into the JSON keeps its outcomes and disabled categories.
        existing = merged.get("model", self.current.get("model", {}))
        merged["model"] = model_block(self.cleaned_data, existing)
        return merged

    @staticmethod
    def initial_for(settings: dict[str, Any]) -> dict[str, Any]:
        # The learned stage has fields of its own.
        other = {k: v for k, v in settings.items() if k not in ("blocked_domains", "model")}
        return {
            "blocked_domains": "\n".join(str(d) for d in settings.get("blocked_domains", [])),
            "other": json.dumps(other, indent=2, ensure_ascii=False) if other else "",
        }


class PublishForm(forms.Form):
    """What publishing a draft needs to know; the action writes the version's note itself."""

    note = forms.CharField(
        label="What changed, and why",
        max_length=300,
        help_text="Kept with the version and in the audit log.",
    )
    shadow = forms.BooleanField(
        label="Publish as a shadow version: record what it would do next to the live version, "
        "without acting on anything",
        required=False,
    )


class ScheduleForm(forms.ModelForm):
    """When a rule set applies on top of the channels' own (pre-election): the model's period."""

    class Meta:
        model = RuleSet
        fields = ("active_from", "active_until")
        labels: ClassVar[dict[str, str]] = {"active_from": "From", "active_until": "Until"}
        widgets: ClassVar[dict[str, Any]] = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("active_from", "active_until")
        }

    def __init__(self, *args: Any, instance: RuleSet | None = None, **kwargs: Any) -> None:
        # Validation writes the typed values onto the instance: keep the caller's one as saved.
        kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and end <= start:
            self.add_error("active_until", "The period must end after it starts.")
        return data


class RuleSetForm(forms.ModelForm):
    """A new rule set: the model's name (unique) and description."""

    class Meta:
        model = RuleSet
        fields = ("name", "description")
        widgets: ClassVar[dict[str, Any]] = {"description": forms.Textarea(attrs={"rows": 2})}
        field_classes: ClassVar[dict[str, Any]] = {
            "name": VisibleControlsCharField,
            "description": VisibleControlsCharField,
        }
        error_messages: ClassVar[dict[str, dict[str, str]]] = {
            "name": {"unique": "A rule set with this name already exists."}
        }
