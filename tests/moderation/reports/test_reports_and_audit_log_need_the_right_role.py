"""Officers cannot reach reports or the audit log; managers can, and the pages stay cheap."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in
from tests.moderation.reports.factories_reports import FlagFactory

READ_PAGES = ("/reports/", "/reports/print/", "/audit/")
EXPORTS = ("/reports/export.csv", "/audit/export.csv")


@pytest.mark.django_db
@pytest.mark.parametrize("path", READ_PAGES)
def test_an_officer_is_refused_every_managers_page(olivia, path: str) -> None:
    client = signed_in(Client(), olivia)
    assert client.get(path).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXPORTS)
def test_an_officer_is_refused_every_export(olivia, path: str) -> None:
    assert signed_in(Client(), olivia).post(path).status_code == 403


@pytest.mark.django_db
def test_an_officer_cannot_run_the_chain_check(olivia) -> None:
    assert signed_in(Client(), olivia).post("/audit/verify/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("path", READ_PAGES)
def test_a_manager_reaches_every_managers_page(maya, path: str) -> None:
    client = signed_in(Client(), maya)
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXPORTS)
def test_a_manager_takes_every_export(maya, path: str) -> None:
    assert signed_in(Client(), maya).post(path).status_code == 200


@pytest.mark.django_db
def test_someone_signed_out_is_sent_to_sign_in() -> None:
    response = Client().get("/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
def test_the_navigation_shows_reports_and_audit_to_a_manager_only(maya, olivia) -> None:
    manager_page = signed_in(Client(), maya).get("/queue/").content.decode()
    officer_page = signed_in(Client(), olivia).get("/queue/").content.decode()
    assert 'href="/reports/"' in manager_page and 'href="/audit/"' in manager_page
    assert 'href="/reports/"' not in officer_page and 'href="/audit/"' not in officer_page


def _world(comments: int) -> None:
    channel = ChannelFactory()
    for number in range(comments):
        comment = CommentFactory(channel=channel)
        FlagFactory(comment=comment, rule_key=f"rule.{number % 7}")


@pytest.mark.django_db
def test_the_report_page_runs_the_same_few_queries_however_much_data(
    maya, django_assert_max_num_queries
) -> None:
    client = signed_in(Client(), maya)
    _world(3)
    # 31 measured: the report's tables (hidden per channel and reason: 2) and the appeals (2).
    with django_assert_max_num_queries(32) as small:
        assert client.get("/reports/").status_code == 200
    _world(40)
    with django_assert_max_num_queries(32) as large:
        assert client.get("/reports/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_the_navigation_leads_a_manager_to_the_rules_and_settings_they_may_read(
    maya, olivia
) -> None:
    manager_page = signed_in(Client(), maya).get("/queue/").content.decode()
    officer_page = signed_in(Client(), olivia).get("/queue/").content.decode()
    assert 'href="/rules/"' in manager_page and 'href="/settings/"' in manager_page
    assert 'href="/rules/"' not in officer_page and 'href="/settings/"' not in officer_page
