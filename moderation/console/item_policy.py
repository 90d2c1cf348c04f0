"""What the item page's policy partials show: the removal notice, reports to the platform,
evidence packs, legal holds and appeals (``_policy_actions.html``)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q
from django.http import HttpRequest

from accounts.models import User
from accounts.roles import user_can
from moderation.actions.appeals import NOTICE_LIVE_STATES, is_taken_down
from moderation.actions.authors import strikes_across_linked
from moderation.console.forms_policy import (
    AppealForm,
    DecideAppealForm,
    EvidenceForm,
    LegalHoldForm,
    NoticeForm,
    ReasonForm,
)
from moderation.models import Appeal, Comment, LegalHold, Organisation, ReplyTemplate
from moderation.platforms import capabilities_for
from moderation.replies import REMOVAL_NOTICE_KEY, render_template

# Where to report on platforms whose API cannot: the officer opens the comment and follows these.
REPORT_STEPS = {
    "facebook": "Open the comment on Facebook, choose the three dots beside it, then "
    "“Report comment”.",
    "instagram": "Open the comment in the Instagram app, press and hold it (or swipe left), "
    "choose the “!” icon, then “Report”.",
    "youtube": "Open the comment on YouTube, choose the three-dot menu beside it, then “Report”.",
    "x": "Open the post on X, choose the three-dot menu, then “Report post”.",
    "linkedin": "Open the comment on LinkedIn, choose the three-dot menu, then “Report”.",
    "threads": "Open the reply in Threads, choose the three-dot menu, then “Report”.",
    "tiktok": "Open the comment in the TikTok app, press and hold it, then “Report”.",
}


def policy_context(request: HttpRequest, comment: Comment, org: Organisation) -> dict[str, Any]:
    """What the item page's policy partials need (a few small queries)."""
    me = cast(User, request.user)
    caps = capabilities_for(comment.channel)
    taken_down = not comment.private and is_taken_down(comment)
    notice_template = ReplyTemplate.objects.filter(key=REMOVAL_NOTICE_KEY, active=True).first()
    holds = list(
        LegalHold.objects.filter(
            Q(comment=comment) | Q(author_id=comment.author_id), lifted_at__isnull=True
        )
    )
    appeals = list(comment.appeals.all()[:10])
    return {
        "taken_down": taken_down,
        "notice_possible": caps.allows("notice") and comment.post_id is not None,
        "notice_sent": taken_down
        and comment.actions.filter(kind="notice", state__in=NOTICE_LIVE_STATES).exists(),
        "notice_where": caps.notes.get("notice", ""),
        "notice_form": NoticeForm(
            initial={"text": render_template(notice_template, comment, org)}
            if notice_template
            else None
        ),
        "report_by_api": caps.allows("report"),
        "report_steps": REPORT_STEPS.get(comment.channel.platform, ""),
        "reason_form": ReasonForm(),
        "evidence_form": EvidenceForm(),
        "can_export_evidence": user_can(me, "reveal_personal_data"),
        "holds": holds,
        "hold_form": LegalHoldForm(),
        "can_lift_holds": user_can(me, "view_reports"),
        "appeals": appeals,
        "open_appeal": next((a for a in appeals if a.state == Appeal.State.OPEN), None),
        "appeal_form": AppealForm(),
        "decide_form": DecideAppealForm(),
        "can_decide_appeals": user_can(me, "view_reports"),
        "linked_strikes": strikes_across_linked(comment.author),
    }
