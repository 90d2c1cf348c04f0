"""The officers' console: queue, items, escalations."""

from django.urls import path

from moderation.console import acting, approvals, organising, views, views_policy

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/counts/", views.queue_counts, name="queue_counts"),
    path("queue/next/", acting.claim_next, name="next"),
    path("queue/bulk/", acting.bulk, name="bulk"),
    path("queue/undo/", acting.undo, name="undo"),
    path("queue/<int:pk>/", views.item, name="item"),
    path("queue/<int:pk>/outbox/", views.item_outbox, name="item_outbox"),
    path("queue/<int:pk>/reply/", acting.reply, name="reply"),
    path("queue/<int:pk>/reply/preview/", views.reply_preview, name="reply_preview"),
    path("queue/<int:pk>/escalate/", acting.escalate, name="escalate"),
    path("queue/<int:pk>/note/", acting.note, name="note"),
    path("queue/<int:pk>/assign/", organising.assign, name="assign"),
    path("queue/<int:pk>/tags/", organising.tags, name="tag_item"),
    path("queue/<int:pk>/notice/", views_policy.removal_notice, name="removal_notice"),
    path("queue/<int:pk>/appeal/", views_policy.record_appeal, name="record_appeal"),
    path("queue/<int:pk>/report-by-hand/", views_policy.report_by_hand, name="report_by_hand"),
    path("queue/<int:pk>/legal-hold/", views_policy.place_legal_hold, name="place_legal_hold"),
    path("queue/<int:pk>/evidence/", views_policy.evidence_pack, name="evidence_pack"),
    path("queue/<int:pk>/<slug:verb>/", acting.act, name="act"),
    path("appeals/<int:pk>/decide/", views_policy.decide_appeal, name="decide_appeal"),
    path("legal-holds/<int:pk>/lift/", views_policy.lift_legal_hold, name="lift_legal_hold"),
    path("authors/<int:pk>/", views_policy.author_profile, name="author"),
    path("authors/<int:pk>/link/", views_policy.link_author, name="link_author"),
    path("authors/<int:pk>/unlink/", views_policy.unlink_author, name="unlink_author"),
    path("check/", views_policy.check_draft, name="check_draft"),
    path("actions/<int:pk>/retry/", acting.retry_action, name="retry_action"),
    path("actions/<int:pk>/cancel/", acting.cancel_action, name="cancel_action"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/close/", acting.close_escalation, name="close_escalation"),
    path("replies/awaiting/", approvals.awaiting_replies, name="awaiting_replies"),
    path("replies/<int:pk>/approve/", approvals.approve_reply, name="approve_reply"),
    path("replies/<int:pk>/reject/", approvals.reject_reply, name="reject_reply"),
]
