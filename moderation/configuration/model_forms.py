"""The admins' forms that edit one model each (reply templates, escalation routes, tags): the
model's own fields, and its own validation (``Model.clean`` and unique keys), shown beside each
field. Views hand the cleaned values to the audited actions, which ask the model again for any
caller that has no form."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from moderation.models import EscalationRoute, ReplyTemplate, Tag
from moderation.template_placeholders import TEMPLATE_PLACEHOLDERS
from rules.fields import OutgoingTextField, VisibleControlsCharField
from rules.models import CATEGORY_CHOICES


class EditsOneModel(forms.ModelForm):
    """A new one is given its key; an existing one keeps it (links and audit events name it)."""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]

    def changed_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "key"}


class ReplyTemplateForm(EditsOneModel):
    for_categories = forms.MultipleChoiceField(
        label="Offered for",
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to offer it for every comment.",
    )
    position = forms.IntegerField(min_value=0, max_value=1000, initial=0, help_text="Lower first.")

    class Meta:
        model = ReplyTemplate
        fields = (
            "key",
            "name",
            "body",
            "for_categories",
            "offered_first_in_crisis",
            "active",
            "position",
        )
        labels: ClassVar[dict[str, str]] = {
            "offered_first_in_crisis": "Offer first while crisis mode is on",
            "active": "Offered to officers",
        }
        help_texts: ClassVar[dict[str, str]] = {
            "key": "A short name for the template, e.g. bin-collections.",
            "body": "Placeholders: " + ", ".join("{" + p + "}" for p in TEMPLATE_PLACEHOLDERS),
        }
        widgets: ClassVar[dict[str, Any]] = {
            "body": forms.Textarea(attrs={"rows": 5, "maxlength": 8000})
        }
        # The name and body are shown with direction controls as tokens and saved as they were;
        # the body, posted to platforms, gains no control it did not hold (OutgoingTextField).
        field_classes: ClassVar[dict[str, Any]] = {
            "name": VisibleControlsCharField,
            "body": OutgoingTextField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, OutgoingTextField)
        body.stored = self.instance.body if self.instance.pk else ""


class RouteForm(EditsOneModel):
    class Meta:
        model = EscalationRoute
        fields = ("key", "name", "email", "deadline_kind", "deadline_amount")
        labels: ClassVar[dict[str, str]] = {
            "email": "Email addresses",
            "deadline_kind": "Deadline counted in",
            "deadline_amount": "Deadline",
        }
        help_texts: ClassVar[dict[str, str]] = {
            "key": "A short name, e.g. highways.",
            "email": "Team mailboxes, separated by commas. New escalations are emailed here.",
        }
        field_classes: ClassVar[dict[str, Any]] = {"name": VisibleControlsCharField}


class TagForm(EditsOneModel):
    class Meta:
        model = Tag
        fields = ("key", "name", "description", "active")
        labels: ClassVar[dict[str, str]] = {"active": "Offered to officers"}
        help_texts: ClassVar[dict[str, str]] = {
            "key": "A short name for links, e.g. roadworks.",
            "description": "What it is for, so officers use it alike.",
        }
        field_classes: ClassVar[dict[str, Any]] = {
            "name": VisibleControlsCharField,
            "description": VisibleControlsCharField,
        }
