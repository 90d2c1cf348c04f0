"""Item 15: the evidence pack (PDF and ZIP) holds the text exactly as received, the permalink,
the author's id and handle, the times, the flags with their rule evidence and the audit trail;
taking one is audited and needs a role that may see personal data. Reporting by hand is recorded
where the platform's API cannot take a report."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from pypdf import PdfReader

from accounts.models import AuditEvent
from moderation.actions import do_hide_comment
from moderation.evidence import evidence_data, evidence_pdf
from moderation.models import ModerationAction
from tests.factories import ChannelFactory
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db
TEXT = "Ring me on 07700 900123 \u202eevil or else \U0001f621"


@pytest.fixture
def flagged(olivia: Any):
    comment = open_item(
        TEXT,
        category="personal_data",
        spans=[(11, 23)],
        permalink="https://www.facebook.com/1/posts/2?comment_id=3",
        raw={"id": "3", "message": TEXT},
    )
    do_hide_comment(comment, actor=olivia)
    return comment


def test_the_pack_holds_every_fact_exactly(flagged: Any) -> None:
    data = evidence_data(flagged)

    assert data["comment"]["text_as_received"] == TEXT
    assert data["comment"]["permalink"].endswith("comment_id=3")
    assert data["author"]["platform_id"] == flagged.author.platform_id
    assert data["author"]["handle"] == flagged.author.handle
    assert data["comment"]["posted_at"] and data["comment"]["fetched_at"]
    [flag] = data["flags"]
    assert flag["matched"][0]["text"] == "07700 900123"
    assert [a["kind"] for a in data["actions"]] == ["hide"]
    events = [e["event"] for e in data["audit_trail"]]
    assert "moderation.comment.hidden" in events and "moderation.action.queued" in events


def test_the_pdf_prints_the_text_and_shows_bidi_controls(flagged: Any) -> None:
    pdf = evidence_pdf(evidence_data(flagged), "Exampleshire County Council")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF")
    assert "07700 900123" in text
    assert "[U+202E]" in text
    assert "moderation.comment.hidden" in text


def test_a_manager_downloads_a_zip_and_it_is_audited(manager_client: Any, flagged: Any) -> None:
    response = manager_client.post(
        f"/queue/{flagged.pk}/evidence/", {"export_format": "zip", "purpose": "Police ref 4/25"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "SHA256SUMS",
        "evidence.json",
        "evidence.pdf",
        "raw-item.json",
    ]
    assert json.loads(archive.read("evidence.json"))["comment"]["text_as_received"] == TEXT
    assert json.loads(archive.read("raw-item.json")) == {"id": "3", "message": TEXT}
    event = AuditEvent.objects.get(event_type="moderation.comment.evidence_exported")
    assert event.data == {"format": "zip", "purpose": "Police ref 4/25"}


def test_an_officer_cannot_take_one(officer_client: Any, flagged: Any) -> None:
    response = officer_client.post(
        f"/queue/{flagged.pk}/evidence/", {"export_format": "pdf", "purpose": "curious"}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event_type="moderation.comment.evidence_exported").exists()


def test_reporting_by_hand_is_recorded_where_the_api_cannot_report(officer_client: Any) -> None:
    comment = open_item("hateful", category="hate", channel=ChannelFactory(platform="facebook"))
    page = officer_client.get(f"/queue/{comment.pk}/").content.decode()
    assert "Report it to Facebook" in page and "Report comment" in page

    officer_client.post(f"/queue/{comment.pk}/report-by-hand/", {"reason": "hate speech"})

    report = ModerationAction.objects.get(comment=comment, kind="report")
    assert report.state == "succeeded" and report.platform_response == {"reported_by_hand": True}
    assert AuditEvent.objects.filter(event_type="moderation.comment.reported_by_hand").exists()


def test_a_platform_with_a_report_api_is_reported_through_it(officer_client: Any) -> None:
    comment = open_item("hateful", category="hate", channel=ChannelFactory(platform="mastodon"))
    officer_client.post(f"/queue/{comment.pk}/report-by-hand/", {"reason": "hate speech"})
    assert not ModerationAction.objects.filter(comment=comment).exists()
