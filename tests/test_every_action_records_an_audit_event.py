"""Every state-changing function (`do_…` in an actions module) writes its audit event.

New actions must get a scenario here: the first test fails, naming any `do_…` function that has
none, so nothing can change state unaudited by oversight.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import ModuleType

import pytest
from django.utils import timezone

import moderation.actions
from accounts import actions as account_actions
from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation import actions as mod
from moderation.actions import backtests, exports, spikes
from moderation.connectors.errors import TransientError
from moderation.models import EscalationRoute, ModerationAction
from moderation.spikes import HourlyRate
from rules import actions as rule_actions
from rules.engine import Match
from rules.models import RuleSet
from tests.factories import ChannelFactory, CommentFactory, fetched, make_user
from tests.moderation.configuration.audit_scenarios_configuration import CONFIGURATION_SCENARIOS
from tests.moderation.configuration.audit_scenarios_connections import CONNECTION_SCENARIOS
from tests.moderation.console.audit_scenarios_console import CONSOLE_SCENARIOS
from tests.moderation.policy.audit_scenarios_policy import POLICY_SCENARIOS
from tests.security.audit_scenarios_data import DATA_SCENARIOS

SYSTEM = SystemActor.system("test")
Scenario = Callable[[], str]  # runs the action; returns the event type it must have recorded


def action_modules() -> list[ModuleType]:
    modules: list[ModuleType] = [
        account_actions,
        rule_actions,
    ]
    for info in pkgutil.iter_modules(moderation.actions.__path__):
        modules.append(importlib.import_module(f"moderation.actions.{info.name}"))
    return modules


def discovered_actions() -> set[str]:
    names = set()
    for module in action_modules():
        for name, obj in vars(module).items():
            if (
                name.startswith("do_")
                and inspect.isfunction(obj)
                and obj.__module__ == module.__name__
            ):
                names.add(f"{module.__name__}.{name}")
    return names


def _comment(**kwargs: object):
    return CommentFactory(channel=ChannelFactory(platform="facebook"), **kwargs)


def _user():
    return make_user(f"u{AuditEvent.objects.count()}-{timezone.now().timestamp()}", "admin")


def _promoted_officer():
    """An officer just made a manager, who now needs a set-up link."""
    officer = make_user(f"o{AuditEvent.objects.count()}-{timezone.now().timestamp()}", "officer")
    account_actions.do_change_user_role(officer, "manager", actor=SYSTEM)
    return officer


def _one_of_two_admins():
    """An admin who may be demoted or deactivated: not the last one."""
    make_user(f"other-{timezone.now().timestamp()}", "admin")
    return _user()


def _match(outcome: str = "hold") -> Match:
    return Match(
        "abuse.profanity", "Swearing", None, 1, "abuse", 4, outcome, "", ((0, 4),), "Swearing"
    )


def _draft():
    _ruleset, draft = rule_actions.do_create_ruleset(
        name=f"Set {timezone.now().timestamp()}", actor=SYSTEM
    )
    return draft


RULE_FIELDS = {
    "name": "Insults",
    "category": "abuse",
    "severity": 3,
    "outcome": "review",
    "kind": "words",
    "params": {"words": ["idiot"]},
}


def _action_row(state: str = "pending") -> ModerationAction:
    comment = _comment()
    return ModerationAction.objects.create(
        channel=comment.channel,
        comment=comment,
        author=comment.author,
        kind="hide",
        actor_label="test",
        requested_at=timezone.now(),
        state=state,
        attempts=1,
    )


def _run_backtest() -> str:
    since = timezone.now() - dt.timedelta(days=7)
    backtest = backtests.do_start_backtest(_draft(), since, timezone.now(), actor=SYSTEM)
    backtests.do_run_backtest(backtest.pk, actor=SYSTEM)
    return "rules.backtest.finished"


SCENARIOS: dict[str, Scenario] = {
    "accounts.actions.do_create_user": lambda: (
        account_actions.do_create_user(username="new", role="officer", actor=SYSTEM),
        "accounts.user.created",
    )[1],
    "accounts.actions.do_change_user_role": lambda: (
        account_actions.do_change_user_role(_one_of_two_admins(), "manager", actor=SYSTEM),
        "accounts.user.role_changed",
    )[1],
    "accounts.actions.do_send_set_up_link": lambda: (
        account_actions.do_send_set_up_link(
            _promoted_officer(), "https://example.org/enrol/x/y/", actor=SYSTEM
        ),
        "accounts.two_factor.set_up_link_sent",
    )[1],
    "accounts.actions.do_deactivate_user": lambda: (
        account_actions.do_deactivate_user(_one_of_two_admins(), actor=SYSTEM),
        "accounts.user.deactivated",
    )[1],
    "accounts.actions.do_reactivate_user": lambda: (
        account_actions.do_reactivate_user(_user(), actor=SYSTEM),
        "accounts.user.reactivated",
    )[1],
    "accounts.actions.do_add_authenticator": lambda: (
        account_actions.do_add_authenticator(_user(), "00" * 20, actor=SYSTEM),
        "accounts.two_factor.confirmed",
    )[1],
    "accounts.actions.do_reset_two_factor": lambda: (
        account_actions.do_reset_two_factor(_user(), actor=SYSTEM),
        "accounts.two_factor.reset",
    )[1],
    "accounts.actions.do_generate_backup_codes": lambda: (
        account_actions.do_generate_backup_codes(_user(), actor=SYSTEM),
        "accounts.two_factor.backup_codes_generated",
    )[1],
    "accounts.actions.do_use_backup_code": lambda: (
        (
            lambda u: account_actions.do_use_backup_code(
                account_actions.do_generate_backup_codes(u, actor=SYSTEM)[0], actor=u
            )
        )(_user()),
        "accounts.two_factor.backup_code_used",
    )[1],
    "accounts.actions.do_record_sign_in": lambda: (
        account_actions.do_record_sign_in(actor=_user(), with_second_factor=False),
        "accounts.user.signed_in",
    )[1],
    "accounts.actions.do_record_failed_sign_in": lambda: (
        account_actions.do_record_failed_sign_in("x", "127.0.0.1", reason="test", actor=SYSTEM),
        "accounts.user.sign_in_failed",
    )[1],
    "rules.actions.do_create_ruleset": lambda: (
        rule_actions.do_create_ruleset(name="Another", actor=SYSTEM),
        "rules.ruleset.created",
    )[1],
    "rules.actions.do_start_draft": lambda: (
        rule_actions.do_start_draft(RuleSet.objects.get(is_default=True), actor=SYSTEM),
        "rules.version.drafted",
    )[1],
    "rules.actions.do_save_rule": lambda: (
        rule_actions.do_save_rule(_draft(), key="insults", fields=RULE_FIELDS, actor=SYSTEM),
        "rules.rule.saved",
    )[1],
    "rules.actions.do_delete_rule": lambda: (
        rule_actions.do_delete_rule(
            rule_actions.do_save_rule(_draft(), key="insults", fields=RULE_FIELDS, actor=SYSTEM),
            actor=SYSTEM,
        ),
        "rules.rule.deleted",
    )[1],
    "rules.actions.do_save_version_settings": lambda: (
        rule_actions.do_save_version_settings(
            _draft(), {"blocked_domains": ["bad.example"]}, actor=SYSTEM
        ),
        "rules.version.settings_saved",
    )[1],
    "rules.actions.do_publish_version": lambda: (
        rule_actions.do_publish_version(_draft(), actor=SYSTEM),
        "rules.version.published",
    )[1],
    "rules.actions.do_schedule_ruleset": lambda: (
        rule_actions.do_schedule_ruleset(
            RuleSet.objects.get(is_default=True),
            active_from=timezone.now(),
            active_until=timezone.now() + dt.timedelta(days=30),
            actor=SYSTEM,
        ),
        "rules.ruleset.scheduled",
    )[1],
    "moderation.actions.backtests.do_start_backtest": lambda: (
        backtests.do_start_backtest(
            _draft(), timezone.now() - dt.timedelta(days=7), timezone.now(), actor=SYSTEM
        ),
        "rules.backtest.started",
    )[1],
    "moderation.actions.backtests.do_run_backtest": _run_backtest,
    "moderation.actions.outbox.do_claim_action": lambda: (
        mod.outbox.do_claim_action(_action_row("pending").pk, actor=SYSTEM),
        "moderation.action.sending",
    )[1],
    "moderation.actions.ingest.do_store_comments": lambda: (
        mod.do_store_comments(ChannelFactory(), [fetched("hello")], actor=SYSTEM),
        "moderation.comments.stored",
    )[1],
    "moderation.actions.ingest.do_record_poll_failure": lambda: (
        mod.do_record_poll_failure(ChannelFactory(), "token expired", actor=SYSTEM),
        "moderation.channel.poll_failed",
    )[1],
    "moderation.actions.ingest.do_record_poll_success": lambda: (
        mod.do_record_poll_success(
            ChannelFactory(status="error"), ["one item skipped"], actor=SYSTEM
        ),
        "moderation.channel.status_changed",
    )[1],
    "moderation.actions.evaluation.do_apply_verdicts": lambda: (
        mod.do_apply_verdicts(
            [mod.evaluation.Verdict(_comment(status="new").pk, [(1, _match())])], actor=SYSTEM
        ),
        "moderation.comment.auto_held",
    )[1],
    "moderation.actions.comments.do_hide_comment": lambda: (
        mod.do_hide_comment(_comment(status="review"), actor=SYSTEM),
        "moderation.comment.hidden",
    )[1],
    "moderation.actions.comments.do_remove_comment": lambda: (
        mod.do_remove_comment(_comment(status="review"), actor=SYSTEM),
        "moderation.comment.removed",
    )[1],
    "moderation.actions.comments.do_unhide_comment": lambda: (
        mod.do_unhide_comment(_comment(status="done", visibility="hidden"), actor=SYSTEM),
        "moderation.comment.unhidden",
    )[1],
    "moderation.actions.comments.do_reply_to_comment": lambda: (
        mod.do_reply_to_comment(_comment(status="review"), "Thanks", actor=SYSTEM),
        "moderation.comment.replied",
    )[1],
    "moderation.actions.comments.do_block_author": lambda: (
        mod.do_block_author(_comment(), actor=SYSTEM),
        "moderation.author.block_requested",
    )[1],
    "moderation.actions.comments.do_reject_comment": lambda: (
        mod.do_reject_comment(
            CommentFactory(
                channel=ChannelFactory(platform="youtube"),
                status="review",
                platform_status="heldForReview",
            ),
            actor=SYSTEM,
        ),
        "moderation.comment.rejected",
    )[1],
    "moderation.actions.comments.do_detach_quote": lambda: (
        mod.do_detach_quote(
            CommentFactory(channel=ChannelFactory(platform="bluesky"), status="review"),
            actor=SYSTEM,
        ),
        "moderation.comment.quote_detached",
    )[1],
    "moderation.actions.comments.do_report_comment": lambda: (
        mod.do_report_comment(
            CommentFactory(channel=ChannelFactory(platform="mastodon")), actor=SYSTEM
        ),
        "moderation.comment.reported",
    )[1],
    "moderation.actions.comments.do_mute_author": lambda: (
        mod.do_mute_author(
            CommentFactory(channel=ChannelFactory(platform="mastodon")), actor=SYSTEM
        ),
        "moderation.author.mute_requested",
    )[1],
    "moderation.actions.comments.do_approve_comment": lambda: (
        mod.do_approve_comment(_comment(status="held"), actor=SYSTEM),
        "moderation.comment.approved",
    )[1],
    "moderation.actions.comments.do_ignore_comment": lambda: (
        mod.do_ignore_comment(_comment(status="review"), actor=SYSTEM),
        "moderation.comment.ignored",
    )[1],
    "moderation.actions.comments.do_escalate_comment": lambda: (
        mod.do_escalate_comment(_comment(), EscalationRoute.objects.get(key="foi"), actor=SYSTEM),
        "moderation.comment.escalated",
    )[1],
    "moderation.actions.comments.do_close_escalation": lambda: (
        mod.do_close_escalation(
            mod.do_escalate_comment(
                _comment(), EscalationRoute.objects.get(key="foi"), actor=SYSTEM
            ),
            actor=SYSTEM,
        ),
        "moderation.escalation.closed",
    )[1],
    "moderation.actions.comments.do_add_note": lambda: (
        mod.do_add_note(text="Known to us", comment=_comment(), actor=SYSTEM),
        "moderation.note.added",
    )[1],
    "moderation.actions.outbox.do_record_action_success": lambda: (
        mod.do_record_action_success(_action_row("sending"), {"success": True}, "", actor=SYSTEM),
        "moderation.action.succeeded",
    )[1],
    "moderation.actions.outbox.do_record_action_failure": lambda: (
        mod.do_record_action_failure(
            _action_row("sending"), TransientError("busy", status=503), actor=SYSTEM
        ),
        "moderation.action.retry_scheduled",
    )[1],
    "moderation.actions.outbox.do_retry_action": lambda: (
        mod.do_retry_action(_action_row("failed"), actor=SYSTEM),
        "moderation.action.retried",
    )[1],
    "moderation.actions.claims.do_claim_next_comment": lambda: (
        (lambda c: mod.do_claim_next_comment(actor=_user()))(_comment(status="review")),
        "moderation.comment.claimed",
    )[1],
    "moderation.actions.claims.do_claim_comment": lambda: (
        mod.do_claim_comment(_comment(status="review"), actor=_user()),
        "moderation.comment.claimed",
    )[1],
    "moderation.actions.claims.do_release_comment": lambda: (
        (
            lambda u: mod.do_release_comment(
                mod.do_claim_comment(_comment(status="review"), actor=u), actor=u
            )
        )(_user()),
        "moderation.comment.released",
    )[1],
    "moderation.actions.comments.do_reveal_personal_data": lambda: (
        mod.do_reveal_personal_data(_comment(), actor=_user()),
        "moderation.comment.personal_data_revealed",
    )[1],
    "moderation.actions.undo.do_cancel_action": lambda: (
        mod.do_cancel_action(_action_row("failed"), actor=_user()),
        "moderation.action.cancelled",
    )[1],
    "moderation.actions.undo.do_reopen_comment": lambda: (
        mod.do_reopen_comment(_comment(status="done"), actor=_user()),
        "moderation.comment.reopened",
    )[1],
    "moderation.actions.undo.do_undo_comment_action": lambda: (
        (lambda u, c: mod.do_undo_comment_action(c, "ignore", actor=u))(
            _user(), _comment(status="done")
        ),
        "moderation.comment.action_undone",
    )[1],
    "moderation.actions.exports.do_record_export": lambda: (
        exports.do_record_export("audit_log", {"event_type": "moderation."}, actor=_user()),
        "moderation.export.downloaded",
    )[1],
}


def _spike(end: bool) -> str:
    channel = ChannelFactory()
    spike = HourlyRate(channel.pk, 40, 2.0, 3.0, True).as_data(3.0)
    spikes.do_record_spike(channel, spike, actor=SYSTEM)
    if end:
        quiet = HourlyRate(channel.pk, 2, 2.0, 3.0, True).as_data(3.0)
        spikes.do_record_spike_end(channel, quiet, actor=SYSTEM)
        return "moderation.spike.ended"
    return "moderation.spike.detected"


SCENARIOS["moderation.actions.ingest.do_record_webhook_problems"] = lambda: (
    mod.ingest.do_record_webhook_problems(
        ChannelFactory(), ["facebook webhook change skipped: no comment_id"], actor=SYSTEM
    ),
    "moderation.channel.status_changed",
)[1]
SCENARIOS["moderation.actions.spikes.do_record_spike"] = lambda: _spike(end=False)
SCENARIOS["moderation.actions.spikes.do_record_spike_end"] = lambda: _spike(end=True)
SCENARIOS.update(CONFIGURATION_SCENARIOS)
SCENARIOS.update(CONNECTION_SCENARIOS)
SCENARIOS.update(CONSOLE_SCENARIOS)
SCENARIOS.update(POLICY_SCENARIOS)
SCENARIOS.update(DATA_SCENARIOS)


def test_every_action_function_has_a_scenario_here() -> None:
    missing = sorted(discovered_actions() - SCENARIOS.keys())
    assert not missing, f"Actions with no audit scenario in this file: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_action_records_its_event(name: str, django_capture_on_commit_callbacks) -> None:
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        expected = SCENARIOS[name]()
    events = AuditEvent.objects.order_by("id")[before:]
    assert expected in [e.event_type for e in events], f"{name} did not record {expected}"
