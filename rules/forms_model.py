"""The learned stage's settings as form fields of a draft's detector settings: switched on or
off, and a threshold per category (``settings["model"]``, docs/rules-engine.md).

Each field's hint gives the model file's default threshold and the validation precision it
showed there, so an admin can see what a change risks before testing and backtesting it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from rules.engine.learned.stage import CATEGORY_POLICY, load_model, validate_model_settings

THRESHOLD_PREFIX = "threshold_"


def _metadata() -> Mapping[str, Any]:
    model = load_model()
    return model.metadata if model is not None else {}


def add_model_fields(form: forms.Form, settings: Mapping[str, Any]) -> None:
    block = settings.get("model") if isinstance(settings.get("model"), Mapping) else {}
    assert isinstance(block, Mapping)
    thresholds = block.get("thresholds") if isinstance(block.get("thresholds"), Mapping) else {}
    assert isinstance(thresholds, Mapping)
    metadata = _metadata()
    defaults = metadata.get("thresholds", {})
    precision = metadata.get("out_of_fold_precision", {})
    form.fields["model_enabled"] = forms.BooleanField(
        label="Use the learned classifiers",
        required=False,
        initial=block.get("enabled") is True,
        help_text="They catch paraphrase the rules miss. A model flag goes to review (or to "
        "its team) unless cross-validation showed precision of 0.95 or more.",
    )
    for category, (label, *_rest) in CATEGORY_POLICY.items():
        default = defaults.get(category)
        shown = f"{default:g}" if isinstance(default, int | float) and default <= 1 else "never"
        hint = f"Default {shown}"
        if category in precision:
            hint += f"; cross-validated precision {precision[category]:.2f} at the default"
        form.fields[THRESHOLD_PREFIX + category] = forms.FloatField(
            label=f"Threshold: {label} ({category.replace('_', ' ')})",
            required=False,
            min_value=0.01,
            max_value=1.0,
            initial=thresholds.get(category),
            help_text=hint + ". Blank: the default. Higher: fewer, surer flags.",
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        )


def model_block(cleaned: Mapping[str, Any], existing: Mapping[str, Any]) -> dict[str, Any]:
    """``settings["model"]`` from the fields, keeping what they do not cover (outcomes,
    disabled categories) as it was."""
    block = dict(existing) if isinstance(existing, Mapping) else {}
    block["enabled"] = bool(cleaned.get("model_enabled"))
    thresholds = {
        category: float(value)
        for category in CATEGORY_POLICY
        if (value := cleaned.get(THRESHOLD_PREFIX + category)) is not None
    }
    if thresholds:
        block["thresholds"] = thresholds
    else:
        block.pop("thresholds", None)
    return block


def model_problems(settings: Mapping[str, Any]) -> list[str]:
    return validate_model_settings(settings, load_model())
