"""Acting on one queue row says what was done to that comment ("Hid the comment."), not
"Hid 1 of 1 items."; counts are for when several items were chosen."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("verb", "said"),
    [
        ("hide", "Hid the comment. Press u to undo."),
        ("ignore", "Ignored the comment. Press u to undo."),
        ("block", "Blocked the author of the comment. Press u to undo."),
    ],
)
def test_one_row_acted_on_is_the_comment(olivia, verb, said) -> None:
    item = open_item(channel=ChannelFactory(platform="facebook"))

    response = signed_in(Client(), olivia).post("/queue/bulk/", {"verb": verb, "ids": [item.pk]})

    assert [str(m) for m in get_messages(response.wsgi_request)] == [said]


def test_several_rows_are_counted(olivia) -> None:
    channel = ChannelFactory(platform="facebook")
    items = [open_item(f"Comment {n}", channel=channel) for n in range(2)]

    response = signed_in(Client(), olivia).post(
        "/queue/bulk/", {"verb": "hide", "ids": [c.pk for c in items]}
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Hid 2 of 2 items."]
