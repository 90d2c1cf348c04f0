"""Item 17: officers' replies and drafts are checked before sending: personal data, naming third
parties, party politics, capitals, and the pre-election period. Replies to party-political
comments in the pre-election period are refused with the reason; other findings need an explicit
"send anyway", which is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.actions import do_reply_to_comment
from moderation.actions.comments import ReplyNeedsConfirmation
from moderation.actions.pre_election import do_set_pre_election_period
from moderation.models import Organisation
from moderation.send_check import check_for
from rules.models import RuleSet
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def _check(text: str) -> list[str]:
    return check_for(text, Organisation.current()).codes()


def test_a_plain_helpful_reply_is_clear() -> None:
    assert _check("Thanks for asking: the tip is open from 9am on Sunday.") == []


def test_personal_data_in_a_reply_is_found() -> None:
    assert "personal_data" in _check("Call Mrs Jones on 07700 900123 about it.")


def test_capitals_only_text_is_found() -> None:
    assert "capitals" in _check("THE TIP IS CLOSED ON SUNDAY. PLEASE STOP ASKING.")


def test_naming_a_third_party_is_found() -> None:
    assert "names_a_person" in _check("Mrs Jones at number 4 reported this first.")


def test_party_politics_is_found_and_blocks_only_in_the_pre_election_period(adam: Any) -> None:
    text = "Vote Labour on Thursday to keep the library open."
    assert "political" in _check(text)
    today = timezone.localdate()
    do_set_pre_election_period(
        today - dt.timedelta(days=1), today + dt.timedelta(days=20), actor=adam
    )

    check = check_for(text, Organisation.current())

    assert check.blocked and "pre_election_political" in check.codes()


def test_the_period_also_schedules_the_pre_election_rule_set(adam: Any) -> None:
    start = dt.date(2026, 4, 1)
    do_set_pre_election_period(start, dt.date(2026, 5, 7), actor=adam)

    ruleset = RuleSet.objects.get(name="Pre-election period")
    assert timezone.localtime(ruleset.active_from).date() == start
    assert timezone.localtime(ruleset.active_until).date() == dt.date(2026, 5, 8)
    assert AuditEvent.objects.filter(event_type="moderation.organisation.pre_election_set").exists()


def test_a_reply_to_a_political_comment_in_the_period_is_refused_with_the_reason(
    olivia: Any, adam: Any
) -> None:
    comment = open_item("Vote Reform, the council is a joke", category="political")
    today = timezone.localdate()
    do_set_pre_election_period(today, today + dt.timedelta(days=30), actor=adam)

    with pytest.raises(ReplyNeedsConfirmation, match="Pre-election period") as refused:
        do_reply_to_comment(comment, "Thanks for your views.", actor=olivia, send_anyway=True)

    assert refused.value.check.blocked
    assert not comment.actions.exists()


def test_a_warning_needs_send_anyway_and_sending_anyway_is_audited(olivia: Any) -> None:
    comment = open_item("When is the tip open?", category="complaint")
    shouting = "THE TIP IS OPEN FROM NINE ON SUNDAYS."
    with pytest.raises(ReplyNeedsConfirmation, match="capital letters"):
        do_reply_to_comment(comment, shouting, actor=olivia)
    assert not comment.actions.exists()

    do_reply_to_comment(comment, shouting, actor=olivia, send_anyway=True)

    event = AuditEvent.objects.get(event_type="moderation.comment.replied")
    assert event.data["checks"] == ["capitals"] and event.data["sent_anyway"] is True


def test_the_item_page_shows_the_findings_and_keeps_the_words(officer_client: Any) -> None:
    comment = open_item("When is the tip open?", category="complaint")

    response = officer_client.post(
        f"/queue/{comment.pk}/reply/",
        {"text": "CALL MRS JONES ON 07700 900123 NOW", "template": ""},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "CALL MRS JONES ON 07700 900123 NOW</textarea>" in page
    assert "capital letters" in page and "personal information" in page
    assert 'name="send_anyway"' in page
    response = officer_client.post(
        f"/queue/{comment.pk}/reply/",
        {"text": "CALL MRS JONES ON 07700 900123 NOW", "template": "", "send_anyway": "1"},
    )
    assert response.status_code == 302
    assert comment.actions.filter(kind="reply").count() == 1


def test_the_check_my_draft_page_checks_without_sending(officer_client: Any) -> None:
    page = officer_client.post(
        "/check/", {"text": "VOTE FOR CLLR SMITH!!! HE IS GREAT"}
    ).content.decode()

    assert "capital letters" in page
    assert "party-political" in page
    assert not AuditEvent.objects.filter(event_type__startswith="moderation.comment").exists()


def test_admins_set_the_period_on_the_organisation_page(adam: Any, client: Any) -> None:
    from tests.helpers import signed_in

    signed_in(client, adam)
    response = client.post(
        "/settings/organisation/",
        {
            "form": "pre_election",
            "pre_election_from": "2026-04-01",
            "pre_election_until": "2026-05-07",
        },
    )

    assert response.status_code == 302
    org = Organisation.current()
    assert (org.pre_election_from, org.pre_election_until) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 7),
    )
