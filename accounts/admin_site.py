"""The Django admin: a read-only view of every record, behind the console's own sign-in.

Signing in happens only on the console's sign-in page (password, second factor, throttling and
audit); the admin's own login page sends people there. Only verified admins (and verified
superusers) get in. Models are registered read-only by each app's ``admin.py``; the only changes
offered are admin actions that call the same audited ``do_*`` functions as the console.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite

from accounts.names import neutralise_bidi
from accounts.roles import ADMIN, role_of


class ConsoleAdminSite(OTPAdminSite):
    site_header = "smpolicy records"
    site_title = "smpolicy records"
    index_title = "Every record, read-only"
    site_url = "/"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_verified()  # type: ignore[attr-defined]
            and (user.is_superuser or role_of(user) == ADMIN)
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Never take a password here: the console's sign-in asks for the second factor too."""
        if request.user.is_authenticated:
            raise PermissionDenied("The records pages are for admins.")
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")

    def logout(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST":
            logout(request)
        return redirect("accounts:login")

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        raise PermissionDenied("Passwords are not changed here.")


site = ConsoleAdminSite(name="admin")


def shown_name(field: str, description: str = "") -> Callable[[Any], str]:
    """A list column for a stored name or label (a person's, a route's, who did something):
    Django's own column shows it as stored, where a right-to-left override reorders the row, so
    this shows its direction controls as tokens, as the console does (``accounts.names``)."""

    def column(obj: Any) -> str:
        return neutralise_bidi(getattr(obj, field))

    column.__name__ = field  # the cell keeps Django's "field-<name>" class
    described = admin.display(description=description or field.replace("_", " "), ordering=field)
    return described(column)


site.disable_action("delete_selected")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search only: no add, change or delete page saves anything. Changes are admin
    actions that call audited ``do_*`` functions (``run_action``)."""

    show_full_result_count = False  # a COUNT(*) of a large table on every page is not needed
    # Stored addresses are platforms' https permalinks; say so rather than lean on Django's
    # deprecated http guess (which warns on every page that shows one).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)


def run_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable[Any],
    action: Callable[[Any], object],
    done: str,
    refusals: tuple[type[Exception], ...] = (),
) -> None:
    """Call an audited action for each selected object; say what was done and what was refused."""
    succeeded, refused = 0, []
    expected: tuple[type[Exception], ...] = (PermissionDenied, ValueError, *refusals)
    for obj in objects:
        try:
            action(obj)
        except expected as error:
            refused.append(f"{obj}: {error}")
        else:
            succeeded += 1
    if succeeded:
        model_admin.message_user(request, f"{done}: {succeeded}.", messages.SUCCESS)
    for message in refused[:10]:
        model_admin.message_user(request, f"Not done. {message}", messages.WARNING)


def audited_action(
    do: Callable[..., object],
    description: str,
    done: str,
    *,
    permission: str,
    refusals: tuple[type[Exception], ...] = (),
) -> Callable[[admin.ModelAdmin, HttpRequest, Any], None]:
    """An admin action that calls ``do(obj, actor=<the signed-in admin>)`` for each selected
    object; the ModelAdmin's ``has_<permission>_permission`` decides who is offered it."""

    def act(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
        run_action(
            model_admin,
            request,
            queryset,
            lambda obj: do(obj, actor=request.user),
            done,
            refusals,
        )

    act.__name__ = do.__name__.removeprefix("do_")
    return admin.action(description=description, permissions=[permission])(act)
