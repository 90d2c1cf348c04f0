"""Users and roles: inviting people, changing roles, deactivating (the invitation's
set-password page is in ``invitation.py``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import emailed_links, set_up_link
from accounts.actions import (
    do_change_user_role,
    do_deactivate_user,
    do_invite_user,
    do_reactivate_user,
    do_reset_two_factor,
    do_send_invitation,
    do_send_set_up_link,
)
from accounts.models import AuditEvent, User
from accounts.roles import (
    ROLE_LABELS,
    ROLES,
    acting_user,
    refuse_locking_out,
    require_permission,
    role_of,
)

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLES]


class InviteForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="Letters, digits and . @ + - _ only. They sign in with this.",
    )
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="The invitation goes here.")
    role = forms.ChoiceField(choices=ROLE_CHOICES)

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Someone already has this username.")
        return username


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


def _invitation_link(request: HttpRequest, user: User) -> str:
    token = default_token_generator.make_token(user)
    return emailed_links.address(request, "accounts:open_invitation", user, token)


def _refuse_locking_out(request: HttpRequest, target: User, *, new_role: str | None) -> None:
    assert isinstance(request.user, User)
    refuse_locking_out(request.user, target, new_role=new_role)


@require_permission("manage_users")
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        User.objects.prefetch_related(Prefetch("groups"))
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("-is_active", "username")
    )
    rows = [{"user": u, "role": ROLE_LABELS.get(role_of(u) or "", "No role")} for u in users]
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = do_invite_user(
            username=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            link_for=lambda new_user: _invitation_link(request, new_user),
            actor=acting_user(request),
        )
        messages.success(
            request, f"Invited {user.full_name}: the email is on its way to {user.email}."
        )
        return redirect("accounts:users")
    return render(
        request,
        "accounts/users/list.html",
        {"nav": "settings", "rows": rows, "form": form},
        status=400 if form.errors else 200,
    )


@require_permission("manage_users")
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    role = role_of(person)
    form = RoleForm(request.POST if request.method == "POST" else None, initial={"role": role})
    if request.method == "POST" and form.is_valid():
        new_role = form.cleaned_data["role"]
        if new_role != role:
            _refuse_locking_out(request, person, new_role=new_role)
            do_change_user_role(
                person,
                new_role,
                actor=acting_user(request),
                link_for=lambda user: set_up_link.link(request, user),
            )
            messages.success(request, f"{person} is now: {ROLE_LABELS[new_role]}.")
            if person.set_up_link_required:
                messages.info(request, _link_sent_or_missing(person))
        return redirect("accounts:user", person.pk)
    history = AuditEvent.objects.filter(actor=person).order_by("-id")[:15]
    return render(
        request,
        "accounts/users/detail.html",
        {
            "nav": "settings",
            "person": person,
            "role_label": ROLE_LABELS.get(role or "", "No role"),
            "form": form,
            "history": history,
            "is_self": person.pk == request.user.pk,
            "second_factor": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
            "invitation_pending": not person.has_usable_password(),
            "set_up_link_pending": person.has_usable_password() and person.set_up_link_required,
        },
    )


@require_POST
@require_permission("manage_users")
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate (``active=0``) or reactivate (``active=1``) a person."""
    person = get_object_or_404(User, pk=user_id)
    if request.POST.get("active") == "1":
        if not person.is_active:
            do_reactivate_user(person, actor=acting_user(request))
            messages.success(request, f"{person} can sign in again.")
    elif person.is_active:
        _refuse_locking_out(request, person, new_role=None)
        do_deactivate_user(person, actor=acting_user(request))
        messages.success(request, f"{person} can no longer sign in. Their history stays.")
    return redirect("accounts:user", person.pk)


@require_POST
@require_permission("manage_users")
def user_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """For a lost phone: the person sets up a new authenticator at their next sign-in."""
    person = get_object_or_404(User, pk=user_id)
    if person.pk == request.user.pk:
        raise PermissionDenied("Ask another admin to reset your own two-factor sign-in.")
    do_reset_two_factor(
        person, actor=acting_user(request), link_for=lambda user: set_up_link.link(request, user)
    )
    messages.success(request, f"{person}'s two-factor sign-in is reset.")
    if person.set_up_link_required:
        messages.info(request, _link_sent_or_missing(person))
    return redirect("accounts:user", person.pk)


def _link_sent_or_missing(person: User) -> str:
    if not person.email:
        return f"{person} has no email address, so no set-up link can be sent to them."
    return f"{person} sets up two-factor sign-in through the link emailed to {person.email}."


@require_POST
@require_permission("manage_users")
def user_resend_invitation(request: HttpRequest, user_id: int) -> HttpResponse:
    """Send again whichever link the person still needs: the invitation, or the set-up link."""
    person = get_object_or_404(User, pk=user_id, is_active=True)
    if person.has_usable_password() and person.set_up_link_required and person.email:
        do_send_set_up_link(person, set_up_link.link(request, person), actor=acting_user(request))
        messages.success(request, f"Sent the set-up link to {person.email} again.")
    elif person.has_usable_password():
        messages.info(request, f"{person} has already set a password.")
    else:
        do_send_invitation(person, _invitation_link(request, person), actor=acting_user(request))
        messages.success(request, f"Sent the invitation to {person.email} again.")
    return redirect("accounts:user", person.pk)
