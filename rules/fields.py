"""A form field whose text a person sees again (a test box after the test, a reply box filled
from a template, a template or a name being edited, a search box): direction controls (U+202E …) are
shown as their visible tokens, as every page shows them (``accounts.names``), so the text in the
box is not reordered on screen, and the tokens are read back as the controls when the form is
sent, so testing again, saving unchanged or sending keeps exactly what was typed or stored.
The ``data-visible-controls`` attribute lets ``static/js/visible-controls.js`` do the same
while a person types or pastes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.names import controls_gained, neutralise_bidi, restore_bidi


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


class OutgoingTextField(VisibleControlsCharField):
    """Text posted to a platform in the organisation's name (a reply, a removal notice, a reply
    template's body): shown with tokens like any box, but it never gains a direction control
    that ``stored`` (the text the box was filled from: the template as filled in, the template
    being edited; set by the form) did not hold. Reading every token back would let an officer
    who types ⟨U+202E⟩, or pastes a hostile comment (shown, and so copied, with tokens), post a
    real override in public; stripping the tokens would send words other than those checked.
    So a token is read back only where the stored text had that control, and anything more is
    refused with a message naming it: the simplest rule that keeps a template's own marks (a
    right-to-left mark in a reply in Urdu) and adds none."""

    stored: str = ""

    def to_python(self, value: Any) -> Any:
        text = forms.CharField.to_python(self, value)
        return restore_bidi(text, within=self.stored) if isinstance(text, str) else text

    def validate(self, value: Any) -> None:
        super().validate(value)
        gained = controls_gained(value or "", self.stored)
        if gained:
            raise ValidationError(
                f"it holds {', '.join(dict.fromkeys(gained))}, standing for a hidden direction "
                "character that was not in the template: posted, it would reorder what people "
                "read. Delete it and send again."
            )
