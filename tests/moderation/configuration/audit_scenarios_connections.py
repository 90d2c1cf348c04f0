"""Audit scenarios for the connection actions (connect, reconnect, disconnect, token renewals,
expiry warnings, Mastodon app registration), for
``tests/test_every_action_records_an_audit_event.py``: ``SCENARIOS.update(CONNECTION_SCENARIOS)``.

Each scenario runs one action and returns the event type it must have recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from accounts.audit import SystemActor
from accounts.models import User
from moderation.actions import connections
from moderation.connectors.accounts import Account
from moderation.connectors.authorization import Client
from tests.factories import ChannelFactory, make_user

SYSTEM = SystemActor.system("test")
Scenario = Callable[[], str]


def _admin() -> User:
    return make_user(f"admin{timezone.now().timestamp()}", "admin")


def _account(account_id: str = "page-1", platform: str = "facebook") -> Account:
    return Account(platform, account_id, "Council Page", {"access_token": "t"})


def _chosen() -> str:
    admin = _admin()
    pending = connections.do_record_authorization("facebook", [_account()], actor=admin)
    connections.do_connect_authorized_accounts(pending, ["page-1"], actor=admin)
    return "moderation.channel.connected"


def _reconnected() -> str:
    channel = ChannelFactory(platform="facebook", account_id="page-2")
    connections.do_reconnect_channel(channel, "facebook", _account("page-2"), actor=SYSTEM)
    return "moderation.channel.reconnected"


CONNECTION_SCENARIOS: dict[str, Scenario] = {
    "moderation.actions.connections.do_record_authorization": lambda: (
        connections.do_record_authorization("facebook", [_account()], actor=_admin()),
        "moderation.channel.authorized",
    )[1],
    "moderation.actions.connections.do_connect_authorized_accounts": _chosen,
    "moderation.actions.connections.do_connect_account": lambda: (
        connections.do_connect_account(
            "app_password", _account("did:plc:x", "bluesky"), actor=SYSTEM
        ),
        "moderation.channel.connected",
    )[1],
    "moderation.actions.connections.do_reconnect_channel": _reconnected,
    "moderation.actions.connections.do_disconnect_channel": lambda: (
        connections.do_disconnect_channel(
            ChannelFactory(login={"access_token": "t"}), actor=SYSTEM
        ),
        "moderation.channel.disconnected",
    )[1],
    "moderation.actions.connections.do_record_token_refresh_failure": lambda: (
        connections.do_record_token_refresh_failure(
            ChannelFactory().pk, "invalid_grant", actor=SYSTEM
        ),
        "moderation.channel.token_refresh_failed",
    )[1],
    "moderation.actions.connections.do_record_expiry_warning": lambda: (
        connections.do_record_expiry_warning(
            ChannelFactory(reconnect_by=timezone.now() + dt.timedelta(days=3)), 7, actor=SYSTEM
        ),
        "moderation.channel.expiry_warned",
    )[1],
    "moderation.actions.connections.do_register_mastodon_app": lambda: (
        connections.do_register_mastodon_app(
            "https://mastodon.example",
            "https://console.example/cb",
            Client("id", "secret"),
            actor=SYSTEM,
        ),
        "moderation.mastodon_app.registered",
    )[1],
}
