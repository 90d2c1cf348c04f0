"""`manage.py grant_app_role ROLE`: give the application's database role what it needs, no more.

Run by the owner role (the one that migrates) after every ``migrate``; docker-compose does. The
application role may read and write the application's tables, but only SELECT and INSERT the
audit log and its checkpoints; as it owns nothing it cannot ALTER a table, switch a trigger off
or TRUNCATE, and as it is no superuser it cannot turn triggers off for its session.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

APPEND_ONLY = ("accounts_auditevent", "accounts_auditcheckpoint")


class Command(BaseCommand):
    help = "Grant the application's database role its privileges (PostgreSQL; run as the owner)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role web, workers and scheduler connect as")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; nothing to do here.")
        role = options["role"]
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolbypassrls, pg_has_role(%s, current_user, 'MEMBER') "
                "FROM pg_roles WHERE rolname = %s",
                [role, role],
            )
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"There is no database role {role!r}: create it first.")
            superuser, bypass_rls, member_of_owner = row
            if superuser or bypass_rls:
                raise CommandError(
                    f"{role!r} is a superuser (or bypasses row security): it could switch the "
                    "audit triggers off. Use an ordinary role."
                )
            if member_of_owner:
                raise CommandError(
                    f"{role!r} is, or is a member of, the owner role: it could ALTER and "
                    "TRUNCATE the audit tables. Use a separate role."
                )
            cursor.execute("SELECT current_database()")
            (database,) = cursor.fetchone()
            name = quote(role)
            for statement in (
                f"GRANT CONNECT ON DATABASE {quote(database)} TO {name}",
                f"GRANT USAGE ON SCHEMA public TO {name}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
                f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON "
                f"{', '.join(APPEND_ONLY)} FROM {name}",
            ):
                cursor.execute(statement)
        self.stdout.write(
            f"Granted {role}: read and write the application's tables; only read and add to "
            f"{' and '.join(APPEND_ONLY)}."
        )
