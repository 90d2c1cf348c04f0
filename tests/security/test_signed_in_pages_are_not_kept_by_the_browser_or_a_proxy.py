"""Pages a signed-in person sees hold comments, names and masked personal data: a shared council
computer's browser cache, or a proxy, must not keep them for the next person after sign-out."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import signed_in


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/queue/", "/reports/", "/audit/", "/django-admin/"])
def test_a_signed_in_page_tells_browsers_and_proxies_not_to_store_it(adam, path: str) -> None:
    response = signed_in(Client(), adam).get(path)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives
