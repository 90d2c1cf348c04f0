"""In the browser: an officer removes an abusive comment, posts the removal notice on the thread,
places a legal hold and records an appeal; opens the author's history (purpose first) and links
their account on another platform; checks a shouting draft. A manager decides the appeal and
takes an evidence pack. Every new page passes axe at desktop width and at 390 px, with no
horizontal scroll, and is photographed at both widths (test-artifacts/screenshots/)."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from moderation.models import Appeal, LegalHold, ModerationAction
from tests.factories import PASSWORD, AuthorFactory, ChannelFactory, CommentFactory, PostFactory
from tests.helpers import code_for
from tests.moderation.console.factories_console import open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def abusive() -> Any:
    channel = ChannelFactory(platform="facebook", name="Exampleshire Fire and Rescue")
    author = AuthorFactory(platform="facebook", handle="angrybob", display_name="Angry \u202eBob")
    AuthorFactory(platform="x", handle="AngryBob", display_name="Bob on X")
    CommentFactory(author=author, channel=channel, text="an earlier comment of theirs")
    return open_item(
        "You lot are useless <script>alert(1)</script> idiots",
        category="abuse",
        channel=channel,
        author=author,
        post=PostFactory(channel=channel, text="Smoke alarm testing day"),
    )


# The item page's "Why it was flagged" table is wider than a phone on main too; making the queue
# and item pages fit at 390 px is the console-officer work (issue 17 item 4), so it is left out.
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.flags-table'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'))
  .slice(0, 12)"""


def _sign_in_with_a_code(page: Any, user: Any) -> None:
    """Managers and admins sign in with a second factor."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", code_for(device))
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")


def _no_sideways_scroll(page: Any) -> None:
    wider = page.evaluate(WIDER_THAN_SCREEN)
    assert wider == [], "wider than the screen: " + ", ".join(wider)


def _check_at_both_widths(page: Any, axe: Any, shoot: Any, name: str) -> None:
    assert axe(page) == [], name
    shoot(page, f"policy-{name}-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    assert axe(page) == [], f"{name} at 390 px"
    _no_sideways_scroll(page)
    shoot(page, f"policy-{name}-390")
    page.set_viewport_size({"width": 1400, "height": 900})


def test_an_officer_works_a_removal_through(
    officer_page: Any, abusive: Any, axe: Any, shoot: Any
) -> None:
    page = officer_page
    page.goto(f"/queue/{abusive.pk}/")
    page.click("button:has-text('Remove')")
    # A removal cannot be undone on any platform: the console asks first.
    page.click("button:has-text('Yes, remove permanently')")
    page.wait_for_selector("#removal-notice")
    notice = page.locator("#notice-text").input_value()
    assert "removed because it contained abusive or offensive language" in notice
    page.click("button:has-text('Post the notice on the thread')")
    assert "Removal notice queued" in page.locator(".messages").inner_text()
    assert ModerationAction.objects.filter(comment=abusive, kind="notice").count() == 1

    page.click("summary:has-text('Place a legal hold')")
    page.fill("#hold-reason", "Police ref 41/2025")
    page.click("button:has-text('Place the hold')")
    assert page.locator(".tag-hold").first.is_visible()
    page.click("summary:has-text('Record an appeal')")
    page.fill("#appeal-via", "email")
    page.fill("#appeal-summary", "I was quoting someone else.")
    page.click("button:has-text('Record the appeal')")
    assert "Waiting for a manager" in page.locator("#appeal").inner_text()
    page.click("summary:has-text('Report it to Facebook')")
    _check_at_both_widths(page, axe, shoot, "item-after-removal")

    page.click("text=Their history and notes")
    assert "Regulation of Investigatory Powers Act 2000" in page.content()
    assert "an earlier comment of theirs" not in page.content()
    _check_at_both_widths(page, axe, shoot, "author-purpose")
    page.fill("#purpose", "Checking repeat offences before recommending a block")
    page.click("button:has-text('Record my purpose and continue')")
    assert "an earlier comment of theirs" in page.content()
    assert "Angry ⟨U+202E⟩Bob" in page.locator("h1").inner_text()
    page.click("button:has-text('Same person: link')")
    assert "Linked:" in page.locator(".messages").inner_text()
    _check_at_both_widths(page, axe, shoot, "author-profile")
    assert AuditEvent.objects.filter(event_type="moderation.author.profile_viewed").count() >= 1

    page.click("nav[aria-label=Main] >> text=Check a draft")
    page.fill("#draft-text", "PLEASE STOP ASKING ABOUT THE TIP, IT IS SHUT. Ask Mrs Jones.")
    page.click("button:has-text('Check it')")
    found = page.locator(".send-check").inner_text()
    assert "capital letters" in found and "“Mrs Jones”" in found
    _check_at_both_widths(page, axe, shoot, "check-draft")
    assert LegalHold.objects.filter(comment=abusive).count() == 1


def test_a_manager_decides_the_appeal_and_takes_an_evidence_pack(
    page: Any, maya: Any, olivia: Any, abusive: Any, axe: Any, shoot: Any
) -> None:
    from moderation.actions import do_remove_comment
    from moderation.actions.appeals import do_record_appeal

    do_remove_comment(abusive, actor=olivia)
    do_record_appeal(abusive, actor=olivia, received_via="email", summary="Quoting someone")
    _sign_in_with_a_code(page, maya)
    page.goto(f"/queue/{abusive.pk}/")
    page.click("summary:has-text('Evidence pack')")
    _check_at_both_widths(page, axe, shoot, "item-manager")

    page.click("summary:has-text('Evidence pack')")
    page.fill("#evidence-purpose", "Police ref 41/2025")
    with page.expect_download() as download:
        page.click("button:has-text('Download the evidence pack')")
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"/queue/{abusive.pk}/")
    page.check("input[name=decision][value=uphold]")
    page.click("button:has-text('Decide the appeal')")
    assert Appeal.objects.get().state == Appeal.State.UPHELD_NOT_RESTORABLE
    assert "Upheld: the platform cannot restore it" in page.locator("#appeal").inner_text()


def test_an_admin_sets_the_pre_election_period(page: Any, adam: Any, axe: Any, shoot: Any) -> None:
    from moderation.models import Organisation

    _sign_in_with_a_code(page, adam)
    page.goto("/settings/organisation/")
    page.fill("#id_pre_election_from", "2027-04-01")
    page.fill("#id_pre_election_until", "2027-05-06")
    page.click("button:has-text('Save the period')")

    assert "Saved the pre-election period" in page.locator(".messages").inner_text()
    assert str(Organisation.current().pre_election_until) == "2027-05-06"
    assert "Set: 1 Apr 2027 to 6 May 2027" in page.locator("#pre-election").inner_text()
    _check_at_both_widths(page, axe, shoot, "organisation")
