"""Erasure on request: everything a person wrote or is called, because they (or someone for them)
asked.

It goes further than retention (``moderation.actions.erasure``): the person's platform id and
their comments' ids become keyed pseudonyms (``erased_id``), every other place that could name
them (escalation notes, quarantined items, a channel's last error, outbox rows and the platform's
answers) is cleaned, and their platform actions still waiting are cancelled, on the record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.erasure import (
    ERASED,
    ERASED_ID_PREFIX,
    MAX_REQUEST_FIELD,
    ErasureCounts,
    erase_authors,
    erase_comments,
    erased_id,
    identity_of,
    strip_identity,
)
from moderation.actions.evidence import held_comment_ids
from moderation.actions.outbox import CANCELLABLE_STATES, cancel_unsent_action
from moderation.models import (
    Author,
    Channel,
    Comment,
    Escalation,
    ModerationAction,
    QuarantinedItem,
)


@transaction.atomic
def do_erase_author_data(
    author: Author, *, actor: Actor, requested_by: str, reason: str
) -> ErasureCounts:
    """Erase everything a person wrote or is called, because they (or someone for them) asked.

    Comments under a legal hold are kept (and so is the author's name while any is kept); a
    hold on the author refuses the erasure outright. The audit event counts what was kept."""
    requested_by = requested_by.strip()[:MAX_REQUEST_FIELD]
    reason = reason.strip()[:MAX_REQUEST_FIELD]
    if not requested_by or not reason:
        raise ValueError("Say who asked for the erasure and why.")
    author = Author.objects.select_for_update().get(pk=author.pk)
    if author.legal_holds.filter(lifted_at__isnull=True).exists():
        raise ValueError(
            "This person is under a legal hold: nothing can be erased until it is lifted."
        )
    held = set(
        Comment.objects.filter(author=author, pk__in=held_comment_ids()).values_list(
            "id", flat=True
        )
    )
    kept_on_hold = len(held)
    # Comments under a legal hold keep their text, ids and author (evidence); the rest goes.
    comments = {
        pk: platform_id
        for pk, platform_id in Comment.objects.select_for_update()
        .filter(author=author)
        .order_by("id")
        .values_list("id", "platform_id")
        if pk not in held
    }
    # While a held comment keeps the person, so do the rows about them as a person (a block)
    # and their platform id.
    person = None if held else author
    identity = [*identity_of(author), *comments.values()]
    unerased = list(
        Comment.objects.filter(pk__in=comments, redacted_at__isnull=True).values_list(
            "id", flat=True
        )
    )
    counts = erase_comments(unerased, timezone.now(), identity)
    # Officers' escalation notes retell what the person wrote in their own words, which no list
    # of words can catch: on request they go whole, as notes do (the escalation itself stays).
    counts.escalation_notes = (
        Escalation.objects.filter(comment_id__in=comments).exclude(note=ERASED).update(note=ERASED)
    )
    counts.cancelled_actions = _cancel_waiting_actions(person, list(comments), actor)
    counts.replies += _erase_actions(person, list(comments), identity)
    counts.quarantined = _erase_quarantined(
        _their_ids(author, comments), _their_names(author), list(comments), identity
    )
    _erase_channel_errors(identity)
    _pseudonymise(person, comments)
    counts.authors = erase_authors([author.pk])
    record(
        "moderation.author.erased_on_request",
        actor=actor,
        target=author,
        # Never the handle: the audit log outlives the erasure.
        target_repr=f"author {author.pk} on {author.platform}",
        data={
            "requested_by": strip_identity(requested_by, identity),
            "reason": strip_identity(reason, identity),
            **counts.as_dict(),
            "kept_on_legal_hold": kept_on_hold,
        },
    )
    return counts


def _about(person: Author | None, comment_ids: list[int]) -> Q:
    """Outbox rows on these comments, and every row about the person when ``person`` is given."""
    rows = Q(comment_id__in=comment_ids)
    return rows | Q(author=person) if person is not None else rows


def _cancel_waiting_actions(person: Author | None, comment_ids: list[int], actor: Actor) -> int:
    """Cancel, each on the record, what is still waiting to be sent for the person: a reply
    addressed to them must not go out after their erasure."""
    waiting = ModerationAction.objects.filter(
        _about(person, comment_ids), state__in=CANCELLABLE_STATES
    ).order_by("id")
    return sum(
        cancel_unsent_action(action, actor=actor, reason="erasure on request") for action in waiting
    )


def _erase_actions(person: Author | None, comment_ids: list[int], identity: Sequence[str]) -> int:
    """Reply texts, the platforms' answers (which echo names and ids) and errors of every
    outbox row about the person, whatever its state."""
    rows = list(
        ModerationAction.objects.filter(_about(person, comment_ids)).only(
            "id", "text", "platform_response", "last_error"
        )
    )
    for row in rows:
        row.text, row.platform_response = "", {}
        row.last_error = strip_identity(row.last_error, identity)
    ModerationAction.objects.bulk_update(rows, ["text", "platform_response", "last_error"])
    return len(rows)


def _naming(field: str, identity: Sequence[str]) -> Q:
    condition = Q(pk__in=[])
    for value in identity:
        condition |= Q(**{f"{field}__icontains": value})
    return condition


def _their_ids(author: Author, comments: Mapping[int, str]) -> list[str]:
    return [i for i in (author.platform_id, *comments.values()) if i]


def _their_names(author: Author) -> list[str]:
    return [n for n in (author.display_name, author.handle) if n and n != ERASED]


def _erase_quarantined(
    ids: Sequence[str], names: Sequence[str], comment_ids: Sequence[int], identity: Sequence[str]
) -> int:
    """The person's quarantined items: those tied to their comments, and those whose item as
    received (or reason) names them (``_is_theirs``). Other people's items that merely mention
    them are kept, as other people's comments are."""
    candidates = QuarantinedItem.objects.filter(
        Q(comment_id__in=comment_ids)
        | _naming("raw", [*ids, *names])
        | _naming("reason", [i for i in ids if len(i) >= DISTINCTIVE_ID_LENGTH])
    )
    found = [
        item
        for item in candidates
        if item.comment_id in comment_ids or _is_theirs(item, ids, names)
    ]
    for item in found:
        item.raw, item.reason = "", strip_identity(item.reason, identity)
        item.platform_id = erased_id(item.platform_id) if item.platform_id else ""
    QuarantinedItem.objects.bulk_update(found, ["raw", "reason", "platform_id"])
    return len(found)


# An id this long is the person's wherever it stands as a word (a Bluesky post's URI holds its
# author's DID). Shorter ids, handles and names count only as a whole value of the item: as a
# substring they are found in other people's items ("Jane" in "Janet", a handle "text" in every
# item's keys).
DISTINCTIVE_ID_LENGTH = 8


def _is_theirs(item: QuarantinedItem, ids: Sequence[str], names: Sequence[str]) -> bool:
    whole = {_folded(value) for value in (*ids, *names)}
    long_ids = [re.escape(i) for i in ids if len(i) >= DISTINCTIVE_ID_LENGTH]
    within = re.compile(rf"(?<!\w)(?:{'|'.join(long_ids)})(?!\w)") if long_ids else None

    def names_them(value: str) -> bool:
        return _folded(value) in whole or (within is not None and within.search(value) is not None)

    return names_them(item.reason) or any(names_them(v) for v in _values(item.raw))


def _folded(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def _values(raw: str) -> Iterator[str]:
    """Every value (not key) in an item as received, as text; the text itself if not JSON."""
    try:
        stack: list[Any] = [json.loads(raw)]
    except (ValueError, RecursionError):
        yield raw
        return
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            yield value
        elif value is not None and not isinstance(value, bool):
            yield str(value)  # numeric ids


def _erase_channel_errors(identity: Sequence[str]) -> None:
    """A channel's last error lists the items a poll skipped, by id (a Bluesky post's id holds
    its author's)."""
    for channel in Channel.objects.filter(_naming("last_error", identity)).only("id", "last_error"):
        Channel.objects.filter(pk=channel.pk).update(
            last_error=strip_identity(channel.last_error, identity)
        )


def _pseudonymise(person: Author | None, comments: Mapping[int, str]) -> None:
    """Their comments' ids (which may contain their platform id, as Bluesky's do) and, given
    ``person``, their platform id become keyed pseudonyms, here and where other comments reply
    to theirs."""
    for comment_id, platform_id in comments.items():
        pseudonym = erased_id(platform_id)
        Comment.objects.filter(pk=comment_id).update(platform_id=pseudonym)
        QuarantinedItem.objects.filter(comment_id=comment_id).update(platform_id=pseudonym)
        Comment.objects.filter(parent_platform_id=platform_id).update(parent_platform_id=pseudonym)
    if person is not None:
        Author.objects.filter(pk=person.pk).update(platform_id=erased_id(person.platform_id))
    _pseudonymise_cursors(
        [*([person.platform_id] if person is not None else []), *comments.values()]
    )


def _pseudonymise_cursors(ids: Sequence[str]) -> None:
    """A channel's cursor remembers the last items a poll read, by id (``sweep``'s fence and
    marks): those become the same pseudonyms, so the next poll still knows them (and an erased
    comment met again is recognised by its pseudonym and not stored)."""
    pseudonyms = {i: erased_id(i) for i in ids if i and not i.startswith(ERASED_ID_PREFIX)}
    if not pseudonyms:
        return
    for channel in Channel.objects.filter(_naming("cursor", list(pseudonyms))).only("id", "cursor"):
        cleaned = _replace_ids(channel.cursor, pseudonyms)
        if cleaned != channel.cursor:
            Channel.objects.filter(pk=channel.pk).update(cursor=cleaned)


def _replace_ids(value: Any, pseudonyms: Mapping[str, str]) -> Any:
    """``value`` with each whole id replaced by its pseudonym. Never a part of a string: a short
    id ("7") is inside timestamps, other ids ("17") and fingerprints, which must stay as read."""
    if isinstance(value, list):
        return [_replace_ids(v, pseudonyms) for v in value]
    if isinstance(value, dict):
        return {_replace_ids(k, pseudonyms): _replace_ids(v, pseudonyms) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    if value in pseudonyms:
        return pseudonyms[value]
    if value[:1] in ("{", "["):
        # A cursor kept inside a cursor (Graph's post sweep beside its inbox, YouTube's three
        # streams) is JSON text in a string.
        try:
            inner = json.loads(value)
        except (ValueError, RecursionError):
            inner = None
        if isinstance(inner, dict | list):
            return json.dumps(_replace_ids(inner, pseudonyms), separators=(",", ":"))
    if value.startswith("at://"):
        # An AT Protocol URI names its author's DID: at://<did>/<collection>/<key>.
        authority, slash, rest = value.removeprefix("at://").partition("/")
        if authority in pseudonyms:
            return f"at://{pseudonyms[authority]}{slash}{rest}"
    return value
