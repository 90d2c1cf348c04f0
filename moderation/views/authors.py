"""An author's profile (a purpose asked first, every view on the record) and its cross-platform
links, made only when an officer confirms them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.authors import (
    do_link_authors,
    do_record_profile_purpose,
    do_record_profile_view,
    do_unlink_author,
    linked_authors,
    purpose_of,
    strikes_across_linked,
)
from moderation.console.forms_policy import (
    LinkAuthorForm,
    PurposeForm,
    ReasonForm,
)
from moderation.console.highlight import BIDI_CONTROLS, render_comment_html
from moderation.console.shown import masks_personal_data, safe_link, visible_flags
from moderation.models import Author, Comment, Organisation, Strike
from moderation.views.acting import say_what_happened

HISTORY_SHOWN = 50
CANDIDATES_SHOWN = 10


def shown_name(author: Author) -> str:
    """An author's name as text to show: a direction override must not reorder it."""
    return BIDI_CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", str(author))


def _candidates(author: Author) -> list[Author]:
    """Authors on other platforms with the same handle or display name: only suggestions, for
    an officer to confirm or ignore."""
    names = {n.strip().lstrip("@").lower() for n in (author.handle, author.display_name)}
    names = {n for n in names if len(n) >= 3 and n != "[erased]"}
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(handle__iexact=name) | Q(display_name__iexact=name)
    found = Author.objects.filter(query).exclude(pk=author.pk)
    if author.person_id is not None:
        found = found.exclude(person_id=author.person_id)
    return list(found.order_by("platform", "handle")[:CANDIDATES_SHOWN])


@require_permission("work_queue")
def author_profile(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    me = acting_user(request)
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if form.is_valid() and say_what_happened(
            request,
            "Purpose recorded.",
            lambda: do_record_profile_purpose(
                author, actor=me, purpose=form.cleaned_data["purpose"]
            ),
        ):
            return redirect("moderation:author", author.pk)
    else:
        form = PurposeForm()
    purpose = purpose_of(author, me)
    if purpose is None:
        return render(
            request,
            "moderation/console/author_purpose.html",
            {"nav": "queue", "author": author, "name": shown_name(author), "form": form},
            status=400 if form.errors else 200,
        )
    do_record_profile_view(author, actor=me)
    linked = linked_authors(author)
    everyone = [author, *linked]
    comments = list(
        Comment.objects.filter(author__in=everyone)
        .select_related("channel", "author")
        .prefetch_related(Prefetch("flags", queryset=visible_flags()))
        .order_by("-created_at", "-id")[:HISTORY_SHOWN]
    )
    totals = Comment.objects.filter(author__in=everyone).aggregate(
        comments=Count("id"), channels=Count("channel", distinct=True)
    )
    org = Organisation.current()
    strikes = strikes_across_linked(author)
    dated = list(
        Strike.objects.filter(author__in=everyone)
        .select_related("author")
        .order_by("-given_at", "-id")[:HISTORY_SHOWN]
    )
    live_dated = Strike.objects.filter(author__in=everyone, taken_back_at__isnull=True).count()
    return render(
        request,
        "moderation/console/author.html",
        {
            "nav": "queue",
            "author": author,
            "name": shown_name(author),
            "purpose": purpose,
            "linked": [(other, shown_name(other)) for other in linked],
            "candidates": [(other, shown_name(other)) for other in _candidates(author)],
            "link_form": LinkAuthorForm(),
            "history": [
                (
                    c,
                    shown_name(c.author),
                    render_comment_html(
                        c.text,
                        list(c.flags.all()),
                        mask_personal_data=masks_personal_data(request, c.pk),
                        limit=280,
                    ),
                    safe_link(c.permalink),
                )
                for c in comments
            ],
            "totals": totals,
            "strikes": strikes,
            "dated_strikes": dated,
            # Strikes given before each was recorded with its date.
            "undated_strikes": max(0, strikes - live_dated),
            "threshold": org.strike_threshold,
            "recommend_block": strikes >= org.strike_threshold and not author.blocked,
            "notes": list(author.notes.all()[:20]),
            "holds": list(author.legal_holds.filter(lifted_at__isnull=True)),
            "can_lift_holds": user_can(me, "view_reports"),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@require_permission("work_queue")
def link_author(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    form = LinkAuthorForm(request.POST)
    other = (
        Author.objects.filter(pk=form.cleaned_data["other"]).first() if form.is_valid() else None
    )
    if other is None:
        messages.error(request, "Not linked: that author no longer exists.")
    else:
        say_what_happened(
            request,
            "Linked: they are treated as the same person, and their strikes are counted "
            "together. Unlink them if this was a mistake.",
            lambda: do_link_authors(author, other, actor=acting_user(request)),
        )
    return redirect("moderation:author", author.pk)


@require_POST
@require_permission("work_queue")
def unlink_author(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    say_what_happened(
        request,
        "Unlinked: this author is no longer treated as the same person as the others.",
        lambda: do_unlink_author(author, actor=acting_user(request)),
    )
    return redirect("moderation:author", author.pk)
