"""The escalations page: open escalations grouped by route, earliest deadline first, overdue ones
marked, each closable (audited)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.models import Comment, Escalation
from tests.helpers import signed_in
from tests.moderation.console.factories_console import escalation_for, open_item

pytestmark = pytest.mark.django_db


def test_open_escalations_are_grouped_by_route_in_deadline_order(olivia) -> None:
    later = escalation_for(
        open_item("FOI one", status=Comment.Status.ESCALATED),
        "foi",
        deadline_in=dt.timedelta(days=9),
    )
    sooner = escalation_for(
        open_item("FOI two", status=Comment.Status.ESCALATED),
        "foi",
        deadline_in=dt.timedelta(days=2),
    )
    escalation_for(open_item("Threat", status=Comment.Status.ESCALATED), "safeguarding")
    html = signed_in(Client(), olivia).get("/escalations/").content.decode()
    assert html.index("FOI two") < html.index("FOI one")
    foi_heading = re.search(r"<h2 id=\"route-\d+\">FOI team", html)
    assert foi_heading is not None
    assert "Safeguarding / police" in html
    assert f"/escalations/{sooner.pk}/close/" in html and f"/escalations/{later.pk}/close/" in html


def test_an_escalation_past_its_deadline_is_marked_overdue(olivia) -> None:
    escalation_for(
        open_item(status=Comment.Status.ESCALATED), "complaints", deadline_in=-dt.timedelta(hours=1)
    )
    html = signed_in(Client(), olivia).get("/escalations/").content.decode()
    assert "1 overdue" in html and 'class="row-overdue"' in html


def test_a_route_filter_shows_only_that_route(olivia) -> None:
    escalation_for(open_item("FOI ask", status=Comment.Status.ESCALATED), "foi")
    escalation_for(open_item("Legal worry", status=Comment.Status.ESCALATED), "legal")
    html = signed_in(Client(), olivia).get("/escalations/?route=legal").content.decode()
    assert "Legal worry" in html and "FOI ask" not in html


def test_closing_an_escalation_closes_the_item_and_is_audited(olivia) -> None:
    item = open_item(status=Comment.Status.ESCALATED)
    escalation = escalation_for(item, "foi")
    signed_in(Client(), olivia).post(
        f"/escalations/{escalation.pk}/close/", {"note": "Answered by FOI team"}
    )
    escalation.refresh_from_db()
    item.refresh_from_db()
    assert escalation.state == Escalation.State.CLOSED and "Answered by FOI team" in escalation.note
    assert item.status == Comment.Status.DONE
    assert AuditEvent.objects.filter(event_type="moderation.escalation.closed").exists()


def test_closing_twice_says_it_is_already_closed(olivia) -> None:
    escalation = escalation_for(open_item(status=Comment.Status.ESCALATED), "foi")
    client = signed_in(Client(), olivia)
    client.post(f"/escalations/{escalation.pk}/close/")
    response = client.post(f"/escalations/{escalation.pk}/close/", follow=True)
    assert "This escalation is already closed." in response.content.decode()
