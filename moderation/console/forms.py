"""Forms for the console. Query strings and posts come from anyone: every value is validated,
and a bad filter is dropped (and said so), never turned into a database error."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from accounts.models import User
from moderation.actions.comments import MAX_REPLY_LENGTH
from moderation.console.queries import DEFAULT_TAB, MAX_SEARCH_LENGTH, TABS, QueueFilters
from moderation.models import PLATFORM_CHOICES, Channel, Comment, EscalationRoute, Tag
from rules.engine.types import CATEGORIES
from rules.fields import OutgoingTextField, VisibleControlsCharField

MAX_NOTE_LENGTH = 5000
MAX_BULK_ITEMS = 200
BULK_VERBS = (
    ("approve", "Approve (keep)"),
    ("hide", "Hide"),
    ("remove", "Remove"),
    ("ignore", "Ignore"),
    ("block", "Block the author"),
)


def officers() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name", "username")


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=[(t.key, t.label) for t in TABS], required=False)
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.order_by("name"), required=False, empty_label="All channels"
    )
    platform = forms.ChoiceField(choices=[("", "All platforms"), *PLATFORM_CHOICES], required=False)
    category = forms.ChoiceField(
        choices=[("", "All categories")] + [(c, c.replace("_", " ")) for c in CATEGORIES],
        required=False,
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Comment.Status.choices], required=False
    )
    assignee = forms.ModelChoiceField(
        queryset=officers(), required=False, empty_label="Anyone", label="Claimed or handled by"
    )
    author = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    received_from = forms.DateField(
        required=False, label="Received from", widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        required=False, label="Received to", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = VisibleControlsCharField(
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Words, name or handle", "data-shortcut": "/"}
        ),
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.order_by("name"),
        to_field_name="key",
        required=False,
        empty_label="Any tag",
    )
    campaign = forms.RegexField(regex=r"^[0-9a-f]{16}$", required=False, widget=forms.HiddenInput)

    def filters(self, me: int | None = None, *, search_personal_data: bool = False) -> QueueFilters:
        """The valid part of what was asked; invalid fields are dropped (``errors`` says which).

        ``me`` is the officer looking, for the "Mine" tab. ``search_personal_data``: their role
        may reveal personal data, so the search may match it (otherwise it matches only what they
        see, with personal data masked).
        """
        self.is_valid()
        data: dict[str, Any] = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        channel = data.get("channel")
        assignee = data.get("assignee")
        received_from: dt.date | None = data.get("received_from")
        received_to: dt.date | None = data.get("received_to")
        return QueueFilters(
            tab=data.get("tab") or DEFAULT_TAB,
            channel_id=channel.pk if channel else None,
            platform=data.get("platform") or "",
            category=data.get("category") or "",
            status=data.get("status") or "",
            assignee_id=assignee.pk if assignee else None,
            author_id=data.get("author"),
            received_from=received_from,
            received_to=received_to,
            search=data.get("q") or "",
            overdue=bool(data.get("overdue")),
            tag=tag.key if (tag := data.get("tag")) else "",
            campaign=data.get("campaign") or "",
            me=me,
            search_personal_data=search_personal_data,
        )


class ReplyForm(forms.Form):
    """``stored``: the chosen template as filled in for this comment (empty for a reply written
    from nothing), the only direction controls the reply may carry (OutgoingTextField)."""

    template = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    text = OutgoingTextField(
        max_length=MAX_REPLY_LENGTH,
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Check and edit before sending: this is posted publicly under the comment.",
    )
    seen = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, stored: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OutgoingTextField, self.fields["text"]).stored = stored


class EscalateForm(forms.Form):
    route = forms.ModelChoiceField(
        queryset=EscalationRoute.objects.all(), empty_label=None, label="Escalate to"
    )
    assignee = forms.ModelChoiceField(
        queryset=officers(), required=False, empty_label="Nobody yet", label="Assign to"
    )
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE_LENGTH,
        label="Note for the team",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seen = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=MAX_NOTE_LENGTH, label="Note", widget=forms.Textarea(attrs={"rows": 3})
    )
    about = forms.ChoiceField(
        choices=[("comment", "This comment"), ("author", "The author")],
        initial="comment",
        label="About",
        widget=forms.RadioSelect,
    )


class CloseEscalationForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE_LENGTH,
        label="Closing note",
        widget=forms.TextInput(),
    )


class BulkForm(forms.Form):
    verb = forms.ChoiceField(choices=BULK_VERBS, label="Action")
    ids = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=[],
        label="Items",
        error_messages={
            "required": "no items were ticked. Tick the boxes beside the items first (or "
            "select a row with j and press a key to act on it alone)."
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("ids") if isinstance(self.data, QueryDict) else []
        # Any positive integer is a valid choice here; whether it exists is checked per item.
        valid = [v for v in raw[:MAX_BULK_ITEMS] if isinstance(v, str) and v.isdigit()]
        self.fields["ids"].choices = [(v, v) for v in valid]  # type: ignore[attr-defined]

    def clean_ids(self) -> list[int]:
        ids: list[int] = self.cleaned_data["ids"]
        posted = self.data.getlist("ids") if isinstance(self.data, QueryDict) else []
        if len(posted) > MAX_BULK_ITEMS:
            raise forms.ValidationError(f"Choose at most {MAX_BULK_ITEMS} items at a time.")
        return list(dict.fromkeys(ids))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=officers(), required=False, label="Assigned to")


class TagItemForm(forms.Form):
    # Retired tags can still be taken off; the action refuses to add them.
    tag = forms.ModelChoiceField(queryset=Tag.objects.all())
    op = forms.ChoiceField(choices=[("add", "Add"), ("remove", "Remove")])


class RejectReplyForm(forms.Form):
    reason = forms.CharField(
        max_length=1000, label="Why it is rejected", widget=forms.TextInput(), required=False
    )
