"""Who may reach the admins' pages: officers nowhere (403), managers read but never change
(403 on edit pages and on every POST), admins everywhere."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.models import Channel, EscalationRoute, Organisation, ReplyTemplate
from rules.actions import do_start_draft
from tests.factories import AuthorFactory, ChannelFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import bananas_ruleset

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/settings/",
    "/settings/channels/",
    "/settings/templates/",
    "/settings/routes/",
    "/settings/organisation/",
    "/rules/",
    "/rules/{ruleset}/",
    "/rules/versions/{version}/",
    "/rules/{ruleset}/statistics/",
    "/rules/versions/{version}/backtests/",
    "/rules/versions/{version}/test/",
]
EDIT_PAGES = [
    "/settings/channels/new/",
    "/settings/channels/{channel}/",
    "/settings/templates/new/",
    "/settings/templates/{template}/",
    "/settings/routes/new/",
    "/settings/routes/{route}/",
    "/settings/data-protection/",
    "/settings/data-protection/authors/{author}/",
    "/rules/versions/{draft}/publish/",
]
POSTS = [
    ("/settings/crisis/", {"scope": "all", "on": "1"}),
    (
        "/settings/organisation/",
        {"form": "numbers", "strike_threshold": "5", "retention_days": "400"},
    ),
    ("/settings/channels/{channel}/credentials/", {"access_token": "new-token"}),
    ("/settings/data-protection/retention/", {}),
    ("/rules/", {"name": "Managers' rules"}),
    ("/rules/{ruleset}/draft/", {}),
]


@pytest.fixture
def ids() -> dict[str, int]:
    ruleset = bananas_ruleset()
    live = ruleset.versions.get()
    template, route = ReplyTemplate.objects.first(), EscalationRoute.objects.first()
    assert template is not None and route is not None
    return {
        "ruleset": ruleset.pk,
        "version": live.pk,
        "draft": do_start_draft(ruleset, actor=SystemActor.system("test")).pk,
        "channel": ChannelFactory().pk,
        "template": template.pk,
        "route": route.pk,
        "author": AuthorFactory().pk,
    }


def test_officers_cannot_reach_any_configuration_page(olivia, ids) -> None:
    client = signed_in(Client(), olivia)
    for page in READ_PAGES + EDIT_PAGES:
        assert client.get(page.format(**ids)).status_code == 403, page
    for page, data in POSTS:
        assert client.post(page.format(**ids), data).status_code == 403, page


def test_managers_read_the_configuration_but_cannot_edit_it(maya, ids) -> None:
    client = signed_in(Client(), maya)
    for page in READ_PAGES:
        assert client.get(page.format(**ids)).status_code == 200, page
    for page in EDIT_PAGES:
        assert client.get(page.format(**ids)).status_code == 403, page
    before = AuditEvent.objects.count()
    for page, data in POSTS:
        assert client.post(page.format(**ids), data).status_code == 403, page
    assert AuditEvent.objects.count() == before
    assert not Organisation.current().crisis_mode


def test_admins_reach_every_configuration_page(adam, ids) -> None:
    client = signed_in(Client(), adam)
    for page in READ_PAGES + EDIT_PAGES:
        assert client.get(page.format(**ids)).status_code == 200, page


def test_a_manager_sees_the_organisation_read_only(maya) -> None:
    response = signed_in(Client(), maya).get("/settings/organisation/")
    assert b"only admins can change them" in response.content
    assert b"Save details" not in response.content
    assert b"disabled" in response.content


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/settings/channels/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_the_channel_list_takes_a_fixed_number_of_queries(
    adam, django_assert_max_num_queries
) -> None:
    client = signed_in(Client(), adam)
    ChannelFactory.create_batch(3)
    client.get("/settings/channels/")  # warm the session and caches
    ChannelFactory.create_batch(20)
    with django_assert_max_num_queries(16):
        response = client.get("/settings/channels/")
    assert response.content.count(b"Not set") == Channel.objects.count()
