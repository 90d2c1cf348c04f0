"""Every action button on an item page has a keyboard shortcut, and every shortcut a page offers
is listed in its shortcuts dialog (so the dialog and the page cannot drift apart)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from moderation.models import ReplyTemplate, Tag
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def dialog_keys(html: str) -> set[str]:
    dialog = re.search(r'<dialog id="shortcuts".*?</dialog>', html, re.S)
    assert dialog, "no shortcuts dialog"
    return set(re.findall(r"<kbd>([^<]+)</kbd>", dialog.group(0)))


def page_keys(html: str) -> set[str]:
    return set(re.findall(r'data-shortcut="([^"]+)"', html))


def listed(key: str, keys: set[str]) -> bool:
    return key in keys or (key.isdigit() and "1" in keys and "9" in keys)


@pytest.fixture
def busy_item():
    Tag.objects.create(key="roadworks", name="Roadworks")
    ReplyTemplate.objects.create(key="thanks", name="Thanks", body="Thank you.")
    return open_item("Hidden, and rude", status="held", platform="facebook", visibility="hidden")


def test_every_action_button_on_an_item_has_a_key(olivia, busy_item) -> None:
    html = signed_in(Client(), olivia).get(f"/queue/{busy_item.pk}/").content.decode()
    actions = re.search(
        r'<section class="card" aria-labelledby="actions-title">.*?</section>', html, re.S
    )
    assert actions
    forms = re.findall(r"<form.*?</form>", actions.group(0), re.S)
    # A tag chip's × takes that tag off (Tab reaches it); every other form is an action, and
    # its key is on its button or on the list it asks for (assign: g, tag: t).
    action_forms = [f for f in forms if 'name="op" value="remove"' not in f]
    assert len(action_forms) >= 5
    for form in action_forms:
        label = re.sub(r"<[^>]+>", " ", form).split()
        assert 'data-shortcut="' in form, f"no key for {' '.join(label)[:60]}"
    for verb, key in (("Ignore", "i"), ("Unhide", "v"), ("Block the author", "b")):
        assert re.search(rf'data-shortcut="{key}"[^>]*>{verb}', actions.group(0)), verb
    assert 'data-shortcut="c"' in html  # claim
    assert 'data-shortcut="1"' in html  # the first template
    assert 'data-shortcut="/"' in html  # search


@pytest.mark.parametrize("where", ["queue", "item"])
def test_the_dialog_lists_every_key_the_page_offers(olivia, busy_item, where) -> None:
    path = "/queue/" if where == "queue" else f"/queue/{busy_item.pk}/"
    html = signed_in(Client(), olivia).get(path).content.decode()
    keys = dialog_keys(html)
    missing = {k for k in page_keys(html) if not listed(k, keys)}
    assert not missing, f"keys on the {where} page missing from the dialog: {sorted(missing)}"
    for key in ("i", "b", "v", "c", "g", "t", "/", "s", "y"):
        assert key in keys, f"the dialog does not list {key}"
