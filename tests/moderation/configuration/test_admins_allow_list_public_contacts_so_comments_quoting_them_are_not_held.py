"""Admins list public contact details (venues, partners, local services) on the allow-list page;
a comment quoting one is then not held as personal data. Every change is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.jobs import evaluate_comments
from moderation.models import AllowListEntry, Comment
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

VENUE = "The food bank at St Mary's Hall, 14 Orchard Road, Hadleigh IP7 5AB, call 01473 822801"


def _held_as_personal_data(text: str) -> bool:
    """Whether a rule held the comment as personal data (the learned stage only ever asks for
    a review in this category: it cannot tell a venue's number from a person's)."""
    comment = CommentFactory(channel=ChannelFactory(), text=text)
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    held = comment.status == Comment.Status.HELD and comment.actions.filter(kind="hide").exists()
    by_rule = comment.flags.filter(category="personal_data", outcome="hold").exists()
    assert held == by_rule
    return by_rule


def test_a_venues_number_and_postcode_are_held_until_allow_listed_then_not(adam) -> None:
    assert _held_as_personal_data(VENUE)
    client = signed_in(Client(), adam)

    for kind, value in (("phones", "01473 822801"), ("postcodes", "IP7 5AB")):
        response = client.post(
            "/settings/allow-list/", {"kind": kind, "value": value, "note": "St Mary's food bank"}
        )
        assert response.status_code == 302

    assert AllowListEntry.objects.count() == 2
    assert not _held_as_personal_data(VENUE)
    event = AuditEvent.objects.filter(event_type="moderation.allow_list.entry_added").first()
    assert (
        event is not None
        and event.actor == adam
        and event.after is not None
        and event.after["kind"] in ("phones", "postcodes")
    )


def test_removing_an_entry_is_audited_and_the_number_is_held_again(adam) -> None:
    client = signed_in(Client(), adam)
    client.post("/settings/allow-list/", {"kind": "phones", "value": "01473 822801", "note": ""})
    client.post("/settings/allow-list/", {"kind": "postcodes", "value": "IP7 5AB", "note": ""})
    entry = AllowListEntry.objects.get(kind="phones")

    assert client.post(f"/settings/allow-list/{entry.pk}/remove/").status_code == 302

    assert not AllowListEntry.objects.filter(pk=entry.pk).exists()
    removed = AuditEvent.objects.get(event_type="moderation.allow_list.entry_removed")
    assert removed.before is not None
    assert removed.before["value"] == "01473 822801"
    assert _held_as_personal_data(VENUE)


def test_the_page_escapes_entries_refuses_bad_ones_and_managers_only_read(adam, maya) -> None:
    client = signed_in(Client(), adam)
    client.post(
        "/settings/allow-list/",
        {"kind": "addresses", "value": "<script>x</script> Town Hall", "note": "\u202eevil"},
    )
    page = client.get("/settings/allow-list/").content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page

    assert (
        client.post("/settings/allow-list/", {"kind": "emails", "value": "nope"}).status_code == 400
    )
    assert (
        client.post(
            "/settings/allow-list/", {"kind": "addresses", "value": "<script>x</script> Town Hall"}
        ).status_code
        == 400
    )
    manager = signed_in(Client(), maya)
    assert manager.get("/settings/allow-list/").status_code == 200
    assert (
        manager.post("/settings/allow-list/", {"kind": "phones", "value": "0123"}).status_code
        == 403
    )
    assert Comment.objects.count() == 0
