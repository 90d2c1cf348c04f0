"""What the two emailed links (an invitation, a set-up link) share: the person's id as it
appears in the link, and the link's full address on the host the admin is using. Each link's
token and what it lets the person do are in ``accounts.views.invitation`` and
``accounts.set_up_link``."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User


def address(request: HttpRequest, url_name: str, user: User, token: str) -> str:
    """The full address of the link ``url_name`` for ``user`` with ``token``."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return request.build_absolute_uri(reverse(url_name, args=[uid, token]))


def active_user(uidb64: str) -> User | None:
    """The active person a link's id names, or None for a malformed or unknown id."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if user.is_active else None
