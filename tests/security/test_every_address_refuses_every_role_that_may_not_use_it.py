"""Every URL pattern, walked: anonymous visitors, officers, managers, deactivated people and
people who still owe a second factor are refused whatever the role does not allow, by GET and by
POST. A new address must be added to ``NEEDS`` below, so nobody adds one without deciding who may
use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS
from tests.factories import PASSWORD, make_user
from tests.helpers import signed_in

PUBLIC = "public"  # no sign-in: sign-in itself, health, webhooks, OAuth metadata, invitations
SIGNED_IN = "signed in"  # any signed-in person (second factor, backup codes, sign-out)
ADMIN_SITE = "django admin"  # django-otp's admin site: verified staff only

# What each address needs: a permission, and whether a role that may only read it (a manager on
# the settings pages) may read it.
NEEDS: dict[str, tuple[str, bool]] = {
    "": (PUBLIC, False),  # the redirect to the queue
    "healthz": (PUBLIC, False),
    "bluesky_client_metadata": (PUBLIC, False),
    "bluesky_jwks": (PUBLIC, False),
    "accounts:login": (PUBLIC, False),
    "accounts:logout": (PUBLIC, False),
    "accounts:open_invitation": (PUBLIC, False),
    "accounts:open_set_up_link": (PUBLIC, False),
    "accounts:set_password": (PUBLIC, False),
    "webhooks:meta": (PUBLIC, False),
    "accounts:two-factor": (SIGNED_IN, False),
    "accounts:backup_codes": (SIGNED_IN, False),
    "accounts:users": ("manage_users", False),
    "accounts:user": ("manage_users", False),
    "accounts:user_active": ("manage_users", False),
    "accounts:user_invite": ("manage_users", False),
    "accounts:user_reset_two_factor": ("manage_users", False),
    "rules:list": ("configure", True),
    "rules:ruleset": ("configure", True),
    "rules:start_draft": ("configure", False),
    "rules:statistics": ("configure", True),
    "rules:version": ("configure", True),
    "rules:rule_new": ("configure", False),
    "rules:rule_edit": ("configure", False),
    "rules:rule_delete": ("configure", False),
    "rules:version_settings": ("configure", False),
    "rules:publish": ("configure", False),
    "rules:changes": ("configure", True),
    "rules:test": ("configure", True),
    "rules:backtests": ("configure", True),
    "rules:backtest": ("configure", True),
    "moderation:queue": ("work_queue", False),
    "moderation:queue_counts": ("work_queue", False),
    "moderation:next": ("work_queue", False),
    "moderation:bulk": ("work_queue", False),
    "moderation:undo": ("work_queue", False),
    "moderation:item": ("work_queue", False),
    "moderation:item_outbox": ("work_queue", False),
    "moderation:reply": ("work_queue", False),
    "moderation:reply_preview": ("work_queue", False),
    "moderation:escalate": ("work_queue", False),
    "moderation:note": ("work_queue", False),
    "moderation:assign": ("work_queue", False),
    "moderation:tag_item": ("work_queue", False),
    "moderation:removal_notice": ("work_queue", False),
    "moderation:record_appeal": ("work_queue", False),
    "moderation:report_by_hand": ("work_queue", False),
    "moderation:place_legal_hold": ("work_queue", False),
    "moderation:evidence_pack": ("reveal_personal_data", False),
    "moderation:act": ("work_queue", False),
    "moderation:decide_appeal": ("view_reports", False),
    "moderation:lift_legal_hold": ("view_reports", False),
    "moderation:author": ("work_queue", False),
    "moderation:link_author": ("work_queue", False),
    "moderation:unlink_author": ("work_queue", False),
    "moderation:check_draft": ("work_queue", False),
    "moderation:retry_action": ("work_queue", False),
    "moderation:cancel_action": ("work_queue", False),
    "moderation:escalations": ("work_queue", False),
    "moderation:close_escalation": ("work_queue", False),
    "moderation:awaiting_replies": ("approve_replies", False),
    "moderation:approve_reply": ("approve_replies", False),
    "moderation:reject_reply": ("approve_replies", False),
    "moderation:reports": ("view_reports", False),
    "moderation:reports_print": ("view_reports", False),
    "moderation:reports_export": ("view_reports", False),
    "moderation:audit": ("view_audit", False),
    "moderation:audit_export": ("view_audit", False),
    "moderation:audit_verify": ("view_audit", False),
    "moderation:settings": ("configure", True),
    "moderation:crisis_switch": ("configure", False),
    "moderation:status": ("configure", False),
    "moderation:reveal_quarantined": ("configure", False),
    "moderation:channels": ("configure", True),
    "moderation:channel_new": ("configure", False),
    "moderation:channel_connect": ("configure", False),
    "moderation:connect_callback": ("configure", False),
    "moderation:connect_bluesky": ("configure", False),
    "moderation:connect_bluesky_oauth": ("configure", False),
    "moderation:connect_bluesky_callback": ("configure", False),
    "moderation:connect_choose": ("configure", False),
    "moderation:connect_start": ("configure", False),
    "moderation:channel_health": ("configure", True),
    "moderation:channel_disconnect": ("configure", False),
    "moderation:channel_edit": ("configure", False),
    "moderation:channel_credentials": ("configure", False),
    "moderation:channel_verify_token": ("configure", False),
    "moderation:channel_subscribe_webhooks": ("configure", False),
    "moderation:reply_templates": ("configure", True),
    "moderation:reply_template_new": ("configure", False),
    "moderation:reply_template_edit": ("configure", False),
    "moderation:routes": ("configure", True),
    "moderation:route_new": ("configure", False),
    "moderation:route_edit": ("configure", False),
    "moderation:organisation": ("configure", True),
    "moderation:on_call": ("configure", True),
    "moderation:allow_list": ("configure", True),
    "moderation:allow_list_remove": ("configure", True),
    "moderation:tags": ("configure", True),
    "moderation:tag_new": ("configure", False),
    "moderation:tag_edit": ("configure", False),
    "moderation:reply_approval": ("configure", False),
    "moderation:data_protection": ("configure", False),
    "moderation:retention_run": ("configure", False),
    "moderation:subject": ("configure", False),
    "moderation:subject_export": ("configure", False),
    "moderation:subject_erase": ("configure", False),
}

# Pages whose POST changes nothing, so that a reader may post them (the rule test box).
READ_BY_POST = {"rules:test"}

# Values for the patterns' parameters: ids that need not exist (the check comes first).
SAMPLE = {"verb": "hide", "flow": "facebook", "platform": "facebook", "uidb64": "MQ", "token": "x"}


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                yield ADMIN_SITE, prefix + route
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + route, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else (prefix + route).rstrip("/")
            yield name, prefix + route


def _concrete(route: str) -> str:
    """``queue/<int:pk>/<slug:verb>/`` becomes ``/queue/1/hide/``."""
    parts = []
    for piece in route.split("/"):
        if piece.startswith("<") and piece.endswith(">"):
            kind, _, name = piece[1:-1].partition(":")
            parts.append(SAMPLE.get(name or kind, "1"))
        else:
            parts.append(piece)
    return "/" + "/".join(parts)


# Old addresses of moved pages redirect (301) to the new ones, which are walked themselves.
MOVED_PREFIX = "settings/rules/", "settings/backtests/"
ROUTES = [
    (name, _concrete(route))
    for name, route in _walk(get_resolver().url_patterns)
    if not route.startswith(MOVED_PREFIX)
]


def test_every_address_says_who_may_use_it() -> None:
    named = {name for name, _ in ROUTES if name != ADMIN_SITE}
    assert named - NEEDS.keys() == set(), "add these addresses to NEEDS"
    assert NEEDS.keys() - named == set(), "these addresses are gone: remove them from NEEDS"


def _refused_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


GUARDED = [(name, path) for name, path in ROUTES if NEEDS.get(name, (ADMIN_SITE,))[0] != PUBLIC]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), GUARDED, ids=[name for name, _ in GUARDED])
def test_an_anonymous_visitor_is_sent_to_sign_in(name: str, path: str) -> None:
    client = Client()
    for method in (client.get, client.post):
        response = method(path)
        if name == ADMIN_SITE:
            assert response.status_code == 302, (method, path)
            assert "login" in response["Location"]
        else:
            # A page for one method answers the other with 405 before anything else.
            assert _refused_to_sign_in(response) or response.status_code == 405, (
                name,
                method.__name__,
                response.status_code,
            )


def _permissions(role: str) -> set[str]:
    return set(ROLE_PERMISSIONS[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "manager"])
def test_each_role_is_refused_what_it_may_not_do_and_reads_only_what_it_may_read(
    role: str,
) -> None:
    user = make_user(f"walker-{role}", role)
    client = signed_in(Client(), user)
    allowed = _permissions(role)
    let_through = []
    for name, path in ROUTES:
        need, readable = NEEDS.get(name, (ADMIN_SITE, False))
        if need in (PUBLIC, SIGNED_IN) or need in allowed:
            continue
        if name == ADMIN_SITE:
            for method in (client.get, client.post):
                response = method(path)
                # Django's admin sends anyone who is not staff to its (password-less) sign-in.
                if response.status_code not in (302, 403, 404):
                    let_through.append((name, method.__name__, response.status_code))
            continue
        may_read = readable and "view_reports" in allowed
        get, post = client.get(path), client.post(path)
        if not may_read and get.status_code not in (403, 405):
            let_through.append((name, "GET", get.status_code))
        if post.status_code not in (403, 405) and not (may_read and name in READ_BY_POST):
            let_through.append((name, "POST", post.status_code))
    assert let_through == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "manager", "admin"])
def test_a_deactivated_persons_session_reaches_nothing(role: str) -> None:
    user = make_user(f"gone-{role}", role)
    client = signed_in(Client(), user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    reached = []
    for name, path in ROUTES:
        if NEEDS.get(name, (ADMIN_SITE,))[0] == PUBLIC:
            continue
        for method in (client.get, client.post):
            response = method(path)
            if name == ADMIN_SITE:
                ok = response.status_code == 302 and "login" in response["Location"]
            else:
                ok = _refused_to_sign_in(response) or response.status_code == 405
            if not ok:
                reached.append((name, method.__name__, response.status_code))
    assert reached == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_a_password_without_the_second_factor_reaches_only_the_second_factor_step(
    role: str,
) -> None:
    make_user(f"half-{role}", role)
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": f"half-{role}", "password": PASSWORD})
    assert response["Location"] == "/accounts/two-factor/"
    reached = []
    for name, path in ROUTES:
        if NEEDS.get(name, (ADMIN_SITE,))[0] == PUBLIC or name == "accounts:two-factor":
            continue
        for method in (client.get, client.post):
            response = method(path)
            if not (
                response.status_code == 302
                and response["Location"].startswith("/accounts/two-factor/")
            ):
                reached.append((name, method.__name__, response.status_code))
    assert reached == []


@pytest.mark.django_db
def test_no_page_that_changes_state_takes_a_post_without_its_csrf_token(adam) -> None:
    session = signed_in(Client(), adam).cookies
    client = Client(enforce_csrf_checks=True)
    client.cookies = session
    assert client.get("/queue/").status_code == 200
    taken = []
    for name, path in ROUTES:
        if name in ("webhooks:meta", "healthz", ""):
            continue  # signed by Meta, not by a browser session; the others change nothing
        response = client.post(path)
        if response.status_code != 403:
            taken.append((name, response.status_code))
    assert taken == []
