"""Admins' settings that protect people: the on-call contact alerted when someone may be at
risk outside monitoring hours, and the allow-list of public contact details (helplines, venues,
partners) that are never held as personal data. Each change is audited with before and after."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accounts.audit import Actor, record
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.organisation import organisation_for_update
from moderation.models import AllowListEntry, Organisation


@transaction.atomic
def do_set_on_call_contact(name: str, email: str, *, actor: Actor) -> Organisation:
    """Who is emailed when someone may be at risk and nobody is watching the channel."""
    name, email = name.strip()[:120], email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ConfigurationRefused(f"{email[:80]!r} is not an email address.") from None
    org = organisation_for_update()
    before = {"on_call_name": org.on_call_name, "on_call_email": org.on_call_email}
    after = {"on_call_name": name, "on_call_email": email}
    if before == after:
        return org
    org.on_call_name, org.on_call_email = name, email
    org.save(update_fields=["on_call_name", "on_call_email"])
    record(
        "moderation.organisation.on_call_set", actor=actor, target=org, before=before, after=after
    )
    return org


def _entry_snapshot(entry: AllowListEntry) -> dict[str, str]:
    return {"kind": entry.kind, "value": entry.value, "note": entry.note}


@transaction.atomic
def do_add_allow_list_entry(kind: str, value: str, note: str, *, actor: Actor) -> AllowListEntry:
    """A public number, email, postcode or address comments may quote without being held."""
    value = " ".join(value.split())[:200]
    if kind not in AllowListEntry.Kind.values:
        raise ConfigurationRefused("Choose a phone number, email address, postcode or address.")
    if not value:
        raise ConfigurationRefused("Enter the number, email, postcode or address.")
    if kind == AllowListEntry.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ConfigurationRefused(f"{value[:80]!r} is not an email address.") from None
    if kind == AllowListEntry.Kind.PHONE and sum(ch.isdigit() for ch in value) < 3:
        raise ConfigurationRefused(f"{value[:80]!r} has too few digits for a phone number.")
    try:
        with transaction.atomic():
            entry = AllowListEntry.objects.create(kind=kind, value=value, note=note.strip()[:200])
    except IntegrityError:
        raise ConfigurationRefused(f"{value[:80]!r} is already on the allow-list.") from None
    record(
        "moderation.allow_list.entry_added",
        actor=actor,
        target=entry,
        target_repr=str(entry),
        after=_entry_snapshot(entry),
    )
    return entry


@transaction.atomic
def do_remove_allow_list_entry(entry: AllowListEntry, *, actor: Actor) -> None:
    record(
        "moderation.allow_list.entry_removed",
        actor=actor,
        target=entry,
        target_repr=str(entry),
        before=_entry_snapshot(entry),
    )
    entry.delete()
