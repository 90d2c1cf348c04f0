"""The application connects as a role that owns nothing: it may add audit events and checkpoints
but cannot UPDATE, DELETE or TRUNCATE them, ALTER the table, switch its triggers off, or flip a
session setting that lets a TRUNCATE through. The grants are the ones ``manage.py
grant_app_role`` gives (docker-compose runs it after migrating)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

REFUSED = [
    "UPDATE accounts_auditevent SET actor_label = 'x'",
    "DELETE FROM accounts_auditevent",
    "TRUNCATE accounts_auditevent",
    "ALTER TABLE accounts_auditevent DISABLE TRIGGER USER",
    "ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_no_truncate",
    "DROP TRIGGER accounts_auditevent_no_update_delete ON accounts_auditevent",
    "ALTER TABLE accounts_auditevent OWNER TO CURRENT_USER",
    "SET session_replication_role = replica",
    "UPDATE accounts_auditcheckpoint SET signature = 'x'",
    "DELETE FROM accounts_auditcheckpoint",
    "TRUNCATE accounts_auditcheckpoint",
    "ALTER TABLE accounts_auditcheckpoint DISABLE TRIGGER USER",
]


@pytest.fixture
def app_role(transactional_db: None) -> Iterator[str]:
    name = f"smpolicy_test_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN")
    try:
        call_command("grant_app_role", name)
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")


def connect_as(role: str) -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        dbname=connection.settings_dict["NAME"],
        user=role,
        autocommit=True,
    )


@pytest.mark.postgres
@pytest.mark.parametrize("sql", REFUSED)
def test_the_application_role_is_refused(app_role: str, sql: str) -> None:
    with connect_as(app_role) as conn, pytest.raises(psycopg.Error):
        conn.execute(sql)


@pytest.mark.postgres
def test_no_session_setting_lets_a_truncate_through(app_role: str) -> None:
    with connect_as(app_role) as conn, pytest.raises(psycopg.Error):
        conn.execute("SET smpolicy.allow_audit_truncate = 'on'")
        conn.execute("TRUNCATE accounts_auditevent")


@pytest.mark.postgres
def test_even_the_owner_needs_to_switch_the_trigger_off(transactional_db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET smpolicy.allow_audit_truncate = 'on'")
        with pytest.raises(Exception, match="append-only"):
            cursor.execute("TRUNCATE accounts_auditevent")


@pytest.mark.postgres
def test_the_application_role_still_does_its_work(app_role: str) -> None:
    with connect_as(app_role) as conn:
        conn.execute(
            "INSERT INTO accounts_auditcheckpoint (created_at, last_event_id, last_event_hash,"
            " event_count, key_id, signature) VALUES (now(), 0, '', 0, '', '')"
        )
        conn.execute("SELECT count(*) FROM accounts_auditevent")
        conn.execute("UPDATE moderation_channel SET enabled = enabled")
        conn.execute("DELETE FROM django_session WHERE expire_date < now()")


@pytest.mark.postgres
def test_granting_refuses_a_superuser(transactional_db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (me,) = cursor.fetchone()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", me)
