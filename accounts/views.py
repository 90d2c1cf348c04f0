"""Sign-in, sign-out and the second-factor pages."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions, throttle
from accounts.forms import SignInForm, TokenForm
from accounts.models import User
from accounts.roles import requires_two_factor


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = _client_address(request)
        if throttle.is_locked(username, address):
            form.add_error(
                None,
                "Too many failed attempts. Wait "
                f"{settings.LOGIN_LOCKOUT_MINUTES} minutes, then try again.",
            )
            return render(request, "accounts/sign_in.html", {"form": form}, status=429)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        device = None
        reason = ""
        if user is None:
            reason = "wrong username or password"
        elif TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            device = match_token(user, form.cleaned_data["otp_token"].strip())
            if device is None:
                reason = "wrong or missing authentication code"
        if reason:
            throttle.note_failure(username, address)
            actions.do_record_failed_sign_in(username, address, reason=reason)
            form.add_error(None, f"Sign-in failed: {reason}.")
            return render(request, "accounts/sign_in.html", {"form": form}, status=401)
        assert isinstance(user, User)
        throttle.clear_failures(username, address)
        login(request, user)
        if device is not None:
            otp_login(request, device)
        actions.do_record_sign_in(user, with_second_factor=device is not None)
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
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator (first time) or prove the code for this session."""
    user = request.user
    assert isinstance(user, User)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = TokenForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and form.is_valid():
            device = match_token(user, form.cleaned_data["otp_token"].strip())
            if device is not None:
                otp_login(request, device)
                return redirect(settings.LOGIN_REDIRECT_URL)
            form.add_error("otp_token", "That code is not right. Codes change every 30 seconds.")
        return render(request, "accounts/two_factor_verify.html", {"form": form})

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = actions.do_start_two_factor(user, actor=user)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            actions.do_confirm_two_factor(user, device, actor=user)
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("otp_token", "That code is not right. Check the clock on your phone.")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr": _qr_svg(device.config_url),
            "required": requires_two_factor(user),
        },
    )
