"""Escalating an item to a route it already has an open escalation with is refused with the
reason: a second press of "Escalate" (the form preselects the route the rules opened) made a
second open escalation, a second notice and a second deadline for the same team."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.actions import do_close_escalation, do_escalate_comment
from moderation.actions.comments import ActionRefused
from moderation.models import Escalation, EscalationRoute
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def test_a_second_escalation_to_an_open_route_is_refused(olivia: Any) -> None:
    comment = open_item()
    route = EscalationRoute.objects.get(key="manager")
    do_escalate_comment(comment, route, actor=olivia)

    with pytest.raises(ActionRefused, match="already escalated to"):
        do_escalate_comment(comment, route, actor=olivia)

    assert Escalation.objects.filter(comment=comment).count() == 1


def test_another_route_or_a_closed_one_may_be_escalated_to(olivia: Any) -> None:
    comment = open_item()
    manager = EscalationRoute.objects.get(key="manager")
    first = do_escalate_comment(comment, manager, actor=olivia)
    other = EscalationRoute.objects.exclude(key="manager").order_by("pk")[0]
    do_escalate_comment(comment, other, actor=olivia)
    do_close_escalation(first, actor=olivia)

    do_escalate_comment(comment, manager, actor=olivia)

    assert Escalation.objects.filter(comment=comment).count() == 3


def test_the_item_page_says_why_it_was_not_escalated(olivia: Any) -> None:
    comment = open_item()
    route = EscalationRoute.objects.get(key="manager")
    do_escalate_comment(comment, route, actor=olivia)
    client = signed_in(Client(), olivia)

    response = client.post(f"/queue/{comment.pk}/escalate/", {"route": route.pk, "note": ""})

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Not escalated: this comment is already escalated to") for m in shown)
    assert Escalation.objects.filter(comment=comment).count() == 1
