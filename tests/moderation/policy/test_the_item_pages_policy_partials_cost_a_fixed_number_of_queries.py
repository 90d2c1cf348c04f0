"""The policy partials on the item page (holds, appeals, notice, evidence) read a fixed number of
rows however many holds and appeals an item has: the page's query count does not grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.actions import do_hide_comment
from moderation.actions.appeals import do_decide_appeal, do_record_appeal
from moderation.actions.evidence import do_lift_legal_hold, do_place_legal_hold
from tests.factories import PostFactory
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db
# Measured: 31 queries for the item page with its policy partials (they read the notice template,
# holds, appeals, whether the comment is taken down and a notice sent; the author's inline history,
# three queries, moved to the author page), and one for the date of the author's last strike.
MAX_QUERIES = 33


def _queries(client: Any, pk: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/queue/{pk}/").status_code == 200
    return len(captured)


def test_the_item_page_reads_the_same_whatever_the_history(
    manager_client: Any, olivia: Any, maya: Any
) -> None:
    quiet = open_item("rude", category="abuse", post=PostFactory())
    busy = open_item("rude too", category="abuse", post=PostFactory())
    do_hide_comment(busy, actor=olivia)
    for n in range(4):
        appeal = do_record_appeal(busy, actor=olivia, received_via="email", summary=f"no {n}")
        do_decide_appeal(appeal, actor=maya, uphold=False)
        hold = do_place_legal_hold(actor=olivia, reason=f"ref {n}", comment=busy)
        do_lift_legal_hold(hold, actor=maya, reason="done")
    do_place_legal_hold(actor=olivia, reason="ref 9", comment=busy)
    do_place_legal_hold(actor=olivia, reason="ref 10", author=busy.author)
    _queries(manager_client, quiet.pk)  # warm the session and caches

    quiet_count = _queries(manager_client, quiet.pk)
    busy_count = _queries(manager_client, busy.pk)

    assert busy_count <= quiet_count
    assert busy_count <= MAX_QUERIES, busy_count
