"""Forms for the policy workflows: removal notices, appeals, legal holds, evidence, author
profiles and checking a draft before it is posted."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from moderation.actions.appeals import MAX_APPEAL_TEXT, MAX_NOTICE_LENGTH
from moderation.actions.comments import MAX_REPLY_LENGTH
from moderation.models import Appeal, LegalHold, ProfilePurpose
from rules.fields import OutgoingTextField, VisibleControlsCharField


class NoticeForm(forms.Form):
    """``stored``: the removal-notice template as filled in for this comment."""

    text = OutgoingTextField(
        label="Notice", max_length=MAX_NOTICE_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, stored: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OutgoingTextField, self.fields["text"]).stored = stored


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class LegalHoldForm(forms.ModelForm):
    about = forms.ChoiceField(
        choices=[("comment", "this comment"), ("author", "everything about the author")],
        initial="comment",
        widget=forms.RadioSelect,
        label="Hold",
    )

    class Meta:
        model = LegalHold
        fields = ("reason",)
        labels = {"reason": "Reason (e.g. police reference, complaint or claim)"}


class AppealForm(forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ("received_via", "summary")
        labels = {"received_via": "Received by", "summary": "What the author says"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_APPEAL_TEXT})}


class DecideAppealForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("uphold", "Uphold: reinstate it"), ("refuse", "Refuse: the decision stands")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False, max_length=MAX_APPEAL_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    export_format = forms.ChoiceField(
        choices=[("pdf", "PDF"), ("zip", "ZIP (PDF, JSON and the raw item)")], label="Format"
    )
    purpose = forms.CharField(label="For (e.g. police reference, complaint number)", max_length=300)


class PurposeForm(forms.ModelForm):
    class Meta:
        model = ProfilePurpose
        fields = ("purpose",)
        labels = {"purpose": "Why do you need this person's history?"}


class LinkAuthorForm(forms.Form):
    other = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DraftForm(forms.Form):
    text = VisibleControlsCharField(
        label="Your draft",
        max_length=MAX_REPLY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
