"""Forms for the admins' pages (a channel's are in ``channel_forms``). They only parse and
validate; views pass the cleaned values to the audited actions (``moderation.actions.organisation``,
``.erasure_on_request``, ``.subject_access`` …)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from moderation.actions.organisation import (
    CONTACT_LIST_KEYS,
    CONTACT_TEXT_KEYS,
    MAX_RETENTION_DAYS,
    MAX_STRIKE_THRESHOLD,
    MIN_RETENTION_DAYS,
)
from moderation.models import (
    PLATFORM_CHOICES,
    Channel,
    Organisation,
)
from rules.fields import VisibleControls, VisibleControlsCharField
from rules.models import CATEGORY_CHOICES


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class LinesField(VisibleControls, forms.CharField):
    """A textarea of one entry per line, cleaned to a list; direction controls in the entries
    shown as tokens and read back (``rules.fields``)."""

    def __init__(self, *, rows: int = 6, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            value = "\n".join(self.line_of(v) for v in value)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        return [self.entry_of(line) for line in _lines(str(super().to_python(value) or ""))]

    def line_of(self, entry: Any) -> str:
        return str(entry)

    def entry_of(self, line: str) -> Any:
        return line


# "Jo Price — Chief Executive": a name and its role, on one line.
_ROLE_SEPARATOR = re.compile(r"\s+[—–|-]\s+|\s*[—|]\s*")


class StaffLinesField(LinesField):
    """One member of staff per line, optionally with the role after a dash: "Jo Price — Chief
    Executive" is ``{"name": "Jo Price", "role": "Chief Executive"}``, "Jo Price" stays a
    string."""

    def line_of(self, entry: Any) -> str:
        if isinstance(entry, dict):
            return f"{entry.get('name', '')} — {entry.get('role', '')}"
        return str(entry)

    def entry_of(self, line: str) -> str | dict[str, str]:
        parts = _ROLE_SEPARATOR.split(line, maxsplit=1)
        name, role = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else (line, "")
        if not name:
            # A role alone would be read as a person's name ("Planning" as a surname).
            raise ValidationError(f"“{line}”: give the person's name before the dash.")
        return {"name": name, "role": role} if role else name


class OrganisationForm(forms.ModelForm):
    """The organisation's name and lists of names, as the model defines them, and its published
    contacts: one field each here, kept together in the model's ``own_contacts``."""

    handles = LinesField(
        label="Our own names and handles",
        help_text="One per line. Authors imitating these are flagged as impersonation.",
    )
    staff_names = StaffLinesField(
        label="Staff, councillors, members and volunteers",
        help_text="One per line, with the role after a dash if you like (“Jo Price — Chief "
        "Executive”): criticism of these people, by name or by a role only they hold (“the "
        "chief executive”), is flagged for review.",
    )
    candidates = LinesField(
        label="Election candidates",
        help_text="One per line. Promoting them is flagged as party-political.",
    )
    phones = LinesField(rows=3, label="Published phone numbers")
    emails = LinesField(rows=3, label="Published email addresses")
    postcodes = LinesField(rows=3, label="Published postcodes")
    addresses = LinesField(rows=3, label="Published addresses")
    domains = LinesField(
        rows=3, label="Our web domains", help_text="Links to these are never malicious."
    )
    contact = VisibleControlsCharField(
        label="General contact ({contact} in replies)",
        required=False,
        max_length=300,
        help_text="Leave these four blank to pick them from the published email addresses.",
    )
    foi_contact = VisibleControlsCharField(
        label="FOI contact ({foi_contact})", required=False, max_length=300
    )
    dp_contact = VisibleControlsCharField(
        label="Data protection contact ({dp_contact})", required=False, max_length=300
    )
    complaints_contact = VisibleControlsCharField(
        label="Complaints contact ({complaints_contact})", required=False, max_length=300
    )

    class Meta:
        model = Organisation
        fields = ("name", "handles", "staff_names", "candidates")
        # Names are edited with their direction controls as tokens, and saved as they were.
        field_classes: ClassVar[dict[str, Any]] = {"name": VisibleControlsCharField}

    def __init__(self, *args: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        # Validation writes the typed values onto the instance: keep the caller's one as saved.
        kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        contacts = self.instance.own_contacts or {}
        for key in CONTACT_LIST_KEYS:
            self.initial[key] = contacts.get(key, [])
        for key in CONTACT_TEXT_KEYS:
            self.initial[key] = contacts.get(key, "")

    def organisation_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self._meta.fields or ()},
            "own_contacts": {k: data[k] for k in (*CONTACT_LIST_KEYS, *CONTACT_TEXT_KEYS)},
        }


class PolicyNumbersForm(forms.ModelForm):
    """The organisation's strike threshold and retention period, each set by its own action
    (whose bounds are shown here beside the fields)."""

    class Meta:
        model = Organisation
        fields = ("strike_threshold", "retention_days")
        labels: ClassVar[dict[str, str]] = {
            "strike_threshold": "Strikes before the console recommends blocking",
            "retention_days": "Keep comment text and personal data for (days)",
        }
        help_texts: ClassVar[dict[str, str]] = {
            "strike_threshold": "",
            "retention_days": "Older comments are erased every night; the facts of what was "
            "done are kept.",
        }

    def __init__(self, *args: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        # Validation writes the typed values onto the instance: keep the caller's one as saved.
        kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        bounds = {
            "strike_threshold": (1, MAX_STRIKE_THRESHOLD),
            "retention_days": (MIN_RETENTION_DAYS, MAX_RETENTION_DAYS),
        }
        for name, (low, high) in bounds.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)


class AuthorSearchForm(forms.Form):
    """A search, not a record: no model behind it."""

    q = VisibleControlsCharField(
        label="Handle, name or platform id", max_length=200, min_length=2, strip=True
    )
    platform = forms.ChoiceField(choices=[("", "Any platform"), *PLATFORM_CHOICES], required=False)


class ExportForm(forms.Form):
    """How to export one author's data: a request, kept only in the audit log."""

    reference = forms.CharField(
        label="Request reference",
        max_length=300,
        required=False,
        help_text="Your case number for the subject access request; kept in the audit log.",
    )
    format = forms.ChoiceField(choices=[("json", "JSON"), ("csv", "CSV")])


class ErasureForm(forms.Form):
    """Who asked for an erasure and why: kept only in the audit log."""

    requested_by = forms.CharField(
        label="Who asked",
        max_length=300,
        help_text="e.g. 'The person, by email to dp@…, case DP-2026-041'.",
    )
    reason = forms.CharField(label="Why", max_length=300)
    confirm = forms.BooleanField(
        label="I understand the text of every comment by this author will be erased for good."
    )


class PeriodForm(forms.Form):
    """A period to report on or backtest: a query, not a record."""

    since = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    until = forms.DateField(
        label="Until (inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The period must end after it starts.")
        return data

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The period as aware datetimes: from the start of ``since`` to the end of ``until``."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(since, dt.time.min, tzinfo=zone) if since else None
        end = (
            dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            if until
            else None
        )
        return start, end


class BacktestForm(PeriodForm):
    since = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(
        label="Until (inclusive)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ChannelsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Channel) -> str:
        return str(obj)  # "Name (Platform, @handle)": names repeat across platforms


class ReplyApprovalForm(forms.Form):
    """Not a ModelForm: it sets a flag on many channels and the organisation's categories at
    once, through one action."""

    channels = ChannelsField(
        queryset=Channel.objects.order_by("platform", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Replies on these channels wait for a manager",
    )
    categories = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Replies to comments in these categories wait for a manager",
    )


class PreElectionForm(forms.ModelForm):
    """The pre-election period: from the notice of election to polling day, both included."""

    class Meta:
        model = Organisation
        fields = ("pre_election_from", "pre_election_until")
        labels = {"pre_election_from": "Starts on", "pre_election_until": "Ends on (polling day)"}
        widgets = {
            "pre_election_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pre_election_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
