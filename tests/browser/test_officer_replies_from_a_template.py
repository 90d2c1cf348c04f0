"""An officer replies from a template: picks it, sees it filled in, edits it, sends it, and the
reply is in the outbox and the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.models import ModerationAction, Organisation
from tests.moderation.console.factories_console import open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_template_fills_the_editor_and_the_edited_reply_is_sent(
    officer_page: Any, olivia: Any, shoot: Any
) -> None:
    Organisation.objects.update(own_contacts={"emails": ["complaints@exampleshire.gov.uk"]})
    item = open_item("I want to make a formal complaint about the bins", category="complaint")
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.get_by_role("button", name="Complaints signpost").click()
    editor = page.locator("#reply-text")
    page.wait_for_function(  # a function, not a string: the page's CSP forbids eval
        "() => document.querySelector('#reply-text').value.includes('complaints procedure')"
    )
    assert "Resident" in editor.input_value()  # {author} filled in
    assert page.evaluate("document.activeElement.id") == "reply-text"
    editor.press("Control+End")
    editor.type(" Reference 4471.")
    shoot(page, "reply-from-template")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_selector("text=Reply queued")
    reply = ModerationAction.objects.get(comment=item, kind="reply")
    assert reply.text.endswith("Reference 4471.") and "complaints procedure" in reply.text
    assert "complaints@exampleshire.gov.uk" in reply.text
    event = AuditEvent.objects.get(event_type="moderation.comment.replied", target_id=str(item.pk))
    assert event.actor == olivia and event.data["template"] == "complaints-signpost"
    shoot(page, "reply-sent")
