"""Signing in and out, the second factor, and backup codes."""

from __future__ import annotations

import base64
import datetime as dt
from io import BytesIO

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions, set_up_link, two_factor
from accounts.audit import SystemActor
from accounts.client import client_address
from accounts.forms import SignInForm, TokenForm
from accounts.models import User
from accounts.roles import requires_two_factor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


# Who records a failed sign-in: nobody is signed in yet.
SIGN_IN_PAGE = SystemActor.system("sign-in page")
SIGN_IN_FAILED = (
    "Sign-in failed. Check your username, password and authentication code, then try again."
)


def _refuse(request: HttpRequest, form: SignInForm, username: str, reason: str) -> HttpResponse:
    """One answer for every failure, so that it never tells which part was wrong; the audit log
    keeps the real reason for admins."""
    actions.do_record_failed_sign_in(
        username, client_address(request), reason=reason, actor=SIGN_IN_PAGE
    )
    form.add_error(None, SIGN_IN_FAILED)
    return render(request, "accounts/sign_in.html", {"form": form}, status=401)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): this username, from this address."""
    form = SignInForm(request.POST)
    form.is_valid()  # a bound, cleaned form, to carry the message
    form.add_error(
        None,
        f"Too many failed attempts. Wait {settings.LOGIN_LOCKOUT_MINUTES} minutes, then try again.",
    )
    return render(request, "accounts/sign_in.html", {"form": form}, status=429)


def _address_is_throttled(request: HttpRequest) -> bool:
    """Whether this client address failed LOGIN_ADDRESS_FAILURE_LIMIT times, whatever the
    usernames, within the lockout period (django-axes' own rows, which it keeps that long)."""
    since = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    failures = AccessAttempt.objects.filter(
        ip_address=client_address(request) or None, attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def _locked_out(request: HttpRequest, username: str, reason: str) -> HttpResponse:
    """The locked-out page, with the refused attempt in the audit log."""
    actions.do_record_failed_sign_in(
        username, client_address(request), reason=reason, actor=SIGN_IN_PAGE
    )
    return locked_out(request)


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if _address_is_throttled(request):
            return _locked_out(request, username, "too many failures from this address")
        if AxesProxyHandler.is_locked(request, {"username": username}):
            return _locked_out(request, username, "locked out after repeated failures")
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            return _locked_out(
                request, username, "wrong username or password, the last try before locking out"
            )
        if user is None:
            return _refuse(request, form, username, "wrong username or password")
        assert isinstance(user, User)
        device = None
        if two_factor.has_second_factor(user):
            device = two_factor.verify_code(user, form.cleaned_data["otp_token"])
            if device is None:
                # Counted by django-axes like a wrong password (same username and address).
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=request
                )
                if getattr(request, "axes_locked_out", False):
                    return locked_out(request)
                return _refuse(request, form, username, "wrong or missing authentication code")
        login(request, user)
        if device is not None:
            otp_login(request, device)
        actions.do_record_sign_in(actor=user, with_second_factor=device is not None)
        if device is None and requires_two_factor(user):
            return redirect("accounts:two-factor")
        return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:login")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor_step(request: HttpRequest) -> HttpResponse:
    """Prove a code for this session, or set up an authenticator (first time)."""
    user = request.user
    assert isinstance(user, User)
    if not two_factor.has_second_factor(user):
        return _set_up(request, user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(settings.LOGIN_REDIRECT_URL)
        actions.do_record_failed_sign_in(
            user.username,
            client_address(request),
            reason="wrong authentication code at the second-factor step",
            actor=SIGN_IN_PAGE,
        )
        form.add_error("otp_token", "That code is not right. Codes change every 30 seconds.")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _set_up(request: HttpRequest, user: User) -> HttpResponse:
    """The key lives in the session until a code proves it; only then is a device stored.

    A promoted person must first open the link emailed to them: until then no key is even made,
    so their password alone cannot choose their second factor."""
    if user.set_up_link_required and not set_up_link.opened_by(request.session, user):
        return render(request, "accounts/two_factor_needs_link.html", status=403)
    key = two_factor.setup_key(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.setup_code_is_right(key, form.cleaned_data["otp_token"]):
            device = actions.do_add_authenticator(user, key, actor=user)
            del request.session[two_factor.SETUP_KEY_SESSION_KEY]
            request.session.pop(set_up_link.SESSION_KEY, None)
            otp_login(request, device)
            messages.success(
                request, "Two-factor sign-in is set up. Now make backup codes, for a lost phone."
            )
            return redirect("accounts:backup_codes")
        form.add_error("otp_token", "That code is not right. Check the clock on your phone.")
    # An unsaved device only builds the otpauth:// address the QR code carries.
    unsaved = TOTPDevice(user=user, key=key, name="Authenticator app")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": two_factor.base32_of(key),
            "qr": _qr_svg(unsaved.config_url),
            "required": requires_two_factor(user),
        },
    )


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Make (or remake) backup codes; they are shown in this one response and never again."""
    user = request.user
    assert isinstance(user, User)
    if not two_factor.has_authenticator(user):
        return redirect("accounts:two-factor")
    codes: list[str] = []
    if request.method == "POST":
        codes = actions.do_generate_backup_codes(user, actor=user)
    response = render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "left": two_factor.backup_codes_left(user)},
    )
    response["Cache-Control"] = "no-store"
    return response
