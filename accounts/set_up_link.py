"""The one-time link that lets a promoted or reset person set up their authenticator.

A person who already has a password and is given a role that needs a second factor they do not
have (a promotion), or whose authenticator an admin resets (a lost phone), is marked
``set_up_link_required`` and emailed this link. Set-up then needs both their password (to sign
in) and their mailbox (the link), as an invitation does for a new person, so whoever holds their
password alone cannot choose their second factor.

The token is Django's password-reset token with its own salt and hash value, so nothing is
stored: it stops working once an authenticator is set up (the flag is cleared), when their
sessions are ended (the epoch rises) and after ``PASSWORD_RESET_TIMEOUT``. Like an invitation's,
the link's first visit moves the token into the session (``accounts.views.invitation``).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from accounts import emailed_links
from accounts.models import User

SESSION_KEY = "set_up_link"


class SetUpLinkTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.set_up_link.SetUpLinkTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        assert isinstance(user, User)
        return f"{user.pk}:{timestamp}:{user.set_up_link_required}:{user.session_epoch}"


tokens = SetUpLinkTokenGenerator()


def link(request: HttpRequest, user: User) -> str:
    """The address to email ``user``, on the host the admin is using."""
    return emailed_links.address(
        request, "accounts:open_set_up_link", user, tokens.make_token(user)
    )


def user_of(uidb64: str, token: str) -> User | None:
    """The active person a link is for, if it is still good."""
    user = emailed_links.active_user(uidb64)
    if user is None or not (user.set_up_link_required and tokens.check_token(user, token)):
        return None
    return user


def opened_by(session: SessionBase, user: User) -> bool:
    """Whether this session opened a still-good link for ``user`` (not for someone else)."""
    opened = session.get(SESSION_KEY) or {}
    found = user_of(str(opened.get("uid", "")), str(opened.get("token", "")))
    return found is not None and found.pk == user.pk
