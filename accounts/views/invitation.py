"""The pages emailed links open: an invitation's (choose a password, once, with no sign-in)
and a promoted person's authenticator set-up link (``accounts.set_up_link``).

The emailed link carries the token (``/accounts/set-password/<uid>/<token>/``). Its first visit
keeps the uid and token in this browser's session and sends the browser to the token-free
``/accounts/set-password/``, so the token is in one request's address only: not in the address
bar while the person types, not in the form's address, and not in the access or proxy log of
every step. The link's answer says ``Referrer-Policy: no-referrer``; both say
``Cache-Control: no-store``.
The token is Django's password-reset token: nothing is stored, it stops working once the
password is set (it is made from the password hash) and after ``PASSWORD_RESET_TIMEOUT``.
A set-up link (``/accounts/two-factor/enrol/<uid>/<token>/``) moves into the session the same
way and leads to the second-factor step, which asks for sign-in first if needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts import emailed_links, set_up_link
from accounts.actions import do_set_password
from accounts.models import User

SESSION_KEY = "invitation"
TEMPLATE = "accounts/users/set_password.html"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _from_link(response: HttpResponse) -> HttpResponse:
    """An answer to the token's own address: no Referer may carry that address on. Only here:
    on the form's page Chromium would then send ``Origin: null`` with the form, which the CSRF
    check refuses; that page's address holds no token, so the site's same-origin policy holds."""
    response["Referrer-Policy"] = "no-referrer"
    return _private(response)


def _invited_user(uidb64: str, token: str) -> User | None:
    user = emailed_links.active_user(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def _hold(request: HttpRequest, key: str, uidb64: str, token: str) -> None:
    """Keep a link's token in this session, under a new session id: an id planted in this
    browser beforehand (cookie tossing, a shared kiosk) must not end up holding the token."""
    request.session[key] = {"uid": uidb64, "token": token}
    request.session.cycle_key()


def _invalid(request: HttpRequest) -> HttpResponse:
    return _private(render(request, TEMPLATE, {"invalid": True}, status=400))


@require_GET
def open_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The emailed link: remember its token in this session, then leave the token's address."""
    if _invited_user(uidb64, token) is None:
        request.session.pop(SESSION_KEY, None)
        return _from_link(_invalid(request))
    _hold(request, SESSION_KEY, uidb64, token)
    return _from_link(redirect("accounts:set_password"))


def set_password(request: HttpRequest) -> HttpResponse:
    """Choose the password, for the invitation this session opened (checked again each time)."""
    opened = request.session.get(SESSION_KEY) or {}
    user = _invited_user(str(opened.get("uid", "")), str(opened.get("token", "")))
    if user is None:
        return _invalid(request)
    form: Any = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        do_set_password(user, form.cleaned_data["new_password1"], actor=user)
        del request.session[SESSION_KEY]
        messages.success(request, "Your password is set. Sign in with it now.")
        return _private(redirect("accounts:login"))
    return _private(
        render(
            request, TEMPLATE, {"form": form, "person": user}, status=400 if form.errors else 200
        )
    )


@require_GET
def open_set_up_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link emailed on promotion: remember it in this session, then set up (after signing
    in, if this browser is not signed in yet; the session keeps it through sign-in)."""
    if set_up_link.user_of(uidb64, token) is None:
        request.session.pop(set_up_link.SESSION_KEY, None)
        return _from_link(_invalid(request))
    _hold(request, set_up_link.SESSION_KEY, uidb64, token)
    return _from_link(redirect("accounts:two-factor"))
