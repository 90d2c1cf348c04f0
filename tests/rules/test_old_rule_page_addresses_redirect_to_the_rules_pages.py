"""The rule pages that used to live under /settings/ (the test box, statistics, backtests) moved
to /rules/ with the other rule pages; a bookmark to the old address still lands on the page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/settings/rules/versions/7/test/", "/rules/versions/7/test/"),
        ("/settings/rules/3/statistics/", "/rules/3/statistics/"),
        ("/settings/rules/versions/7/backtests/", "/rules/versions/7/backtests/"),
        ("/settings/backtests/9/?x=1", "/rules/backtests/9/?x=1"),
    ],
)
def test_an_old_address_redirects_permanently(adam, old: str, new: str) -> None:
    response = signed_in(Client(), adam).get(old)
    assert response.status_code == 301
    assert response["Location"] == new
