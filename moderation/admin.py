"""Channels, comments, the outbox, escalations and the rest in the Django admin: read-only.

The changes offered are admin actions that call the console's audited actions with the signed-in
admin as the actor (hide, escalate, close an escalation, retry or cancel a platform action).
Comment text, author and channel names are hostile: shown escaped, with direction controls made
visible (``render_comment_html``); so are the names admins type and the labels naming who did
what (``shown_name``). Credentials and cursors are never shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString

from accounts.admin_site import ReadOnlyAdmin, audited_action, run_action, shown_name, site
from accounts.roles import acting_user, user_can
from moderation.actions import (
    ActionRefused,
    do_cancel_action,
    do_close_escalation,
    do_escalate_comment,
    do_hide_comment,
    do_retry_action,
)
from moderation.console.highlight import redact_personal_data, render_comment_html
from moderation.models import (
    Author,
    Backtest,
    Channel,
    Comment,
    Escalation,
    EscalationRoute,
    Flag,
    ModerationAction,
    Note,
    Organisation,
    Post,
    ReplyTemplate,
    Strike,
)

REFUSALS = (ActionRefused,)
# Admin actions on comments, escalations and the outbox need the permission to work the queue.
QUEUE_WORK: dict[str, Any] = {"permission": "work_queue", "refusals": REFUSALS}


def shown(text: str, limit: int | None = 120) -> SafeString:
    return render_comment_html(text or "", limit=limit)


# Personal data stays masked here: the console's item page is where it is revealed, on the record.
def shown_masked(comment: Comment, limit: int | None = 120) -> SafeString:
    flags = list(comment.flags.all())
    return render_comment_html(comment.text or "", flags, mask_personal_data=True, limit=limit)


def about_comment(text: str, comment: Comment | None, limit: int | None = None) -> SafeString:
    """A note or explanation about a comment, with that comment's personal data taken out."""
    if comment is not None:
        text = redact_personal_data(text, comment.text, list(comment.flags.all()))
    return shown(text, limit=limit)


class ModeratingAdmin(ReadOnlyAdmin):
    """Admin actions here act on comments: they need the permission to work the queue."""

    def has_work_queue_permission(self, request: HttpRequest) -> bool:
        return user_can(request.user, "work_queue")


@admin.register(Organisation, site=site)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = (shown_name("name"), "crisis_mode", "strike_threshold", "retention_days")


@admin.register(Channel, site=site)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ("shown_name", "platform", "account_id", "status", "enabled", "last_polled_at")
    list_filter = ("platform", "status", "enabled", "crisis_mode")
    search_fields = ("name", "account_id")
    list_select_related = ("ruleset",)
    exclude = ("credentials", "cursor")

    @admin.display(description="name", ordering="name")
    def shown_name(self, channel: Channel) -> SafeString:
        return shown(channel.name)


@admin.register(Author, site=site)
class AuthorAdmin(ReadOnlyAdmin):
    list_display = ("shown_name", "shown_handle", "platform", "strikes", "blocked", "first_seen")
    list_filter = ("platform", "blocked")
    search_fields = ("handle", "display_name", "platform_id")

    @admin.display(description="name", ordering="display_name")
    def shown_name(self, author: Author) -> SafeString:
        return shown(author.display_name)

    @admin.display(description="handle", ordering="handle")
    def shown_handle(self, author: Author) -> SafeString:
        return shown(author.handle)


@admin.register(Post, site=site)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("platform_id", "channel", "shown_text", "created_at")
    list_select_related = ("channel",)
    list_filter = ("channel__platform",)
    search_fields = ("platform_id", "text")

    @admin.display(description="text")
    def shown_text(self, post: Post) -> SafeString:
        return shown(post.text)


class EscalateForm(ActionForm):
    route = forms.ModelChoiceField(
        queryset=EscalationRoute.objects.all(), required=False, label="Route (to escalate)"
    )


@admin.register(Comment, site=site)
class CommentAdmin(ModeratingAdmin):
    list_display = (
        "id",
        "channel",
        "shown_author",
        "shown_text",
        "status",
        "visibility",
        "priority",
        "received_at",
    )
    list_select_related = ("channel", "author")
    list_filter = ("status", "visibility", "channel__platform", "channel")
    search_fields = ("platform_id", "text", "author__handle", "author__display_name")
    date_hierarchy = "received_at"
    exclude = ("text", "raw")
    readonly_fields = ("full_text",)
    raw_id_fields = ("post", "parent", "author", "claimed_by", "handled_by")
    action_form = EscalateForm
    actions = ("hide", "escalate")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).prefetch_related("flags")

    @admin.display(description="text")
    def shown_text(self, comment: Comment) -> SafeString:
        return shown_masked(comment)

    @admin.display(description="author")
    def shown_author(self, comment: Comment) -> SafeString:
        return shown(str(comment.author))

    @admin.display(description="text")
    def full_text(self, comment: Comment) -> SafeString:
        return shown_masked(comment, limit=None)

    hide = audited_action(
        do_hide_comment, "Hide on the platform", "Hidden (sent to the platform)", **QUEUE_WORK
    )

    @admin.action(description="Escalate to the route chosen", permissions=["work_queue"])
    def escalate(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        route_id = request.POST.get("route", "")
        route = EscalationRoute.objects.filter(pk=route_id).first() if route_id.isdigit() else None
        if route is None:
            self.message_user(request, "Choose a route to escalate to.", level="warning")
            return
        run_action(
            self,
            request,
            queryset,
            lambda comment: do_escalate_comment(comment, route, actor=acting_user(request)),
            f"Escalated to {route}",
            REFUSALS,
        )


@admin.register(Flag, site=site)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("id", "comment", "category", "rule_key", "severity", "outcome", "shadow")
    list_select_related = ("comment",)
    list_filter = ("category", "outcome", "shadow", "reversed")
    search_fields = ("rule_key", "rule_name")
    raw_id_fields = ("comment", "rule")
    exclude = ("explanation",)
    readonly_fields = ("shown_explanation",)

    @admin.display(description="explanation")
    def shown_explanation(self, flag: Flag) -> SafeString:
        flags = list(flag.comment.flags.all())
        quoted = flag.category == "personal_data"
        return shown(
            redact_personal_data(flag.explanation, flag.comment.text, flags, quoted=quoted)
        )


@admin.register(ModerationAction, site=site)
class ModerationActionAdmin(ModeratingAdmin):
    list_display = (
        "id",
        "kind",
        "state",
        "channel",
        "comment",
        shown_name("actor_label"),
        "requested_at",
    )
    list_select_related = ("channel", "comment")
    list_filter = ("state", "kind", "channel__platform")
    search_fields = ("actor_label", "platform_id", "last_error")
    raw_id_fields = ("comment", "author", "actor")
    exclude = ("text",)
    readonly_fields = ("reply_text",)
    actions = ("retry", "cancel")

    @admin.display(description="reply text")
    def reply_text(self, action: ModerationAction) -> SafeString:
        return shown(action.text, limit=None)

    retry = audited_action(do_retry_action, "Retry a failed action", "Queued again", **QUEUE_WORK)
    cancel = audited_action(do_cancel_action, "Cancel", "Cancelled", **QUEUE_WORK)


@admin.register(ReplyTemplate, site=site)
class ReplyTemplateAdmin(ReadOnlyAdmin):
    list_display = (shown_name("name"), "key", "active", "offered_first_in_crisis", "position")
    list_filter = ("active",)
    search_fields = ("name", "key", "body")


@admin.register(EscalationRoute, site=site)
class EscalationRouteAdmin(ReadOnlyAdmin):
    list_display = (shown_name("name"), "key", "email", "deadline_kind", "deadline_amount")
    search_fields = ("name", "key", "email")


@admin.register(Escalation, site=site)
class EscalationAdmin(ModeratingAdmin):
    list_display = (
        "id",
        "route",
        "comment",
        "state",
        "deadline_at",
        shown_name("created_by_label"),
    )
    list_select_related = ("route", "comment")
    list_filter = ("state", "route")
    search_fields = ("created_by_label", "note")
    raw_id_fields = ("comment", "assignee")
    exclude = ("note",)
    readonly_fields = ("shown_note",)
    actions = ("close",)

    @admin.display(description="note")
    def shown_note(self, escalation: Escalation) -> SafeString:
        return about_comment(escalation.note, escalation.comment)

    close = audited_action(do_close_escalation, "Close", "Closed", **QUEUE_WORK)


@admin.register(Note, site=site)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ("id", "shown_text", "comment", shown_name("written_by_label"), "created_at")
    list_select_related = ("comment",)
    search_fields = ("text", "written_by_label")
    raw_id_fields = ("comment", "author", "written_by")
    exclude = ("text",)
    readonly_fields = ("full_text",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Note]:
        return super().get_queryset(request).prefetch_related("comment__flags")

    @admin.display(description="text")
    def shown_text(self, note: Note) -> SafeString:
        return about_comment(note.text, note.comment, limit=120)

    @admin.display(description="text")
    def full_text(self, note: Note) -> SafeString:
        return about_comment(note.text, note.comment)


@admin.register(Backtest, site=site)
class BacktestAdmin(ReadOnlyAdmin):
    list_display = ("id", "version", "state", "since", "until", "processed", "total")
    list_select_related = ("version__ruleset",)
    list_filter = ("state",)
    exclude = ("results",)


@admin.register(Strike, site=site)
class StrikeAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "author",
        "verb",
        shown_name("given_by_label"),
        "given_at",
        "taken_back_at",
    )
    list_select_related = ("author",)
    list_filter = ("verb",)
    raw_id_fields = ("author", "comment", "action")
