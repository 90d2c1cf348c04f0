"""A person's page lists their recent actions for an admin in words ("signed in", "comment
hidden"), not as the audit log's event types (accounts.user.signed_in)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import record
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_recent_actions_are_words(adam, olivia) -> None:
    record("moderation.comment.hidden", actor=olivia, target=olivia, data={})
    client = signed_in(Client(), adam)
    signed_in(Client(), olivia)
    page = client.get(f"/accounts/users/{olivia.pk}/").content.decode()
    actions = page.split("Recent actions", 1)[1].split("</ul>", 1)[0]
    assert "User signed in" in actions
    assert "Comment hidden" in actions
    assert "accounts.user.signed_in" not in actions
    assert "moderation.comment.hidden" not in actions
