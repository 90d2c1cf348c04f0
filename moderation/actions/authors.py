"""An author's profile: who looked at it and why, and which authors are the same person.

A person's history and the notes about them, gathered in one place, are a profile of that
person. Looking at it is for moderation only, never covert monitoring (which needs authorisation
under RIPA 2000): the first time an officer opens an author's profile they say why, and every
view is recorded. Authors are treated as one person across platforms only when an officer
confirms it; the link is audited and can be undone.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from moderation.actions.comments import ActionRefused
from moderation.models import Author, Person, ProfilePurpose

MAX_PURPOSE = 300


def purpose_of(author: Author, user: User) -> ProfilePurpose | None:
    return ProfilePurpose.objects.filter(author=author, user=user).first()


def linked_authors(author: Author) -> list[Author]:
    """The other authors confirmed to be the same person (none unless an officer linked them)."""
    if author.person_id is None:
        return []
    return list(
        Author.objects.filter(person_id=author.person_id).exclude(pk=author.pk).order_by("platform")
    )


def strikes_across_linked(author: Author) -> int:
    """The author's strikes, with those of every author confirmed to be the same person."""
    if author.person_id is None:
        return author.strikes
    total = Author.objects.filter(person_id=author.person_id).aggregate(total=Sum("strikes"))
    return int(total["total"] or 0)


def _repr(author: Author) -> str:
    # Never the handle: the audit log outlives erasure.
    return f"author {author.pk} on {author.platform}"


@transaction.atomic
def do_record_profile_purpose(author: Author, *, actor: User, purpose: str) -> ProfilePurpose:
    purpose = purpose.strip()[:MAX_PURPOSE]
    if not purpose:
        raise ActionRefused("Say why you need this person's history.")
    if ProfilePurpose.objects.filter(author=author, user=actor).exists():
        raise ActionRefused("You have already given your purpose for this author.")
    recorded = ProfilePurpose.objects.create(
        author=author, user=actor, purpose=purpose, created_at=timezone.now()
    )
    record(
        "moderation.author.profile_purpose_given",
        actor=actor,
        target=author,
        target_repr=_repr(author),
        data={"purpose": purpose},
    )
    return recorded


@transaction.atomic
def do_record_profile_view(author: Author, *, actor: User) -> None:
    """Every look at the profile is on the record, with the purpose given for it."""
    purpose = purpose_of(author, actor)
    if purpose is None:
        raise ActionRefused("Give your purpose before viewing this person's history.")
    record(
        "moderation.author.profile_viewed",
        actor=actor,
        target=author,
        target_repr=_repr(author),
        data={"purpose_id": purpose.pk},
    )


@transaction.atomic
def do_link_authors(author: Author, other: Author, *, actor: Actor) -> Person:
    """An officer confirms the two authors are the same person."""
    if author.pk == other.pk:
        raise ActionRefused("An author cannot be linked to themselves.")
    first, second = (
        Author.objects.select_for_update().filter(pk__in=[author.pk, other.pk]).order_by("pk")
    )
    people = {a.person_id for a in (first, second) if a.person_id is not None}
    if len(people) == 1 and first.person_id == second.person_id:
        raise ActionRefused("These authors are already linked.")
    person = Person.objects.filter(pk__in=people).order_by("pk").first() or Person.objects.create()
    # Joining two confirmed groups makes one: everyone in either is the same person.
    Author.objects.filter(person_id__in=people).update(person=person)
    Author.objects.filter(pk__in=[first.pk, second.pk]).update(person=person)
    Person.objects.filter(pk__in=people - {person.pk}).delete()
    record(
        "moderation.author.linked",
        actor=actor,
        target=author,
        target_repr=_repr(author),
        data={
            "other_author_id": other.pk,
            "other_platform": other.platform,
            "person_id": person.pk,
        },
    )
    return person


@transaction.atomic
def do_unlink_author(author: Author, *, actor: Actor) -> None:
    """Undo a link: the author is no longer treated as the same person as the others."""
    author = Author.objects.select_for_update().get(pk=author.pk)
    person_id = author.person_id
    if person_id is None:
        raise ActionRefused("This author is not linked to anyone.")
    Author.objects.filter(pk=author.pk).update(person=None)
    remaining = Author.objects.filter(person_id=person_id)
    if remaining.count() < 2:
        remaining.update(person=None)
        Person.objects.filter(pk=person_id).delete()
    record(
        "moderation.author.unlinked",
        actor=actor,
        target=author,
        target_repr=_repr(author),
        data={"person_id": person_id},
    )
