"""A form field whose text a person sees again (a test box after the test, a reply box filled
from a template, a template or a name being edited, a search box): direction controls (U+202E …) are
shown as their visible tokens, as every page shows them (``rules.names``), so the text in the
box is not reordered on screen, and the tokens are read back as the controls when the form is
sent, so testing again, saving unchanged or sending keeps exactly what was typed or stored.
The ``data-visible-controls`` attribute lets ``static/js/visible-controls.js`` do the same
while a person types or pastes."""

from __future__ import annotations

from typing import Any

from django import forms

from rules.names import neutralise_bidi, restore_bidi


class VisibleControls(forms.Field):
    """Mixed into a text field (before it): the box shows tokens, and reads them back."""

    def prepare_value(self, value: Any) -> Any:
        value = super().prepare_value(value)
        return neutralise_bidi(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> Any:
        return super().to_python(restore_bidi(value) if isinstance(value, str) else value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "data-visible-controls": ""}


class VisibleControlsCharField(VisibleControls, forms.CharField):
    pass
