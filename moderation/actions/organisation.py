"""Audited changes to the organisation: its name, handles, published contacts, staff and
candidate names, crisis mode (for it or one channel), the strike threshold and the retention
period. Every function records before/after in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.audit import Actor, record
from moderation.actions.configuration import ConfigurationRefused, changed_values
from moderation.models import Channel, Organisation

ORGANISATION_FIELDS = ("name", "handles", "own_contacts", "staff_names", "candidates")
CONTACT_LIST_KEYS = ("phones", "emails", "postcodes", "addresses", "domains")
CONTACT_TEXT_KEYS = ("contact", "foi_contact", "dp_contact", "complaints_contact")
MAX_LIST_ITEMS = 500
MAX_STRIKE_THRESHOLD = 100
# Short periods would erase comments while their statutory clocks (FOI: 20 working days, subject
# access: one month) may still be running, so the console refuses them.
MIN_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650


def organisation_for_update() -> Organisation:
    org = Organisation.objects.select_for_update().order_by("id").first()
    if org is None:
        org = Organisation.objects.create()
    return org


@transaction.atomic
def do_set_crisis_mode(channel: Channel | None, on: bool, *, actor: Actor) -> bool:
    """Switch crisis mode on or off for one channel, or (channel None) for every channel.

    While it is on, evaluation holds every flagged comment for review and the console offers the
    listening response first. Returns False if the switch was already in that position.
    """
    event = "moderation.crisis_mode.switched_on" if on else "moderation.crisis_mode.switched_off"
    if channel is None:
        org = organisation_for_update()
        if org.crisis_mode == on:
            return False
        org.crisis_mode = on
        org.save(update_fields=["crisis_mode"])
        record(
            event,
            actor=actor,
            target=org,
            before={"crisis_mode": not on, "scope": "all channels"},
            after={"crisis_mode": on, "scope": "all channels"},
        )
        return True
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.crisis_mode == on:
        return False
    channel.crisis_mode = on
    channel.save(update_fields=["crisis_mode"])
    record(
        event,
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before={"crisis_mode": not on, "scope": str(channel)},
        after={"crisis_mode": on, "scope": str(channel)},
    )
    return True


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    return {
        **{f: getattr(org, f) for f in ORGANISATION_FIELDS},
        "strike_threshold": org.strike_threshold,
        "retention_days": org.retention_days,
        "crisis_mode": org.crisis_mode,
    }


def _clean_list(values: Sequence[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = str(value).strip()[:300]
        if text:
            seen.setdefault(text, None)
    if len(seen) > MAX_LIST_ITEMS:
        raise ConfigurationRefused(f"A list can hold at most {MAX_LIST_ITEMS} entries.")
    return list(seen)


def _clean_staff(values: Sequence[Any]) -> list[str | dict[str, str]]:
    """Staff entries: a name, or a name with its role (``{"name": ..., "role": ...}``, which
    the engine reads as naming that person too: "the station manager"); once per name."""
    seen: dict[str, str] = {}
    for value in values:
        name, role = (
            (value.get("name"), value.get("role")) if isinstance(value, Mapping) else (value, "")
        )
        name, role = str(name or "").strip()[:300], str(role or "").strip()[:300]
        if name and name not in seen:
            seen[name] = role
    if len(seen) > MAX_LIST_ITEMS:
        raise ConfigurationRefused(f"A list can hold at most {MAX_LIST_ITEMS} entries.")
    return [{"name": name, "role": role} if role else name for name, role in seen.items()]


def _clean_contacts(contacts: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in CONTACT_LIST_KEYS:
        cleaned[key] = _clean_list(contacts.get(key) or [])
    for key in CONTACT_TEXT_KEYS:
        cleaned[key] = str(contacts.get(key) or "").strip()[:300]
    for email in cleaned["emails"]:
        try:
            validate_email(email)
        except ValidationError:
            raise ConfigurationRefused(f"{email[:80]!r} is not an email address.") from None
    return cleaned


@transaction.atomic
def do_update_organisation(fields: Mapping[str, Any], *, actor: Actor) -> Organisation:
    """The organisation's name, handles, published contacts, staff (names, or names with
    roles) and candidate names."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown organisation fields: {', '.join(sorted(unknown))}.")
    org = organisation_for_update()
    before = organisation_snapshot(org)
    if "name" in fields:
        name = str(fields["name"]).strip()[:200]
        if not name:
            raise ConfigurationRefused("The organisation needs a name.")
        org.name = name
    for name in ("handles", "candidates"):
        if name in fields:
            setattr(org, name, _clean_list(fields[name]))
    if "staff_names" in fields:
        org.staff_names = _clean_staff(fields["staff_names"])
    if "own_contacts" in fields:
        org.own_contacts = _clean_contacts(fields["own_contacts"])
    old, new = changed_values(before, organisation_snapshot(org))
    if new:
        org.save()
        record("moderation.organisation.updated", actor=actor, target=org, before=old, after=new)
    return org


def _set_organisation_number(field: str, value: int, event: str, *, actor: Actor) -> None:
    """Set one of the organisation's numbers, recording before/after; nothing if unchanged."""
    org = organisation_for_update()
    old = getattr(org, field)
    if old == value:
        return
    setattr(org, field, value)
    org.save(update_fields=[field])
    record(event, actor=actor, target=org, before={field: old}, after={field: value})


@transaction.atomic
def do_set_strike_threshold(threshold: int, *, actor: Actor) -> None:
    if not 1 <= threshold <= MAX_STRIKE_THRESHOLD:
        raise ConfigurationRefused(f"The strike threshold is from 1 to {MAX_STRIKE_THRESHOLD}.")
    _set_organisation_number(
        "strike_threshold", threshold, "moderation.organisation.strike_threshold_set", actor=actor
    )


@transaction.atomic
def do_set_retention_days(days: int, *, actor: Actor) -> None:
    """How long comment text and personal data are kept (``apply_retention`` erases the rest)."""
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise ConfigurationRefused(
            f"Keep comments for {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days: shorter periods "
            "would erase comments whose FOI or subject access deadlines may still be running."
        )
    _set_organisation_number(
        "retention_days", days, "moderation.organisation.retention_set", actor=actor
    )
