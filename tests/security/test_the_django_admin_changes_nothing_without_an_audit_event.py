"""The Django admin shows every main record read-only, to verified admins only; its add, change
and delete pages save nothing, and the changes it offers are admin actions that call the audited
``do_*`` functions. Groups, devices and the job queues cannot be edited there."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_site import site
from accounts.models import AuditCheckpoint, AuditEvent, User
from moderation.models import (
    Author,
    Backtest,
    Channel,
    Comment,
    Escalation,
    EscalationRoute,
    Flag,
    ModerationAction,
    Note,
    Organisation,
    Post,
    ReplyTemplate,
)
from rules.models import Rule, RuleSet, RuleSetVersion
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

MAIN_MODELS = {
    User,
    AuditEvent,
    AuditCheckpoint,
    TOTPDevice,
    StaticDevice,
    Organisation,
    Channel,
    Author,
    Post,
    Comment,
    Flag,
    ModerationAction,
    ReplyTemplate,
    EscalationRoute,
    Escalation,
    Note,
    Backtest,
    RuleSet,
    RuleSetVersion,
    Rule,
}


def admin_url(model: Any, view: str = "changelist", *args: object) -> str:
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world(adam, olivia) -> dict[str, Any]:
    comment = CommentFactory(channel=ChannelFactory(platform="facebook"), status="review")
    Flag.objects.create(
        comment=comment,
        ruleset_version=1,
        rule_key="abuse.x",
        rule_name="x",
        category="abuse",
        severity=3,
        outcome="review",
    )
    Note.objects.create(comment=comment, text="a note", written_by_label="Adam")
    Organisation.objects.get_or_create(name="Our council")
    return {"comment": comment}


@pytest.mark.django_db
def test_every_main_model_is_registered() -> None:
    assert set(site._registry) >= MAIN_MODELS


@pytest.mark.django_db
def test_groups_and_the_job_queues_are_not_offered() -> None:
    from django.contrib.auth.models import Group

    assert Group not in site._registry
    assert Client().get("/django-rq/").status_code == 404


@pytest.mark.django_db
def test_no_add_change_or_delete_page_saves_anything(adam, world) -> None:
    client = signed_in(Client(), adam)
    events_before = AuditEvent.objects.count()
    for model in site._registry:
        assert client.get(admin_url(model)).status_code == 200, model
        assert client.get(admin_url(model, "add")).status_code == 403, model
        assert client.post(admin_url(model, "add"), {}).status_code == 403, model
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        before = model._default_manager.filter(pk=obj.pk).values().get()
        change = client.get(admin_url(model, "change", obj.pk))
        assert change.status_code == 200, model
        assert b'name="_save"' not in change.content, model
        assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403, model
        assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403, model
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=obj.pk).values().get() == before, model
        bulk_delete = client.post(
            admin_url(model), {"action": "delete_selected", "_selected_action": [obj.pk]}
        )
        assert bulk_delete.status_code in {200, 302}, model
        assert model._default_manager.filter(pk=obj.pk).exists(), model
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
def test_hiding_from_the_admin_is_the_audited_action(adam, world) -> None:
    client = signed_in(Client(), adam)
    comment = world["comment"]
    response = client.post(
        admin_url(Comment), {"action": "hide", "_selected_action": [comment.pk], "index": 0}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type="moderation.comment.hidden")
    assert event.actor_id == adam.pk
    assert ModerationAction.objects.filter(comment=comment, kind="hide").exists()


@pytest.mark.django_db
def test_escalating_from_the_admin_is_the_audited_action(adam, world) -> None:
    client = signed_in(Client(), adam)
    route = EscalationRoute.objects.get(key="foi")
    client.post(
        admin_url(Comment),
        {
            "action": "escalate",
            "route": route.pk,
            "_selected_action": [world["comment"].pk],
            "index": 0,
        },
    )
    assert Escalation.objects.filter(comment=world["comment"], route=route).exists()
    assert AuditEvent.objects.filter(event_type="moderation.comment.escalated", actor=adam).exists()


@pytest.mark.django_db
def test_deactivating_from_the_admin_is_the_audited_action(adam, olivia) -> None:
    client = signed_in(Client(), adam)
    client.post(
        admin_url(User), {"action": "deactivate", "_selected_action": [olivia.pk], "index": 0}
    )
    olivia.refresh_from_db()
    assert not olivia.is_active
    assert AuditEvent.objects.filter(event_type="accounts.user.deactivated", actor=adam).exists()


@pytest.mark.django_db
def test_an_admin_cannot_deactivate_themselves_from_the_admin(adam) -> None:
    client = signed_in(Client(), adam)
    client.post(
        admin_url(User), {"action": "deactivate", "_selected_action": [adam.pk], "index": 0}
    )
    adam.refresh_from_db()
    assert adam.is_active


@pytest.mark.django_db
def test_comment_text_is_escaped_in_the_admin(adam) -> None:
    comment = CommentFactory(text="<script>alert(1)</script> \u202egnp.exe")
    client = signed_in(Client(), adam)
    for url in (admin_url(Comment), admin_url(Comment, "change", comment.pk)):
        content = client.get(url).content
        assert b"<script>alert(1)" not in content
        assert b"&lt;script&gt;alert(1)" in content
        assert "\u202e".encode() not in content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["olivia", "maya"])
def test_officers_and_managers_get_no_admin(who: str, request) -> None:
    user = request.getfixturevalue(who)
    client = signed_in(Client(), user)
    response = client.get("/django-admin/")
    assert response.status_code in {302, 403}
    assert client.get(admin_url(Comment)).status_code in {302, 403}


@pytest.mark.django_db
def test_the_comment_list_runs_the_same_queries_for_3_rows_as_for_30(adam) -> None:
    client = signed_in(Client(), adam)
    channel = ChannelFactory()
    CommentFactory.create_batch(3, channel=channel)
    client.get(admin_url(Comment))
    with CaptureQueriesContext(connection) as few:
        client.get(admin_url(Comment))
    CommentFactory.create_batch(27)
    with CaptureQueriesContext(connection) as many:
        client.get(admin_url(Comment))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_admin_offers_no_password_change(adam) -> None:
    client = signed_in(Client(), adam)
    assert b"password_change" not in client.get("/django-admin/").content
    assert client.get("/django-admin/password_change/").status_code == 403
