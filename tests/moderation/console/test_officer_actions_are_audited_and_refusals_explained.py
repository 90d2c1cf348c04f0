"""Acting from the console: every action goes through its audited function and the outbox;
a stale form, another officer's claim or a platform that cannot do it gets a clear message and
no second action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.deadlines import posted_at
from moderation.hours import add_working_days
from moderation.models import (
    Comment,
    Escalation,
    EscalationRoute,
    ModerationAction,
    Note,
    Organisation,
)
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item, outbox_row

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def events(comment: Comment) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="moderation.comment", target_id=str(comment.pk))
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def test_hiding_writes_an_outbox_row_closes_the_item_and_audits_it(olivia) -> None:
    item = open_item()
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/hide/")
    assert response.status_code == 302 and response["Location"] == f"/queue/{item.pk}/"
    item.refresh_from_db()
    assert item.status == Comment.Status.DONE and item.handled_by == olivia
    action = ModerationAction.objects.get(comment=item)
    assert (action.kind, action.state, action.actor) == ("hide", "pending", olivia)
    assert "moderation.comment.hidden" in events(item)
    assert "Hidden: sending to Facebook. Press u to undo." in messages_of(response)


def test_a_stale_form_is_refused_with_who_handled_it_and_nothing_is_done_twice(
    olivia, oscar
) -> None:
    item = open_item()
    olivia_client, oscar_client = signed_in(Client(), olivia), signed_in(Client(), oscar)
    seen = f"{item.status}|"
    oscar_client.post(f"/queue/{item.pk}/approve/", {"seen": seen})
    response = olivia_client.post(f"/queue/{item.pk}/hide/", {"seen": seen})
    assert any(
        "changed since you opened it" in m and "Oscar Pryce" in m for m in messages_of(response)
    )
    assert not ModerationAction.objects.filter(comment=item, kind="hide").exists()
    assert events(item).count("moderation.comment.hidden") == 0


def test_an_action_on_an_item_already_handled_shows_the_actions_own_refusal(olivia, oscar) -> None:
    item = open_item()
    signed_in(Client(), oscar).post(f"/queue/{item.pk}/ignore/")
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/remove/")
    assert any(m.startswith("Already handled by Oscar Pryce") for m in messages_of(response))
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_an_item_claimed_by_another_officer_cannot_be_acted_on(olivia, oscar) -> None:
    item = open_item(claimed_by=oscar, claimed_until=timezone.now() + dt.timedelta(minutes=5))
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/hide/")
    assert any("Oscar Pryce is working on this item" in m for m in messages_of(response))
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW


def test_an_action_the_platform_cannot_do_is_refused_with_its_reason(olivia) -> None:
    item = open_item(platform="x")
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/remove/")
    assert any("X cannot remove this comment" in m for m in messages_of(response))
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_a_block_the_platform_cannot_do_names_the_author_not_the_comment(olivia) -> None:
    item = open_item(platform="instagram")
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/block/")
    messages = messages_of(response)
    assert any("Instagram cannot block this author" in m for m in messages), messages
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_replying_from_a_template_sends_the_edited_text_and_records_the_template(olivia) -> None:
    item = open_item("Who do I complain to about the bins?", category="complaint")
    # The council's own published address: not personal data in a reply (the send check).
    Organisation.objects.update(own_contacts={"emails": ["complaints@example.gov.uk"]})
    client = signed_in(Client(), olivia)
    preview = client.get(f"/queue/{item.pk}/reply/preview/?template=complaints-signpost")
    assert preview.status_code == 200 and "complaints procedure" in preview.content.decode()
    text = "We're sorry to hear this. Please contact complaints@example.gov.uk – edited."
    client.post(f"/queue/{item.pk}/reply/", {"text": text, "template": "complaints-signpost"})
    action = ModerationAction.objects.get(comment=item, kind="reply")
    assert action.text == text
    event = AuditEvent.objects.get(event_type="moderation.comment.replied", target_id=str(item.pk))
    assert event.data["template"] == "complaints-signpost"


def test_an_empty_reply_is_not_sent(olivia) -> None:
    item = open_item()
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/reply/", {"text": "   "})
    assert any(m.startswith("Reply not sent") for m in messages_of(response))
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_escalating_an_foi_request_sets_a_twenty_working_day_deadline(olivia, oscar) -> None:
    item = open_item("Please send me all spending on the bypass (FOI)", category="foi_request")
    foi = EscalationRoute.objects.get(key="foi")
    signed_in(Client(), olivia).post(
        f"/queue/{item.pk}/escalate/",
        {"route": foi.pk, "assignee": oscar.pk, "note": "Formal FOI request"},
    )
    escalation = Escalation.objects.get(comment=item)
    assert escalation.route == foi and escalation.assignee == oscar
    assert escalation.deadline_at == add_working_days(
        posted_at(item), 20, item.channel.nation, freedom_of_information=True
    )
    assert "moderation.comment.escalated" in events(item)


def test_a_note_can_be_left_on_the_comment_or_on_its_author(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/note/", {"text": "Checked with highways", "about": "comment"})
    client.post(f"/queue/{item.pk}/note/", {"text": "Regular critic", "about": "author"})
    assert Note.objects.get(comment=item).text == "Checked with highways"
    assert Note.objects.get(author=item.author).text == "Regular critic"


def test_next_claims_the_top_item_and_opens_it(olivia) -> None:
    open_item(severity=1)
    worst = open_item(severity=5)
    response = signed_in(Client(), olivia).post("/queue/next/", {"tab": "review"})
    assert response["Location"] == f"/queue/{worst.pk}/?tab=review"
    worst.refresh_from_db()
    assert worst.claimed_by == olivia


def test_next_with_nothing_left_says_so(olivia) -> None:
    response = signed_in(Client(), olivia).post("/queue/next/")
    assert response["Location"] == "/queue/"
    assert any(
        "The queue is clear: nothing to review and nothing held." in m
        for m in messages_of(response)
    )


def test_retrying_a_failed_action_puts_it_back_in_the_outbox(olivia) -> None:
    action = outbox_row(open_item(), state="failed", last_error="Rate limited")
    signed_in(Client(), olivia).post(f"/actions/{action.pk}/retry/")
    action.refresh_from_db()
    assert action.state == "pending"
    assert AuditEvent.objects.filter(event_type="moderation.action.retried").exists()


def test_a_failed_action_done_by_hand_can_be_dismissed(olivia) -> None:
    action = outbox_row(open_item(), state="failed", last_error="Unsupported")
    signed_in(Client(), olivia).post(f"/actions/{action.pk}/cancel/")
    action.refresh_from_db()
    assert action.state == "cancelled"
    assert AuditEvent.objects.filter(event_type="moderation.action.cancelled").exists()


def test_posting_to_an_unknown_verb_is_forbidden(olivia) -> None:
    item = open_item()
    assert (
        signed_in(Client(), olivia).post(f"/queue/{item.pk}/delete-everything/").status_code == 403
    )


def test_actions_need_a_post(olivia) -> None:
    item = open_item()
    assert signed_in(Client(), olivia).get(f"/queue/{item.pk}/hide/").status_code == 405


def test_a_reply_still_holding_a_placeholder_is_not_sent(olivia) -> None:
    item = open_item()
    response = signed_in(Client(), olivia).post(
        f"/queue/{item.pk}/reply/", {"text": "Please write to {complaints_contact}."}
    )
    assert any("replace {complaints_contact}" in m for m in messages_of(response))
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_next_from_the_done_tab_hands_out_an_item_waiting_for_a_judgement(olivia) -> None:
    held = open_item(status=Comment.Status.HELD)
    response = signed_in(Client(), olivia).post("/queue/next/", {"tab": "done"})
    assert response["Location"] == f"/queue/{held.pk}/?tab=done"


def test_next_within_a_filter_only_hands_out_matching_items(olivia) -> None:
    open_item(severity=5, platform="youtube")
    wanted = open_item(severity=1, platform="facebook")
    response = signed_in(Client(), olivia).post("/queue/next/", {"platform": "facebook"})
    assert response["Location"].startswith(f"/queue/{wanted.pk}/")
