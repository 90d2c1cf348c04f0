"""Forms of the on-call contact and allow-list pages: each mirrors its model."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from moderation.models import AllowListEntry, Organisation
from rules.fields import VisibleControlsCharField


class OnCallContactForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("on_call_name", "on_call_email")
        labels = {"on_call_name": "Who is on call", "on_call_email": "Their email address"}
        help_texts = {
            "on_call_name": "A role is best (\u201cDuty manager\u201d), so it stays right as "
            "people change.",
            "on_call_email": "Emailed at once when someone may be at risk on a channel outside "
            "its monitoring hours. Leave blank to send no alert.",
        }
        # Shown with direction controls as tokens, saved as typed (rules.fields).
        field_classes: ClassVar[dict[str, Any]] = {"on_call_name": VisibleControlsCharField}


class AllowListEntryForm(forms.ModelForm):
    class Meta:
        model = AllowListEntry
        fields = ("kind", "value", "note")
        labels = {"kind": "What it is", "value": "Number, email, postcode or address"}
        help_texts = {"note": "Whose it is, so the next admin knows why it is here."}
        field_classes: ClassVar[dict[str, Any]] = {"note": VisibleControlsCharField}
