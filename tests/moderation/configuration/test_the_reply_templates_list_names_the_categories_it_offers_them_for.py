"""The reply templates list says which categories a template is offered for by their names, as
council staff read them ("Personal data"), not by their keys (personal_data)."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.models import ReplyTemplate
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_categories_are_shown_by_name(adam) -> None:
    ReplyTemplate.objects.create(
        key="privacy",
        name="Privacy",
        body="We removed your details.",
        for_categories=["personal_data"],
    )

    page = signed_in(Client(), adam).get("/settings/templates/").content.decode()

    assert '<span class="badge cat">Personal data</span>' in page
    assert "personal_data" not in page
