"""Comment text is hostile: script tags, entities, direction overrides, emoji and 100,000
characters are shown as text on the queue, item and escalation pages, never as markup."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.models import Comment
from tests.factories import AuthorFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import escalation_for, open_item

pytestmark = pytest.mark.django_db

HOSTILE = [
    '<script>document.title="owned"</script><img src=x onerror=alert(1)>',
    "&lt;b&gt;not bold&lt;/b&gt; &#x3C;i&#x3E;",
    "refund\u202etxt.exe please \u2066isolated",
    "👍🏽👩‍👩‍👧 ok 🇬🇧",
    "{{ 7*7 }} {% now 'Y' %} ${jndi:x}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_escaped_on_the_queue_item_and_escalation_pages(olivia, text: str) -> None:
    item = open_item(text, status=Comment.Status.ESCALATED, spans=[(0, 6)])
    escalation_for(item, "manager")
    client = signed_in(Client(), olivia)
    for url in ("/queue/?tab=escalated", f"/queue/{item.pk}/", "/escalations/"):
        html = client.get(url).content.decode()
        assert "<script>document" not in html and "<img src=x" not in html
        assert "\u202e" not in html and "\u2066" not in html


def test_a_hostile_author_name_is_escaped_and_isolated(olivia) -> None:
    author = AuthorFactory(display_name='<b onmouseover="x">Bad\u202eName</b>')
    item = open_item("hello", author=author)
    html = signed_in(Client(), olivia).get(f"/queue/{item.pk}/").content.decode()
    assert '<b onmouseover="x">' not in html
    assert "<bdi>&lt;b onmouseover=&quot;x&quot;&gt;Bad" in html


def test_a_hundred_thousand_character_comment_is_cut_in_the_list_and_whole_on_its_page(
    olivia,
) -> None:
    text = ("word " * 20_000)[:99_990] + "THE END<>"
    item = open_item(text)
    client = signed_in(Client(), olivia)
    queue_html = client.get("/queue/").content.decode()
    assert "THE END" not in queue_html and len(queue_html) < 60_000
    item_html = client.get(f"/queue/{item.pk}/").content.decode()
    assert "THE END&lt;&gt;" in item_html
