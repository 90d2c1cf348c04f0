"""Every moderation page under one namespace, by area; the views are in ``moderation.views``.

The rule pages (rule sets, versions, the test box, statistics, backtests) are all in ``rules:``;
their old addresses under /settings/ redirect there, for bookmarks.
"""

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path
from django.views.generic import RedirectView

from moderation.views import (
    acting,
    appeals,
    approvals,
    audit,
    authors,
    check_draft,
    claiming,
    escalations,
    evidence,
    items,
    organising,
    queue,
    reports,
)
from moderation.views.settings import (
    channels,
    connect,
    connect_bluesky,
    data_protection,
    home,
    organisation,
    routes,
    safeguarding,
    status,
    tags,
    templates,
    webhooks,
)


def moved_to(pattern_name: str) -> Callable[..., HttpResponseBase]:
    """A permanent redirect from an old address to the same page's new one."""
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)


app_name = "moderation"
urlpatterns = [
    # The officers' console: the queue, items, escalations, authors, approvals.
    path("queue/", queue.queue, name="queue"),
    path("queue/counts/", queue.queue_counts, name="queue_counts"),
    path("queue/next/", claiming.claim_next, name="next"),
    path("queue/bulk/", acting.bulk, name="bulk"),
    path("queue/undo/", acting.undo, name="undo"),
    path("queue/<int:pk>/", items.item, name="item"),
    path("queue/<int:pk>/outbox/", items.item_outbox, name="item_outbox"),
    path("queue/<int:pk>/reply/", acting.reply, name="reply"),
    path("queue/<int:pk>/reply/preview/", items.reply_preview, name="reply_preview"),
    path("queue/<int:pk>/escalate/", acting.escalate, name="escalate"),
    path("queue/<int:pk>/note/", acting.note, name="note"),
    path("queue/<int:pk>/assign/", organising.assign, name="assign"),
    path("queue/<int:pk>/tags/", organising.tags, name="tag_item"),
    path("queue/<int:pk>/notice/", appeals.removal_notice, name="removal_notice"),
    path("queue/<int:pk>/appeal/", appeals.record_appeal, name="record_appeal"),
    path("queue/<int:pk>/report-by-hand/", evidence.report_by_hand, name="report_by_hand"),
    path("queue/<int:pk>/legal-hold/", evidence.place_legal_hold, name="place_legal_hold"),
    path("queue/<int:pk>/evidence/", evidence.evidence_pack, name="evidence_pack"),
    path("queue/<int:pk>/<slug:verb>/", acting.act, name="act"),
    path("appeals/<int:pk>/decide/", appeals.decide_appeal, name="decide_appeal"),
    path("legal-holds/<int:pk>/lift/", evidence.lift_legal_hold, name="lift_legal_hold"),
    path("authors/<int:pk>/", authors.author_profile, name="author"),
    path("authors/<int:pk>/link/", authors.link_author, name="link_author"),
    path("authors/<int:pk>/unlink/", authors.unlink_author, name="unlink_author"),
    path("check/", check_draft.check_draft, name="check_draft"),
    path("actions/<int:pk>/retry/", acting.retry_action, name="retry_action"),
    path("actions/<int:pk>/cancel/", acting.cancel_action, name="cancel_action"),
    path("escalations/", escalations.escalations, name="escalations"),
    path("escalations/<int:pk>/close/", escalations.close_escalation, name="close_escalation"),
    path("replies/awaiting/", approvals.awaiting_replies, name="awaiting_replies"),
    path("replies/<int:pk>/approve/", approvals.approve_reply, name="approve_reply"),
    path("replies/<int:pk>/reject/", approvals.reject_reply, name="reject_reply"),
    # Managers' pages: reports, the audit log and their exports.
    path("reports/", reports.reports, name="reports"),
    path("reports/print/", reports.reports_print, name="reports_print"),
    path("reports/export.csv", reports.reports_export, name="reports_export"),
    path("audit/", audit.audit, name="audit"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("audit/verify/", audit.audit_verify, name="audit_verify"),
    # Settings (admins change, managers read).
    path("settings/", home.settings_home, name="settings"),
    path("settings/crisis/", home.crisis_switch, name="crisis_switch"),
    path("settings/status/", status.status, name="status"),
    path(
        "settings/status/quarantined/<int:item_id>/reveal/",
        status.reveal_quarantined,
        name="reveal_quarantined",
    ),
    path("settings/channels/", channels.channel_list, name="channels"),
    path("settings/channels/new/", channels.channel_new, name="channel_new"),
    path("settings/channels/connect/", connect.connect, name="channel_connect"),
    path(
        "settings/channels/connect/callback/",
        connect.connect_callback,
        name="connect_callback",
    ),
    path(
        "settings/channels/connect/bluesky/",
        connect.connect_bluesky,
        name="connect_bluesky",
    ),
    path(
        "settings/channels/connect/bluesky/sign-in/",
        connect_bluesky.connect_bluesky_oauth,
        name="connect_bluesky_oauth",
    ),
    path(
        "settings/channels/connect/bluesky/callback/",
        connect_bluesky.connect_bluesky_callback,
        name="connect_bluesky_callback",
    ),
    path(
        "settings/channels/connect/choose/<int:pending_id>/",
        connect.connect_choose,
        name="connect_choose",
    ),
    path(
        "settings/channels/connect/<slug:flow>/",
        connect.connect_start,
        name="connect_start",
    ),
    path(
        "settings/channels/<int:channel_id>/health/",
        connect.channel_health,
        name="channel_health",
    ),
    path(
        "settings/channels/<int:channel_id>/disconnect/",
        connect.channel_disconnect,
        name="channel_disconnect",
    ),
    path("settings/channels/<int:channel_id>/", channels.channel_edit, name="channel_edit"),
    path(
        "settings/channels/<int:channel_id>/credentials/",
        channels.channel_credentials,
        name="channel_credentials",
    ),
    path(
        "settings/channels/<int:channel_id>/webhooks/verify-token/",
        webhooks.verify_token,
        name="channel_verify_token",
    ),
    path(
        "settings/channels/<int:channel_id>/webhooks/subscribe/",
        webhooks.subscribe,
        name="channel_subscribe_webhooks",
    ),
    path("settings/templates/", templates.template_list, name="reply_templates"),
    path("settings/templates/new/", templates.template_edit, name="reply_template_new"),
    path(
        "settings/templates/<int:template_id>/", templates.template_edit, name="reply_template_edit"
    ),
    path("settings/routes/", routes.route_list, name="routes"),
    path("settings/routes/new/", routes.route_edit, name="route_new"),
    path("settings/routes/<int:route_id>/", routes.route_edit, name="route_edit"),
    path("settings/organisation/", organisation.organisation, name="organisation"),
    path("settings/on-call/", safeguarding.on_call, name="on_call"),
    path("settings/allow-list/", safeguarding.allow_list, name="allow_list"),
    path(
        "settings/allow-list/<int:entry_id>/remove/",
        safeguarding.allow_list_remove,
        name="allow_list_remove",
    ),
    path("settings/tags/", tags.tag_list, name="tags"),
    path("settings/tags/new/", tags.tag_edit, name="tag_new"),
    path("settings/tags/<int:tag_id>/", tags.tag_edit, name="tag_edit"),
    path("settings/reply-approval/", organisation.reply_approval, name="reply_approval"),
    path(
        "settings/data-protection/",
        data_protection.data_protection,
        name="data_protection",
    ),
    path(
        "settings/data-protection/retention/",
        data_protection.retention_run,
        name="retention_run",
    ),
    path(
        "settings/data-protection/authors/<int:author_id>/",
        data_protection.subject,
        name="subject",
    ),
    path(
        "settings/data-protection/authors/<int:author_id>/export/",
        data_protection.subject_export,
        name="subject_export",
    ),
    path(
        "settings/data-protection/authors/<int:author_id>/erase/",
        data_protection.subject_erase,
        name="subject_erase",
    ),
    # Old addresses of the rule pages.
    path("settings/rules/versions/<int:version_id>/test/", moved_to("rules:test")),
    path("settings/rules/<int:ruleset_id>/statistics/", moved_to("rules:statistics")),
    path("settings/rules/versions/<int:version_id>/backtests/", moved_to("rules:backtests")),
    path("settings/backtests/<int:backtest_id>/", moved_to("rules:backtest")),
]
