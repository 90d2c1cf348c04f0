"""Audit scenarios for the configuration, data-protection and invitation actions.

For ``tests/test_every_action_records_an_audit_event.py``:
``SCENARIOS.update(CONFIGURATION_SCENARIOS)``.

Each scenario runs one action and returns the event type it must have recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from accounts import actions as account_actions
from accounts.audit import SystemActor
from accounts.models import User
from moderation.actions import (
    channel_webhooks,
    channels,
    erasure_on_request,
    escalation_routes,
    organisation,
    reply_templates,
    retention,
    safeguarding,
    subject_access,
)
from moderation.models import Comment, EscalationRoute, ReplyTemplate
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory, make_user

SYSTEM = SystemActor.system("test")
Scenario = Callable[[], str]


def _invitee() -> User:
    return account_actions.do_create_user(
        username="invitee", role="officer", email="invitee@example.org", actor=SYSTEM
    )


def _remove_an_allow_list_entry() -> str:
    entry = safeguarding.do_add_allow_list_entry("postcodes", "IP7 5AB", "", actor=SYSTEM)
    safeguarding.do_remove_allow_list_entry(entry, actor=SYSTEM)
    return "moderation.allow_list.entry_removed"


def _old_comment() -> Comment:
    moment = timezone.now() - dt.timedelta(days=3000)
    return CommentFactory(text="An old comment", created_at=moment, received_at=moment)


CONFIGURATION_SCENARIOS: dict[str, Scenario] = {
    "moderation.actions.safeguarding.do_set_on_call_contact": lambda: (
        safeguarding.do_set_on_call_contact("Duty manager", "duty@example.org", actor=SYSTEM),
        "moderation.organisation.on_call_set",
    )[1],
    "moderation.actions.safeguarding.do_add_allow_list_entry": lambda: (
        safeguarding.do_add_allow_list_entry("phones", "01473 822801", "Food bank", actor=SYSTEM),
        "moderation.allow_list.entry_added",
    )[1],
    "moderation.actions.safeguarding.do_remove_allow_list_entry": _remove_an_allow_list_entry,
    "accounts.actions.do_invite_user": lambda: (
        account_actions.do_invite_user(
            username="invited",
            role="officer",
            full_name="Invited Person",
            email="invited@example.org",
            link_for=lambda user: "https://example.org/set-password/x/y/",
            actor=SYSTEM,
        ),
        "accounts.user.invited",
    )[1],
    "accounts.actions.do_send_invitation": lambda: (
        account_actions.do_send_invitation(_invitee(), "https://example.org/x/", actor=SYSTEM),
        "accounts.user.invited",
    )[1],
    "accounts.actions.do_set_password": lambda: (
        (lambda user: account_actions.do_set_password(user, "a long passphrase 9", actor=user))(
            make_user("setter", "officer")
        ),
        "accounts.user.password_set",
    )[1],
    "moderation.actions.channels.do_connect_channel": lambda: (
        channels.do_connect_channel(
            platform="facebook",
            account_id="1234",
            name="Council page",
            credentials={"access_token": "t"},
            actor=SYSTEM,
        ),
        "moderation.channel.connected",
    )[1],
    "moderation.actions.channels.do_update_channel": lambda: (
        channels.do_update_channel(ChannelFactory(), {"name": "Renamed"}, actor=SYSTEM),
        "moderation.channel.updated",
    )[1],
    "moderation.actions.channels.do_replace_channel_credentials": lambda: (
        channels.do_replace_channel_credentials(
            ChannelFactory(), {"access_token": "new"}, actor=SYSTEM
        ),
        "moderation.channel.credentials_replaced",
    )[1],
    "moderation.actions.channels.do_record_refreshed_credentials": lambda: (
        channels.do_record_refreshed_credentials(
            ChannelFactory().pk,
            {"access_token": "new", "refresh_token": "r", "client_id": "c"},
            actor=SYSTEM,
        ),
        "moderation.channel.token_refreshed",
    )[1],
    "moderation.actions.channel_webhooks.do_set_webhook_verify_token": lambda: (
        channel_webhooks.do_set_webhook_verify_token(ChannelFactory(), "", actor=SYSTEM),
        "moderation.channel.webhook_verify_token_set",
    )[1],
    "moderation.actions.channel_webhooks.do_request_webhook_subscription": lambda: (
        channel_webhooks.do_request_webhook_subscription(
            ChannelFactory(platform="facebook"), actor=SYSTEM
        ),
        "moderation.channel.webhook_subscription_requested",
    )[1],
    "moderation.actions.channel_webhooks.do_record_webhook_subscription": lambda: (
        channel_webhooks.do_record_webhook_subscription(ChannelFactory(), "", actor=SYSTEM),
        "moderation.channel.webhooks_subscribed",
    )[1],
    "moderation.actions.organisation.do_set_crisis_mode": lambda: (
        organisation.do_set_crisis_mode(ChannelFactory(), True, actor=SYSTEM),
        "moderation.crisis_mode.switched_on",
    )[1],
    "moderation.actions.reply_templates.do_save_reply_template": lambda: (
        reply_templates.do_save_reply_template(
            ReplyTemplate.objects.get(key="listening"),
            {"body": "We hear you, {author}."},
            actor=SYSTEM,
        ),
        "moderation.reply_template.saved",
    )[1],
    "moderation.actions.escalation_routes.do_save_escalation_route": lambda: (
        escalation_routes.do_save_escalation_route(
            EscalationRoute.objects.get(key="crisis"), {"email": "crisis@example.org"}, actor=SYSTEM
        ),
        "moderation.route.saved",
    )[1],
    "moderation.actions.organisation.do_update_organisation": lambda: (
        organisation.do_update_organisation({"staff_names": ["Jo Bloggs"]}, actor=SYSTEM),
        "moderation.organisation.updated",
    )[1],
    "moderation.actions.organisation.do_set_strike_threshold": lambda: (
        organisation.do_set_strike_threshold(5, actor=SYSTEM),
        "moderation.organisation.strike_threshold_set",
    )[1],
    "moderation.actions.organisation.do_set_retention_days": lambda: (
        organisation.do_set_retention_days(400, actor=SYSTEM),
        "moderation.organisation.retention_set",
    )[1],
    "moderation.actions.retention.do_apply_retention": lambda: (
        _old_comment(),
        retention.do_apply_retention(actor=SYSTEM),
        "moderation.retention.applied",
    )[2],
    "moderation.actions.retention.do_apply_retention_until_done": lambda: (
        _old_comment(),
        retention.do_apply_retention_until_done(actor=SYSTEM),
        "moderation.retention.applied",
    )[2],
    "moderation.actions.erasure_on_request.do_erase_author_data": lambda: (
        erasure_on_request.do_erase_author_data(
            CommentFactory().author, actor=SYSTEM, requested_by="The person", reason="Asked"
        ),
        "moderation.author.erased_on_request",
    )[1],
    "moderation.actions.subject_access.do_export_author_data": lambda: (
        subject_access.do_export_author_data(AuthorFactory(), actor=SYSTEM, export_format="json"),
        "moderation.author.data_exported",
    )[1],
}
