"""The audit log's filters are labelled and explained in words a manager uses ("What happened",
"Kind of record", "Record number"), and its suggestions say in words what each code means; the
address parameters (event_type, target_type, target_id) stay as they were."""

from __future__ import annotations

import html

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from accounts.audit import record
from tests.factories import CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_filters_have_plain_labels_and_help(maya) -> None:
    comment = CommentFactory()
    with transaction.atomic():
        record("moderation.comment.hidden", actor=maya, target=comment)
    cache.clear()

    page = html.unescape(signed_in(Client(), maya).get("/audit/").content.decode())

    for label in ("What happened", "Kind of record", "Record number"):
        assert f">{label}</label>" in page
    assert "Target type" not in page and "Target id" not in page
    for name in ("event_type", "target_type", "target_id"):
        assert f'name="{name}"' in page
    assert '<option value="moderation.comment." label="Anything about comments">' in page
    assert '<option value="moderation.comment.hidden" label="Comment hidden">' in page
    assert '<option value="moderation.comment" label="Comment">' in page
    assert "the number of that comment, channel, rule or person" in page
