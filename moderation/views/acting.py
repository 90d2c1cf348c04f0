"""What officers do from the queue and an item: each view validates, calls one audited action, and
says what happened.

A refused action (``ActionRefused``: the platform cannot, someone else got there first, the form
was stale) comes back to the officer as a message saying why, and nothing is done; a refused
reply comes back on the item page with the officer's words still in the box. Every action
that can be undone is remembered in the session as the officer's last action, for "u"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.claims import (
    do_claim_comment,
    do_release_comment,
    refuse_if_claimed_by_other,
)
from moderation.actions.comments import (
    ActionRefused,
    ReplyNeedsConfirmation,
    do_add_note,
    do_approve_comment,
    do_block_author,
    do_detach_quote,
    do_escalate_comment,
    do_hide_comment,
    do_ignore_comment,
    do_mute_author,
    do_reject_comment,
    do_remove_comment,
    do_reply_to_comment,
    do_report_comment,
    do_reveal_personal_data,
    do_unhide_comment,
)
from moderation.actions.outbox import do_retry_action
from moderation.actions.undo import (
    UNDOABLE_VERBS,
    do_cancel_action,
    do_reopen_comment,
    do_undo_comment_action,
)
from moderation.console.confirming import confirmation_page, needs_confirmation
from moderation.console.forms import (
    BulkForm,
    EscalateForm,
    NoteForm,
    ReplyForm,
)
from moderation.console.shown import REVEALED_SESSION_KEY, seen_token
from moderation.models import (
    Comment,
    ModerationAction,
)
from moderation.platforms import permanent_because
from moderation.replies import filled_template, unfilled
from moderation.views.items import item_again
from moderation.views.queue import LAST_ACTION_SESSION_KEY

MAX_REVEALED_KEPT = 50
# verb → (action, what to tell the officer, whether it is checked against a stale form)
SIMPLE_ACTIONS: dict[str, tuple[Callable[..., Any], str, bool]] = {
    "approve": (do_approve_comment, "Approved: the comment stays up.", True),
    "hide": (do_hide_comment, "Hidden: sending to {platform}.", True),
    "remove": (do_remove_comment, "Removed: sending to {platform}.", True),
    "ignore": (do_ignore_comment, "Ignored: closed with no action.", True),
    "unhide": (do_unhide_comment, "Unhidden: sending to {platform}.", False),
    "block": (do_block_author, "Block requested: sending to {platform}.", False),
    "reject": (do_reject_comment, "Rejected: sending to {platform}.", True),
    "mute": (do_mute_author, "Mute requested: sending to {platform}.", False),
    "report": (do_report_comment, "Report sent to {platform}'s moderators.", False),
    "detach_quote": (do_detach_quote, "Detaching the quote: sending to {platform}.", True),
}
VERB_PAST = {
    "approve": "Approved",
    "hide": "Hid",
    "remove": "Removed",
    "ignore": "Ignored",
    "block": "Blocked the author of",
    "reject": "Rejected",
    "mute": "Muted the author of",
    "report": "Reported",
    "detach_quote": "Detached the quote of",
}


def item_url(comment_id: int, query: str = "") -> str:
    url = reverse("moderation:item", args=[comment_id])
    return f"{url}?{query}" if query else url


def next_url(request: HttpRequest, fallback: str) -> str:
    """The posted ``next`` if it is one of ours, else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def back_to(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, fallback))


def refuse_if_stale(request: HttpRequest, comment: Comment) -> None:
    """The form was rendered for a state the item is no longer in: say what happened instead."""
    seen = request.POST.get("seen", "")
    if seen and seen != seen_token(comment):
        who = comment.handled_by or "an automatic rule"
        when = f" at {localtime(comment.handled_at):%H:%M}" if comment.handled_at else ""
        raise ActionRefused(
            f"This item changed since you opened it: it is now "
            f"“{comment.get_status_display()}” (by {who}{when}). Nothing was done."
        )


def remember(request: HttpRequest, comment: Comment, verb: str, action: object = None) -> None:
    request.session[LAST_ACTION_SESSION_KEY] = {
        "comment": comment.pk,
        "verb": verb,
        "action": action.pk if isinstance(action, ModerationAction) else None,
    }


def remember_for_undo(request: HttpRequest, comment: Comment, verb: str, action: object) -> str:
    """Keep the action for "u" if it can be undone, and say which: the end of the message.

    An action the platform cannot take back is not kept (the officer confirmed that), so "u"
    never offers it, nor an older action in its place.
    """
    if permanent_because(comment.channel, verb):
        request.session.pop(LAST_ACTION_SESSION_KEY, None)
        return " This cannot be undone."
    remember(request, comment, verb, action)
    return " Press u to undo." if verb in UNDOABLE_VERBS else ""


def _comment(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("channel", "author", "handled_by", "claimed_by"), pk=pk
    )


@require_POST
@require_permission("work_queue")
def act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """One of the one-click actions on an item (approve, hide, remove, ignore, unhide, block)."""
    comment = _comment(pk)
    query = request.GET.urlencode()
    me = acting_user(request)
    handlers: dict[str, Callable[[], str]] = {
        "claim": lambda: (do_claim_comment(comment, actor=me), "Claimed: this item is yours.")[1],
        "release": lambda: (do_release_comment(comment, actor=me), "Released.")[1],
        "reopen": lambda: (do_reopen_comment(comment, actor=me), "Reopened.")[1],
        "reveal": lambda: _reveal(request, comment),
    }
    try:
        if verb in handlers:
            message = handlers[verb]()
        elif verb in SIMPLE_ACTIONS:
            action, message, check_stale = SIMPLE_ACTIONS[verb]
            refuse_if_claimed_by_other(comment, me)
            if check_stale:
                refuse_if_stale(request, comment)
            if needs_confirmation(request, verb, [comment]):
                return confirmation_page(
                    request,
                    verb,
                    [comment],
                    action=request.get_full_path(),
                    hidden=[(k, request.POST[k]) for k in ("seen", "next") if request.POST.get(k)],
                    back=next_url(request, item_url(comment.pk, query)),
                )
            result = action(comment, actor=me)
            message = message.format(platform=comment.channel.get_platform_display())
            message += remember_for_undo(request, comment, verb, result)
        else:
            raise PermissionDenied("Unknown action.")
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, message)
    return back_to(request, item_url(comment.pk, query))


def _reveal(request: HttpRequest, comment: Comment) -> str:
    do_reveal_personal_data(comment, actor=acting_user(request))
    revealed = [i for i in request.session.get(REVEALED_SESSION_KEY, []) if i != comment.pk]
    request.session[REVEALED_SESSION_KEY] = [comment.pk, *revealed][:MAX_REVEALED_KEPT]
    return "Personal data revealed for you on this comment (recorded in the audit log)."


@require_POST
@require_permission("work_queue")
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    query = request.GET.urlencode()
    me = acting_user(request)
    form = ReplyForm(
        request.POST, stored=filled_template(request.POST.get("template", "")[:60], comment)
    )
    if not form.is_valid():
        for error in form.errors.get("text", ["The reply is not valid."]):
            messages.error(request, f"Reply not sent: {error}")
        return item_again(request, comment.pk, reply_form=form)
    try:
        missing = unfilled(form.cleaned_data["text"])
        if missing:
            raise ActionRefused(f"replace {', '.join(missing)} with the right words first.")
        refuse_if_claimed_by_other(comment, me)
        refuse_if_stale(request, comment)
        action = do_reply_to_comment(
            comment,
            form.cleaned_data["text"],
            actor=me,
            template_key=form.cleaned_data["template"],
            send_anyway=request.POST.get("send_anyway") == "1",
        )
    except ReplyNeedsConfirmation as refusal:
        # What the policy check found is shown beside the box, with "send anyway" if allowed.
        return item_again(request, comment.pk, reply_form=form, send_check=refusal.check)
    except ActionRefused as refusal:
        messages.error(request, f"Reply not sent: {refusal}")
        return item_again(request, comment.pk, reply_form=form)
    else:
        remember(request, comment, "reply", action)
        platform = comment.channel.get_platform_display()
        if action.state == ModerationAction.State.AWAITING_APPROVAL:
            messages.success(
                request,
                f"Reply waiting for a manager's approval before it is sent to {platform}. "
                "Press u to withdraw it.",
            )
        else:
            messages.success(request, f"Reply queued: sending to {platform}.")
    return back_to(request, item_url(comment.pk, query))


@require_POST
@require_permission("work_queue")
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    query = request.GET.urlencode()
    me = acting_user(request)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not escalated: choose a route.")
        return back_to(request, item_url(comment.pk, query))
    try:
        refuse_if_claimed_by_other(comment, me)
        refuse_if_stale(request, comment)
        escalation = do_escalate_comment(
            comment,
            form.cleaned_data["route"],
            actor=me,
            note=form.cleaned_data["note"],
            assignee=form.cleaned_data["assignee"],
        )
    except ActionRefused as refusal:
        messages.error(request, f"Not escalated: {refusal}")
    else:
        remember(request, comment, "escalate")
        deadline = f"{localtime(escalation.deadline_at):%a %d %b %Y %H:%M}"
        messages.success(request, f"Escalated to {escalation.route}; due by {deadline}.")
    return back_to(request, item_url(comment.pk, query))


@require_POST
@require_permission("work_queue")
def note(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Note not saved: it needs some text.")
    else:
        about_author = form.cleaned_data["about"] == "author"
        try:
            do_add_note(
                text=form.cleaned_data["text"],
                actor=acting_user(request),
                comment=None if about_author else comment,
                author=comment.author if about_author else None,
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Note added.")
    return back_to(request, item_url(comment.pk, request.GET.urlencode()))


@require_POST
@require_permission("work_queue")
def undo(request: HttpRequest) -> HttpResponse:
    """Undo the officer's last action (kept in their session), as far as the platform allows."""
    last = request.session.get(LAST_ACTION_SESSION_KEY)
    fallback = reverse("moderation:queue")
    if not isinstance(last, dict) or not isinstance(last.get("comment"), int):
        messages.info(request, "Nothing to undo.")
        return back_to(request, fallback)
    comment = Comment.objects.filter(pk=last["comment"]).first()
    verb = str(last.get("verb", ""))
    if comment is None:
        messages.info(request, "Nothing to undo.")
    elif verb == "escalate":
        messages.error(request, "An escalation is not undone: close it from Escalations.")
    elif verb not in UNDOABLE_VERBS:
        messages.info(request, "Nothing to undo.")
    else:
        action_id = last.get("action")
        try:
            message = do_undo_comment_action(
                comment,
                verb,
                actor=acting_user(request),
                action_id=action_id if isinstance(action_id, int) else None,
            )
        except ActionRefused as refusal:
            messages.error(request, f"Not undone: {refusal}")
        else:
            messages.success(request, message)
    request.session.pop(LAST_ACTION_SESSION_KEY, None)
    return back_to(request, fallback)


@require_POST
@require_permission("work_queue")
def bulk(request: HttpRequest) -> HttpResponse:
    """One action on many items, each audited on its own; refusals are listed, not dropped."""
    form = BulkForm(request.POST)
    fallback = reverse("moderation:queue")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Nothing done: {error}")
        return back_to(request, fallback)
    verb: str = form.cleaned_data["verb"]
    ids: list[int] = form.cleaned_data["ids"]
    me = acting_user(request)
    action = SIMPLE_ACTIONS[verb][0]
    comments = Comment.objects.select_related("channel", "author", "handled_by", "claimed_by")
    found = comments.in_bulk(ids)
    if needs_confirmation(request, verb, list(found.values())):
        back = next_url(request, fallback)
        return confirmation_page(
            request,
            verb,
            list(found.values()),
            action=reverse("moderation:bulk"),
            hidden=[("verb", verb), *(("ids", str(i)) for i in ids), ("next", back)],
            back=back,
        )
    done: list[Comment] = []
    undo_hint = ""
    refused: list[str] = []
    blocked_authors: set[int] = set()
    for comment_id in ids:
        comment = found.get(comment_id)
        if comment is None:
            refused.append(f"Item {comment_id}: no longer exists.")
            continue
        if verb == "block" and comment.author_id in blocked_authors:
            done.append(comment)  # one block per person, however many items were chosen
            continue
        try:
            refuse_if_claimed_by_other(comment, me)
            result = action(comment, actor=me)
        except ActionRefused as refusal:
            refused.append(f"Item {comment_id} by {comment.author}: {refusal}")
            continue
        blocked_authors.add(comment.author_id)
        done.append(comment)
        if len(ids) == 1:
            undo_hint = remember_for_undo(request, comment, verb, result)
    if done:
        if any(permanent_because(comment.channel, verb) for comment in done):
            undo_hint = " This cannot be undone."
        what = "the comment" if len(ids) == 1 else f"{len(done)} of {len(ids)} items"
        messages.success(request, f"{VERB_PAST[verb]} {what}.{undo_hint}")
    for line in refused:
        messages.error(request, f"Not done — {line}")
    return back_to(request, fallback)


@require_POST
@require_permission("work_queue")
def retry_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ModerationAction, pk=pk)
    try:
        do_retry_action(action, actor=acting_user(request))
    except ValueError:
        messages.error(request, "Only a failed action can be retried; this one is not failed.")
    else:
        messages.success(request, f"Trying the {action.get_kind_display().lower()} again.")
    fallback = item_url(action.comment_id) if action.comment_id else reverse("moderation:queue")
    return back_to(request, fallback)


@require_POST
@require_permission("work_queue")
def cancel_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ModerationAction, pk=pk)
    try:
        do_cancel_action(action, actor=acting_user(request), reason=request.POST.get("reason", ""))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The {action.get_kind_display().lower()} was withdrawn.")
    fallback = item_url(action.comment_id) if action.comment_id else reverse("moderation:queue")
    return back_to(request, fallback)


def back_to_item(comment_id: int) -> HttpResponse:
    return redirect("moderation:item", comment_id)


def say_what_happened(request: HttpRequest, done: str, call: Any) -> bool:
    try:
        call()
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return False
    messages.success(request, done)
    return True
