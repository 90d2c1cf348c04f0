"""An officer escalates a Freedom of Information request by keyboard: x goes to the form, the FOI
route shows its 20-working-day deadline, and the escalation is on the escalations page and in the
audit log."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.deadlines import posted_at
from moderation.hours import add_working_days
from moderation.models import Comment, Escalation
from tests.factories import make_user
from tests.moderation.console.factories_console import FlagFactory, open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_x_opens_the_escalation_form_and_the_foi_escalation_is_recorded(
    officer_page: Any, olivia: Any, shoot: Any
) -> None:
    make_user("fiona", "officer", "Fiona FOI")
    item = open_item(
        "Under the Freedom of Information Act please send me the bypass contract costs",
        category="foi_request",
    )
    FlagFactory(comment=item, category="foi_request", route="foi", outcome="route", severity=2)
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("x")
    assert page.evaluate("document.activeElement.id") == "escalate-route"
    chosen = page.locator("#escalate-route option:checked").inner_text()
    expected = add_working_days(
        posted_at(item), 20, item.channel.nation, freedom_of_information=True
    )
    assert chosen.startswith("FOI team") and f"{expected.day} " in chosen
    page.select_option("#escalate-assignee", label="Fiona FOI")
    page.fill("#escalate-note", "Formal FOI request: bypass contract")
    shoot(page, "escalate-foi")
    page.get_by_role("button", name="Escalate", exact=True).click()
    page.wait_for_selector("text=Escalated to FOI team")
    escalation = Escalation.objects.get(comment=item)
    assert escalation.route.key == "foi" and escalation.deadline_at == expected
    assert Comment.objects.get(pk=item.pk).status == Comment.Status.ESCALATED
    assert AuditEvent.objects.filter(
        event_type="moderation.comment.escalated", target_id=str(item.pk), actor=olivia
    ).exists()
    page.goto("/escalations/")
    assert page.get_by_text("Formal FOI request: bypass contract").is_visible()
    shoot(page, "escalations-page")
