"""Changing roles and deactivating people: audited, their history stays, nobody locks
themselves out, the last admin stays an admin, and only admins may do it."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from accounts.roles import role_of
from moderation.actions.comments import do_add_note
from tests.factories import CommentFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import plain_static_files  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db


def test_changing_a_role_is_audited_with_before_and_after(adam, olivia) -> None:
    response = signed_in(Client(), adam).post(f"/accounts/users/{olivia.pk}/", {"role": "manager"})

    assert response.status_code == 302
    assert role_of(olivia) == "manager"
    event = AuditEvent.objects.get(event_type="accounts.user.role_changed")
    assert event.before is not None and event.after is not None
    assert (event.before["role"], event.after["role"]) == ("officer", "manager")


def test_a_deactivated_person_cannot_sign_in_and_their_history_stays(adam, olivia) -> None:
    do_add_note(comment=CommentFactory(), text="Checked with highways", actor=olivia)
    officer = signed_in(Client(), olivia)

    signed_in(Client(), adam).post(f"/accounts/users/{olivia.pk}/active/", {"active": "0"})

    olivia.refresh_from_db()
    assert not olivia.is_active
    assert officer.get("/queue/").status_code == 302  # the open session no longer works
    assert AuditEvent.objects.filter(actor=olivia, event_type="moderation.note.added").exists()
    page = signed_in(Client(), adam).get(f"/accounts/users/{olivia.pk}/")
    assert b"Note added" in page.content  # the event, in words


def test_a_deactivated_person_can_be_reactivated(adam, olivia) -> None:
    client = signed_in(Client(), adam)
    client.post(f"/accounts/users/{olivia.pk}/active/", {"active": "0"})
    client.post(f"/accounts/users/{olivia.pk}/active/", {"active": "1"})
    olivia.refresh_from_db()
    assert olivia.is_active
    assert AuditEvent.objects.filter(event_type="accounts.user.reactivated").count() == 1


def test_an_admin_cannot_deactivate_or_demote_themselves(adam) -> None:
    client = signed_in(Client(), adam)
    assert client.post(f"/accounts/users/{adam.pk}/active/", {"active": "0"}).status_code == 403
    assert client.post(f"/accounts/users/{adam.pk}/", {"role": "officer"}).status_code == 403
    adam.refresh_from_db()
    assert adam.is_active and role_of(adam) == "admin"


def test_officers_and_managers_cannot_manage_people(olivia, maya) -> None:
    for person in (olivia, maya):
        client = signed_in(Client(), person)
        assert client.get("/accounts/users/").status_code == 403
        assert client.post(f"/accounts/users/{olivia.pk}/", {"role": "admin"}).status_code == 403
    assert role_of(olivia) == "officer"


def test_the_user_list_takes_a_fixed_number_of_queries(
    adam, olivia, oscar, maya, django_assert_max_num_queries
) -> None:
    client = signed_in(Client(), adam)
    with django_assert_max_num_queries(16):
        response = client.get("/accounts/users/")
    for name in (b"Olivia Okafor", b"Oscar Pryce", b"Maya Hughes", b"Adam Clarke"):
        assert name in response.content
