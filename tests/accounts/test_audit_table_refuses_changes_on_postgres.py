from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.audit import SystemActor, record


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditevent SET actor_label = 'rewritten'",
        "DELETE FROM accounts_auditevent",
        "TRUNCATE accounts_auditevent",
    ],
)
def test_a_deliberate_change_in_sql_is_refused_by_the_trigger(sql: str) -> None:
    with transaction.atomic():
        record("tests.thing.happened", actor=SystemActor.system("test"))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
