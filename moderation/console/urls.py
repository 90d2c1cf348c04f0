"""The officers' console: queue, items, escalations."""

from django.urls import path

from moderation.console import acting, approvals, organising, views

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
    path("queue/<int:pk>/<slug:verb>/", acting.act, name="act"),
    path("actions/<int:pk>/retry/", acting.retry_action, name="retry_action"),
    path("actions/<int:pk>/cancel/", acting.cancel_action, name="cancel_action"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/close/", acting.close_escalation, name="close_escalation"),
    path("replies/awaiting/", approvals.awaiting_replies, name="awaiting_replies"),
    path("replies/<int:pk>/approve/", approvals.approve_reply, name="approve_reply"),
    path("replies/<int:pk>/reject/", approvals.reject_reply, name="reject_reply"),
]
