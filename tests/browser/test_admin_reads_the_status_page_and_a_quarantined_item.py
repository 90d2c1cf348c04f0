"""An admin, in the browser: reads the status page (services and quarantined items), shows a
quarantined item as received, and reads a subject page; each passes axe's serious and critical
checks, at desktop width and at 390 px without sideways scrolling."""

from __future__ import annotations

import pytest
from django.utils import timezone

from moderation.models import QuarantinedItem, ServiceHeartbeat
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_status_and_subject_pages_read_well_and_pass_axe(admin_page, axe, shoot) -> None:
    ServiceHeartbeat.objects.create(name="scheduler", beat_at=timezone.now())
    channel = ChannelFactory(name="Exampleshire Border Services", platform="bluesky")
    QuarantinedItem.objects.create(
        channel=channel,
        source="poll",
        outcome="rejected",
        platform_id="at://did:plc:attacker0003/app.bsky.feed.post/3n42swpeic2tp",
        reason="Bluesky post item at://did:plc:attacker0003/app.bsky.feed.post/3n42swpeic2tp "
        "skipped: 2999-01-01T00:00:00+00:00 is in the future",
        raw='{"record": {"text": "<script>alert(1)</script>"}}',
        created_at=timezone.now(),
    )
    author = AuthorFactory(platform="bluesky", display_name="Mal\u202eyrol")
    CommentFactory(channel=channel, author=author, text="Ring me about invoice_\u202efdp.exe")
    page = admin_page

    page.goto("/settings/status/")
    page.click("button:has-text('Show the item as received')")
    assert "<script>alert(1)</script>" in page.locator(".raw-item").inner_text()
    for path in ("/settings/status/", f"/settings/data-protection/authors/{author.pk}/"):
        for width in (1400, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            assert axe(page) == [], (path, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
    page.goto("/settings/status/")
    shoot(page, "admin-status-390")
