"""The console keeps at least one active admin: nobody may demote or deactivate the last one.
Found in testing: the check ran in the page, before the change and outside its transaction, so
two admins who demoted (or deactivated) each other at the same moment both passed it and left
the console with no admin at all (only the server's operator could make one again). The
audited actions now check again, holding a lock, so one of the two changes is refused."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client

from accounts import actions
from accounts.models import User
from accounts.roles import ADMIN, OFFICER, role_of
from tests.factories import make_user
from tests.helpers import signed_in


def _active_admins() -> int:
    return User.objects.filter(is_active=True, groups__name=ADMIN).distinct().count()


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_the_action_itself_refuses_to_remove_the_last_admin(change: str) -> None:
    last = make_user("ada", ADMIN)
    officer = make_user("oli", OFFICER)

    with pytest.raises(PermissionDenied, match="last active admin"):
        if change == "demote":
            actions.do_change_user_role(last, OFFICER, actor=officer)
        else:
            actions.do_deactivate_user(last, actor=officer)

    assert _active_admins() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_two_admins_removing_each_other_at_the_same_moment_leave_one(
    change: str, monkeypatch: Any
) -> None:
    ada, bea = make_user("ada", ADMIN), make_user("bea", ADMIN)
    clients = {ada.pk: signed_in(Client(), ada), bea.pk: signed_in(Client(), bea)}
    both_checked = threading.Barrier(2, timeout=10)
    real_change = actions.do_change_user_role
    real_deactivate = actions.do_deactivate_user

    # Each request passes the page's own check, then waits for the other before changing.
    def after_the_pages_check(real: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            both_checked.wait()
            return real(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(
        "accounts.views.users.do_change_user_role", after_the_pages_check(real_change)
    )
    monkeypatch.setattr(
        "accounts.views.users.do_deactivate_user", after_the_pages_check(real_deactivate)
    )
    answers: dict[str, int] = {}

    def remove(actor: User, target: User) -> None:
        try:
            if change == "demote":
                response = clients[actor.pk].post(
                    f"/accounts/users/{target.pk}/", {"role": OFFICER}
                )
            else:
                response = clients[actor.pk].post(
                    f"/accounts/users/{target.pk}/active/", {"active": "0"}
                )
            answers[actor.username] = response.status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(ada, bea)),
        threading.Thread(target=remove, args=(bea, ada)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(answers.values()) == [302, 403], answers
    assert _active_admins() == 1
    assert sum(role_of(u) == ADMIN and u.is_active for u in User.objects.all()) == 1
