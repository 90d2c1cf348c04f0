"""An export is recorded in the audit log (it takes personal data out of the console), so taking
one is a POST from the page's own form, with its CSRF token, as every other recorded action is:
a GET of an export's address (a link prefetch, a crawler, a pasted address) is refused with 405
and records nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from accounts.models import AuditEvent
from tests.helpers import signed_in, streamed

pytestmark = pytest.mark.django_db
EXPORTS = ("/reports/export.csv", "/audit/export.csv")
DOWNLOADED = "moderation.export.downloaded"


@pytest.mark.parametrize("path", EXPORTS)
def test_a_get_of_an_export_is_refused_and_records_nothing(maya, path: str) -> None:
    client = signed_in(Client(), maya)
    response = client.get(path)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not AuditEvent.objects.filter(event_type=DOWNLOADED).exists()


@pytest.mark.parametrize("path", EXPORTS)
def test_a_post_serves_the_file_and_records_one_event(maya, path: str) -> None:
    response = signed_in(Client(), maya).post(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(streamed(response).decode())))
    assert AuditEvent.objects.filter(event_type=DOWNLOADED, actor=maya).count() == 1


@pytest.mark.parametrize("path", EXPORTS)
def test_a_post_without_the_pages_csrf_token_is_refused(maya, path: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in(Client(), maya).cookies  # signed in, without the page's token
    assert client.post(path).status_code == 403
    assert not AuditEvent.objects.filter(event_type=DOWNLOADED).exists()


def test_the_report_exports_one_table_and_the_period_named_in_its_address(maya) -> None:
    client = signed_in(Client(), maya)
    response = client.post(
        "/reports/export.csv?start=2025-08-04&end=2025-08-10", {"table": "rules"}
    )
    assert "report-20250804-20250810-rules.csv" in response["Content-Disposition"]
    event = AuditEvent.objects.get(event_type=DOWNLOADED)
    assert event.data["filters"]["table"] == "rules"
    assert "start=2025-08-04" in event.data["filters"]["period"]


def test_the_pages_offer_the_exports_as_forms_that_post(maya) -> None:
    client = signed_in(Client(), maya)
    report = client.get("/reports/", {"start": "2025-08-04", "end": "2025-08-10"}).content.decode()
    assert (
        'method="post" action="/reports/export.csv?start=2025-08-04&amp;end=2025-08-10"' in report
    )
    assert 'name="table" value="categories"' in report
    assert 'href="/reports/export.csv' not in report
    audit = client.get("/audit/", {"actor_kind": "all"}).content.decode()
    assert 'method="post" action="/audit/export.csv?actor_kind=all"' in audit
    assert 'href="/audit/export.csv' not in audit
