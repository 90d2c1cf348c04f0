"""The status page lists quarantined items with their reasons; the item as the platform sent it
(which may hold personal data) is shown only after an audited reveal, escaped, with bidi
controls made visible."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.models import QuarantinedItem
from tests.factories import ChannelFactory
from tests.helpers import signed_in

RETENTION = SystemActor.system("retention schedule")

pytestmark = pytest.mark.django_db


@pytest.fixture
def item() -> QuarantinedItem:
    return QuarantinedItem.objects.create(
        channel=ChannelFactory(name="Council \u202eegap\u202c"),
        source=QuarantinedItem.Source.POLL,
        outcome=QuarantinedItem.Outcome.REJECTED,
        platform_id="at://did:plc:x/app.bsky.feed.post/1",
        reason="Bluesky post item at://did:plc:x/app.bsky.feed.post/1 skipped: missing text",
        raw='{"record": {"text": "<script>alert(1)</script> call 07700 900123"}}',
        created_at=timezone.now(),
    )


def test_the_reason_is_listed_and_the_item_is_shown_only_after_an_audited_reveal(
    client: Client, adam, item: QuarantinedItem
) -> None:
    signed_in(client, adam)

    page = client.get("/settings/status/").content.decode()

    assert "missing text" in page
    assert "07700 900123" not in page
    assert "⟨U+202E⟩" in page and "\u202e" not in page
    response = client.post(f"/settings/status/quarantined/{item.pk}/reveal/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        event_type="moderation.quarantine.item_revealed", target_id=str(item.pk)
    ).exists()
    page = client.get("/settings/status/").content.decode()
    assert "07700 900123" in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_officers_and_managers_cannot_see_the_status_page_or_reveal(
    client: Client, olivia, maya, item: QuarantinedItem
) -> None:
    for person in (olivia, maya):
        signed_in(client, person)
        assert client.get("/settings/status/").status_code == 403
        assert client.post(f"/settings/status/quarantined/{item.pk}/reveal/").status_code == 403
    assert not AuditEvent.objects.filter(event_type="moderation.quarantine.item_revealed").exists()


def test_retention_removes_quarantined_items_older_than_the_retention_period(
    item: QuarantinedItem,
) -> None:
    import datetime as dt

    from moderation.actions.retention import do_apply_retention
    from moderation.models import Organisation

    days = Organisation.current().retention_days
    QuarantinedItem.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days + 1)
    )
    recent = QuarantinedItem.objects.create(
        channel=item.channel,
        source="poll",
        outcome="rejected",
        reason="x",
        created_at=timezone.now(),
    )

    counts = do_apply_retention(actor=RETENTION)

    assert counts.quarantined == 1
    assert list(QuarantinedItem.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.filter(event_type="moderation.retention.applied").exists()
