"""The report (page, paper, CSV) and the audit log run a fixed number of queries: a quiet week
and a busy fortnight on six channels (hides, escalations, rules, offenders) cost the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import CommentFactory
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import busy_fortnight, london

PERIOD = {"start": "2025-08-04", "end": "2025-08-17"}
PAGES = (
    ("/reports/", PERIOD),
    ("/reports/print/", PERIOD),
    ("/reports/export.csv", PERIOD),
    ("/audit/", {"actor_kind": "all"}),
)


def _queries(client: Client, assert_max: Any, address: str, query: dict[str, str]) -> int:
    with assert_max(34) as counted:
        if address.endswith(".csv"):  # an export is a POST (it is recorded)
            response = export(client, address, query)
        else:
            response = client.get(address, query)
        assert response.status_code == 200
        if response.streaming:
            streamed(response)
    return len(counted.captured_queries)


@pytest.mark.django_db
def test_a_busy_fortnight_costs_what_a_quiet_week_does(
    maya, olivia, oscar, django_assert_max_num_queries
) -> None:
    client = signed_in(Client(), maya)
    CommentFactory(received_at=london(2025, 8, 5, 10))
    for address, query in PAGES:  # the first visit fills the audit log's cached suggestions
        _queries(client, django_assert_max_num_queries, address, query)
    quiet = [_queries(client, django_assert_max_num_queries, a, q) for a, q in PAGES]
    busy_fortnight(london(2025, 8, 4, 8), [olivia, oscar])
    busy = [_queries(client, django_assert_max_num_queries, a, q) for a, q in PAGES]
    assert busy == quiet
