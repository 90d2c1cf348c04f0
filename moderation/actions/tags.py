"""Tags: labels admins define and officers put on items ("roadworks", "budget consultation").

Admins create and retire tags (a retired tag stays on the items that have it, for reports, but
is no longer offered); officers add and remove them on items. Each change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.audit import Actor, record
from moderation.actions.comments import ActionRefused
from moderation.models import Comment, CommentTag, Tag

TAG_FIELDS = ("name", "description", "active")


def _snapshot(tag: Tag) -> dict[str, Any]:
    return {"key": tag.key, "name": tag.name, "description": tag.description, "active": tag.active}


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(TAG_FIELDS)
    if unknown:
        raise ActionRefused(f"Unknown tag fields: {', '.join(sorted(unknown))}.")
    cleaned: dict[str, Any] = {}
    if "name" in values:
        cleaned["name"] = str(values["name"]).strip()[:60]
        if not cleaned["name"]:
            raise ActionRefused("A tag needs a name.")
    if "description" in values:
        cleaned["description"] = str(values["description"] or "").strip()[:300]
    if "active" in values:
        cleaned["active"] = bool(values["active"])
    return cleaned


@transaction.atomic
def do_create_tag(key: str, values: Mapping[str, Any], *, actor: Actor) -> Tag:
    key = slugify(key)[:40]
    if not key:
        raise ActionRefused("A tag needs a short key of letters, digits and hyphens.")
    fields = {"active": True, **_clean(values)}
    if "name" not in fields:
        raise ActionRefused("A tag needs a name.")
    try:
        with transaction.atomic():
            tag = Tag.objects.create(key=key, **fields)
    except IntegrityError:
        raise ActionRefused(f"There is already a tag with the key {key!r}.") from None
    record("moderation.tag.created", actor=actor, target=tag, after=_snapshot(tag))
    return tag


@transaction.atomic
def do_update_tag(tag: Tag, values: Mapping[str, Any], *, actor: Actor) -> bool:
    """Rename, describe, retire or bring back a tag; False (nothing recorded) if unchanged."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    before = _snapshot(tag)
    for name, value in _clean(values).items():
        setattr(tag, name, value)
    after = _snapshot(tag)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return False
    tag.save(update_fields=list(changed))
    record(
        "moderation.tag.updated",
        actor=actor,
        target=tag,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return True


@transaction.atomic
def do_tag_comment(comment: Comment, tag: Tag, *, actor: Actor) -> bool:
    """Put ``tag`` on the item; False if it was there already (nothing recorded)."""
    if not tag.active:
        raise ActionRefused(f"The tag “{tag}” is retired: ask an admin to bring it back.")
    _, created = CommentTag.objects.get_or_create(
        comment=comment, tag=tag, defaults={"added_by_label": actor.label}
    )
    if created:
        record(
            "moderation.comment.tagged",
            actor=actor,
            target=comment,
            channel_id=comment.channel_id,
            data={"tag": tag.key},
        )
    return created


@transaction.atomic
def do_untag_comment(comment: Comment, tag: Tag, *, actor: Actor) -> bool:
    """Take ``tag`` off the item; False if it was not there (nothing recorded)."""
    deleted, _ = CommentTag.objects.filter(comment=comment, tag=tag).delete()
    if deleted:
        record(
            "moderation.comment.untagged",
            actor=actor,
            target=comment,
            channel_id=comment.channel_id,
            data={"tag": tag.key},
        )
    return bool(deleted)
