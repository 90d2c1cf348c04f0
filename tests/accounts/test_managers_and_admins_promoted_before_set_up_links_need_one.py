"""Managers, admins and superusers who had a password but no confirmed authenticator when
set-up links came in (accounts 0006 added the mark, unset for everyone) are marked by the data
migration 0007, so they too set one up only through an emailed link, not with their password
alone. Those with an authenticator, officers and invitees who have not yet chosen a password
(whose invitation proves their mailbox) are left as they are."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "accounts.migrations.0007_mark_set_up_links_for_earlier_promotions"
)


def marked() -> set[str]:
    return set(User.objects.filter(set_up_link_required=True).values_list("username", flat=True))


def test_two_factor_roles_without_a_confirmed_authenticator_are_marked() -> None:
    make_user("mia", "manager")
    make_user("ada", "admin")
    User.objects.create_superuser("root", "root@example.org", "a long password 2026")
    unconfirmed = make_user("una", "manager")
    TOTPDevice.objects.create(user=unconfirmed, name="never confirmed", confirmed=False)

    MIGRATION.mark_earlier_promotions(apps, None)

    assert marked() == {"mia", "ada", "root", "una"}


def test_those_with_an_authenticator_officers_and_invitees_are_left_alone() -> None:
    enrolled = make_user("eve", "admin")
    TOTPDevice.objects.create(user=enrolled, name="phone", confirmed=True)
    make_user("olly", "officer")
    invited = make_user("ivy", "manager")
    invited.set_unusable_password()
    invited.save()

    MIGRATION.mark_earlier_promotions(apps, None)

    assert marked() == set()
