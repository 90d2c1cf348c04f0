"""The Django admin's pages build their forms without Django's deprecated guess that an address
without a scheme is http (RemovedInDjango60Warning on every comment page): addresses the console
stores are platforms' https permalinks, and the next Django reads them as https anyway."""

from __future__ import annotations

import warnings

import pytest
from django.test import Client

from tests.factories import CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_a_comments_admin_page_raises_no_deprecation_warning(client: Client, adam) -> None:
    comment = CommentFactory(permalink="https://www.facebook.com/1_2?comment_id=3")
    signed_in(client, adam)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="The default scheme will be changed")
        response = client.get(f"/django-admin/moderation/comment/{comment.pk}/change/")
    assert response.status_code == 200
    assert "https://www.facebook.com/1_2?comment_id=3" in response.content.decode()
