"""People, the audit log and second-factor devices in the Django admin: read-only.

Roles, groups and devices change only through audited actions: the users page in the console,
or the admin actions here. Passwords, authenticator keys and backup codes are never shown.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import set_up_link
from accounts.actions import do_deactivate_user, do_reactivate_user, do_reset_two_factor
from accounts.admin_site import ReadOnlyAdmin, run_action, shown_name, site
from accounts.models import AuditCheckpoint, AuditEvent, User
from accounts.roles import ROLE_LABELS, acting_user, refuse_locking_out, role_of, user_can


@admin.register(User, site=site)
class UserAdmin(ReadOnlyAdmin):
    list_display = (
        shown_name("username"),
        shown_name("full_name"),
        "email",
        "role",
        "is_active",
        "second_factor",
    )
    list_filter = ("is_active", "groups__name", "is_superuser")
    search_fields = ("username", "full_name", "email")
    fields = (
        "username",
        "full_name",
        "email",
        "is_active",
        "is_superuser",
        "groups",
        "last_login",
        "date_joined",
    )
    actions = ("deactivate", "reactivate", "reset_two_factor")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .annotate(
                has_second_factor=Exists(
                    TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
                )
            )
        )

    @admin.display(description="role")
    def role(self, user: User) -> str:
        return ROLE_LABELS.get(role_of(user) or "", "No role")

    @admin.display(description="second factor", boolean=True)
    def second_factor(self, user: Any) -> bool:
        return bool(user.has_second_factor)

    def has_manage_users_permission(self, request: HttpRequest) -> bool:
        return user_can(request.user, "manage_users")

    @admin.action(
        description="Deactivate (they can no longer sign in)", permissions=["manage_users"]
    )
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def deactivate_one(user: User) -> None:
            if not user.is_active:
                raise ValueError("already deactivated")
            refuse_locking_out(acting_user(request), user, new_role=None)
            do_deactivate_user(user, actor=acting_user(request))

        run_action(self, request, queryset, deactivate_one, "Deactivated")

    @admin.action(description="Reactivate", permissions=["manage_users"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def reactivate_one(user: User) -> None:
            if user.is_active:
                raise ValueError("already active")
            do_reactivate_user(user, actor=acting_user(request))

        run_action(self, request, queryset, reactivate_one, "Reactivated")

    @admin.action(description="Reset two-factor (lost phone)", permissions=["manage_users"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def reset_one(user: User) -> None:
            if user.pk == request.user.pk:
                raise ValueError("ask another admin to reset your own")
            do_reset_two_factor(
                user,
                actor=acting_user(request),
                link_for=lambda person: set_up_link.link(request, person),
            )

        run_action(self, request, queryset, reset_one, "Two-factor reset")


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "occurred_at",
        shown_name("actor_label"),
        "event_type",
        shown_name("target_repr"),
        "channel_id",
    )
    list_filter = ("actor_kind",)
    search_fields = ("event_type", "actor_label", "target_repr", "target_id", "request_id")
    date_hierarchy = "occurred_at"


@admin.register(AuditCheckpoint, site=site)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "last_event_id", "event_count", "key_id")


@admin.register(TOTPDevice, site=site)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")


@admin.register(StaticDevice, site=site)
class BackupCodesAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "codes_left")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaticDevice]:
        return super().get_queryset(request).annotate(left=Count("token_set"))

    @admin.display(description="codes left")
    def codes_left(self, device: Any) -> int:
        return int(device.left)


@admin.register(AccessAttempt, site=site)
class SignInLockoutAdmin(ReadOnlyAdmin):
    """django-axes' failure counts: who is locked out, from where (they expire by themselves
    after LOGIN_LOCKOUT_MINUTES)."""

    list_display = ("username", "ip_address", "failures_since_start", "attempt_time")
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "failures_since_start", "attempt_time", "user_agent")
