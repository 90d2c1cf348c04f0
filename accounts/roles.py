"""Roles and permission checks: the one place that decides who may do what.

Each role is a Django group holding explicit permissions (created by a data migration from
``ROLE_PERMISSIONS``). Views use ``require_permission``; templates use the ``can`` context.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import User

OFFICER, MANAGER, ADMIN = "officer", "manager", "admin"
ROLES = (OFFICER, MANAGER, ADMIN)
ROLE_LABELS = {OFFICER: "Communications officer", MANAGER: "Manager", ADMIN: "Admin"}

PERMISSIONS = (
    "work_queue",
    "view_reports",
    "view_audit",
    "configure",
    "manage_users",
    "reveal_personal_data",
    "approve_replies",
)
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    OFFICER: ("work_queue",),
    # Managers read everything, handle escalations and approve held replies, but change no
    # configuration.
    MANAGER: (
        "work_queue",
        "view_reports",
        "view_audit",
        "reveal_personal_data",
        "approve_replies",
    ),
    ADMIN: PERMISSIONS,
}
# Roles that must sign in with a second factor; officers may opt in.
TWO_FACTOR_ROLES = frozenset({MANAGER, ADMIN})

V = TypeVar("V", bound=Callable[..., HttpResponse])


def role_of(user: User | AnonymousUser) -> str | None:
    """The most powerful role the user holds, or None."""
    if not user.is_authenticated:
        return None
    names = {g.name for g in user.groups.all()}
    for role in (ADMIN, MANAGER, OFFICER):
        if role in names:
            return role
    return ADMIN if user.is_superuser else None


def user_can(user: User | AnonymousUser, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}")
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(f"accounts.{permission}")
    )


def requires_two_factor(user: User | AnonymousUser) -> bool:
    """Managers, admins and every superuser (whatever group they are in) need a second factor."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in TWO_FACTOR_ROLES)


def check_permission(user: User | AnonymousUser, permission: str) -> None:
    if not user_can(user, permission):
        raise PermissionDenied(f"Your role does not allow this ({permission.replace('_', ' ')}).")


def require_permission(
    permission: str, *, or_to_read: str | None = None, reading: tuple[str, ...] = ("GET", "HEAD")
) -> Callable[[V], V]:
    """The one view decorator: sign-in required, then the named permission (403 otherwise).

    With ``or_to_read``, that permission also lets a person make the ``reading`` requests (a
    manager reads the configuration that only an admin, with ``configure``, may change). A page
    whose POST changes nothing (the rule test box) names POST among its ``reading`` methods.
    """

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(user, permission):
                if not (or_to_read and user_can(user, or_to_read)):
                    check_permission(user, permission)
                if request.method not in reading:
                    raise PermissionDenied("Your role can read this but not change it.")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def acting_user(request: HttpRequest) -> User:
    """The signed-in person a view acts for (``require_permission`` turned away anyone else)."""
    user = request.user
    assert isinstance(user, User), "a view that acts must be behind require_permission"
    return user


def _active_admins() -> int:
    return User.objects.filter(is_active=True, groups__name=ADMIN).distinct().count()


def _refuse_last_admin(target: User, new_role: str | None) -> None:
    if (
        role_of(target) == ADMIN
        and new_role != ADMIN
        and target.is_active
        and _active_admins() <= 1
    ):
        raise PermissionDenied("This is the last active admin: make someone else an admin first.")


def refuse_locking_out(actor: User, target: User, *, new_role: str | None) -> None:
    """Nobody demotes or deactivates themselves, and the last active admin stays an admin
    (``new_role`` None means deactivating)."""
    if target.pk == actor.pk:
        raise PermissionDenied("You cannot change your own role or deactivate yourself.")
    _refuse_last_admin(target, new_role)


def refuse_removing_last_admin(target: User, *, new_role: str | None) -> None:
    """The last-admin check again, inside the change's own transaction and holding a lock.

    Checked only before the transaction, two admins removing each other at the same moment both
    saw two admins and left none. Every change that can take an admin away (a role change, a
    deactivation) takes the admin group's row lock first, so such changes run one after the
    other and each counts the admins the one before it left.
    """
    Group.objects.select_for_update().filter(name=ADMIN).first()
    _refuse_last_admin(User.objects.get(pk=target.pk), new_role)
