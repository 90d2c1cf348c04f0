from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import requires_two_factor, role_of, user_can


@pytest.mark.django_db
def test_an_officer_works_the_queue_and_nothing_more(olivia) -> None:
    assert role_of(olivia) == "officer"
    assert user_can(olivia, "work_queue")
    for permission in ("view_reports", "view_audit", "configure", "manage_users"):
        assert not user_can(olivia, permission)


@pytest.mark.django_db
def test_a_manager_reads_reports_and_audit_but_configures_nothing(maya) -> None:
    assert user_can(maya, "view_reports")
    assert user_can(maya, "view_audit")
    assert not user_can(maya, "configure")
    assert not user_can(maya, "manage_users")


@pytest.mark.django_db
def test_an_admin_can_configure_and_manage_users(adam) -> None:
    assert user_can(adam, "configure")
    assert user_can(adam, "manage_users")


@pytest.mark.django_db
def test_second_factor_is_required_for_managers_and_admins_only(olivia, maya, adam) -> None:
    assert not requires_two_factor(olivia)
    assert requires_two_factor(maya)
    assert requires_two_factor(adam)


@pytest.mark.django_db
def test_a_deactivated_user_loses_every_permission(olivia) -> None:
    olivia.is_active = False
    assert not user_can(olivia, "work_queue")


@pytest.mark.django_db
def test_the_queue_needs_sign_in() -> None:
    response = Client().get("/queue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
def test_an_unknown_permission_name_is_a_programming_error(olivia) -> None:
    with pytest.raises(ValueError, match="Unknown permission"):
        user_can(olivia, "fly")
