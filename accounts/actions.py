"""Audited changes to people: every function here records its event in the same transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import Actor, record
from accounts.models import User
from accounts.roles import ROLES, TWO_FACTOR_ROLES, refuse_removing_last_admin, role_of


def _snapshot(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "role": role_of(user),
        "is_active": user.is_active,
    }


@transaction.atomic
def do_create_user(
    *,
    username: str,
    role: str,
    full_name: str = "",
    email: str = "",
    password: str | None = None,
    actor: Actor,
) -> User:
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    user = User.objects.create_user(username=username, email=email, password=password)
    user.full_name = full_name
    if password is None:
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    record("accounts.user.created", actor=actor, target=user, after=_snapshot(user))
    return user


@transaction.atomic
def do_change_user_role(
    user: User, role: str, *, actor: Actor, link_for: Callable[[User], str] | None = None
) -> None:
    """Change a role. Someone with a password who now needs a second factor they do not have
    may set it up only through a link emailed to them (``accounts.set_up_link``), sent here when
    ``link_for`` makes one (else from their page): their password alone is not enough."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    refuse_removing_last_admin(user, new_role=role)
    before = _snapshot(user)
    user.groups.set([Group.objects.get(name=role)])
    _require_set_up_link(user, role)
    record(
        "accounts.user.role_changed", actor=actor, target=user, before=before, after=_snapshot(user)
    )
    if user.set_up_link_required and link_for is not None and user.email:
        do_send_set_up_link(user, link_for(user), actor=actor)


def _require_set_up_link(user: User, role: str | None) -> None:
    """Mark whether ``user`` may set up an authenticator only through an emailed link: they have
    a password (so it is not the invitation that proves their mailbox), their role needs a
    second factor, and they have none. A demotion before set-up drops the mark."""
    needed = (
        (role in TWO_FACTOR_ROLES or user.is_superuser)
        and user.has_usable_password()
        and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )
    if needed != user.set_up_link_required:
        user.set_up_link_required = needed
        user.save(update_fields=["set_up_link_required"])


SET_UP_LINK_SUBJECT = "Set up two-factor sign-in for smpolicy"


@transaction.atomic
def do_send_set_up_link(user: User, link: str, *, actor: Actor) -> None:
    """Email a promoted person the link to set up their authenticator. Never audits the link."""
    if not user.email:
        raise ValueError("This person has no email address to send the link to.")
    if not user.set_up_link_required:
        raise ValueError("This person does not need a set-up link.")
    record(
        "accounts.two_factor.set_up_link_sent", actor=actor, target=user, data={"email": user.email}
    )
    body = (
        f"Hello {user.full_name or user.username},\n\n"
        f"{actor.label} has given you a role on smpolicy that needs two-factor sign-in. "
        "Open this link, sign in with your username and password, and set up an "
        f"authenticator app (the link works until you have, for a few days):\n{link}\n\n"
        "If you were not expecting this, tell your admin: someone may know your password."
    )
    recipient = user.email
    transaction.on_commit(lambda: send_mail(SET_UP_LINK_SUBJECT, body, None, [recipient]))


@transaction.atomic
def do_deactivate_user(user: User, *, actor: Actor) -> None:
    """Stop a person signing in, and end every session they have open for good (reactivating
    them later does not bring those back). Their history stays, attributed to them."""
    refuse_removing_last_admin(user, new_role=None)
    before = _snapshot(user)
    user.is_active = False
    user.session_epoch += 1
    user.save(update_fields=["is_active", "session_epoch"])
    record(
        "accounts.user.deactivated", actor=actor, target=user, before=before, after=_snapshot(user)
    )


@transaction.atomic
def do_reactivate_user(user: User, *, actor: Actor) -> None:
    before = _snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(
        "accounts.user.reactivated", actor=actor, target=user, before=before, after=_snapshot(user)
    )


@transaction.atomic
def do_add_authenticator(user: User, key: str, *, actor: Actor) -> TOTPDevice:
    """Store the authenticator whose key the person was shown and proved with a code.

    The set-up page keeps the key in the session until then, so opening it changes nothing.
    """
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
    if user.set_up_link_required:  # the link has served: it stops working now
        user.set_up_link_required = False
        user.save(update_fields=["set_up_link_required"])
    record("accounts.two_factor.confirmed", actor=actor, target=user, data={"device": device.name})
    return device


@transaction.atomic
def do_reset_two_factor(
    user: User, *, actor: Actor, link_for: Callable[[User], str] | None = None
) -> None:
    """For a lost phone: remove the person's authenticator and backup codes and end their
    sessions. A manager or admin sets up a new authenticator through the link emailed to them
    here (when ``link_for`` makes one; else sent from their page), not with their password
    alone, which is the one factor they have left."""
    removed = [device.name for device in TOTPDevice.objects.filter(user=user)]
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    _require_set_up_link(user, role_of(user))
    record("accounts.two_factor.reset", actor=actor, target=user, data={"removed": removed})
    if user.set_up_link_required and link_for is not None and user.email:
        do_send_set_up_link(user, link_for(user), actor=actor)


BACKUP_CODE_COUNT = 10


@transaction.atomic
def do_generate_backup_codes(user: User, *, actor: Actor) -> list[str]:
    """Replace the person's backup codes with new ones; the codes are returned to show once.

    Never audited themselves: the event says only how many there are.
    """
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record(
        "accounts.two_factor.backup_codes_generated",
        actor=actor,
        target=user,
        data={"count": len(codes)},
    )
    return codes


@transaction.atomic
def do_use_backup_code(code: str, *, actor: User) -> StaticDevice | None:
    """Spend one of ``actor``'s backup codes (each works once); the use and the codes left are
    audited."""
    for device in StaticDevice.objects.select_for_update().filter(user=actor, confirmed=True):
        if device.verify_token(code.strip().lower()):
            record(
                "accounts.two_factor.backup_code_used",
                actor=actor,
                target=actor,
                data={"remaining": device.token_set.count()},
            )
            return device
    return None


@transaction.atomic
def do_record_sign_in(*, actor: User, with_second_factor: bool) -> None:
    record(
        "accounts.user.signed_in",
        actor=actor,
        target=actor,
        data={"second_factor": with_second_factor},
    )


@transaction.atomic
def do_record_failed_sign_in(username: str, address: str, *, reason: str, actor: Actor) -> None:
    record(
        "accounts.user.sign_in_failed",
        actor=actor,
        target_repr=username[:150],
        data={"username": username[:150], "address": address, "reason": reason},
    )


# --- Invitations and passwords (the users page) ----------------------------------------------

INVITATION_SUBJECT = "You have been invited to smpolicy"


@transaction.atomic
def do_send_invitation(user: User, link: str, *, actor: Actor) -> None:
    """Email a person the link to set their password. The link's token is never audited."""
    if not user.email:
        raise ValueError("This person has no email address to send the invitation to.")
    record("accounts.user.invited", actor=actor, target=user, data={"email": user.email})
    body = (
        f"Hello {user.full_name or user.username},\n\n"
        f"{actor.label} has given you an account on smpolicy, the social-media moderation "
        f"console. Your username is {user.username}.\n\n"
        f"Choose your password here (the link works once, for a few days):\n{link}\n\n"
        "If you were not expecting this, ignore this email."
    )
    recipient = user.email
    transaction.on_commit(lambda: send_mail(INVITATION_SUBJECT, body, None, [recipient]))


@transaction.atomic
def do_invite_user(
    *,
    username: str,
    role: str,
    full_name: str,
    email: str,
    link_for: Callable[[User], str],
    actor: Actor,
) -> User:
    """Create an account with no usable password and email its set-password link."""
    user = do_create_user(
        username=username, role=role, full_name=full_name, email=email, password=None, actor=actor
    )
    do_send_invitation(user, link_for(user), actor=actor)
    return user


@transaction.atomic
def do_set_password(user: User, password: str, *, actor: Actor) -> None:
    """Set a password (from an invitation link). Using the link invalidates it."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record("accounts.user.password_set", actor=actor, target=user)
