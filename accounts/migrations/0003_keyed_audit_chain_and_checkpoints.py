"""Key the audit chain, keep signed checkpoints of its head, and drop the trigger's escape hatch.

- ``AuditEvent.key_id``: which HMAC key made an event's hash; "" marks events written before the
  chain was keyed (plain SHA-256), which still verify under that scheme.
- ``AuditCheckpoint``: the chain's head, signed with the key. If events exist already, one is
  written now, so that the unkeyed events are sealed: rewriting them, even with recomputed hashes,
  no longer reaches the head this checkpoint signed.
- The trigger no longer lets a session setting (``smpolicy.allow_audit_truncate``) through: any
  session could set it. The test suite empties tables another way (tests/conftest.py).
"""

import hashlib
import hmac

from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION accounts_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is append-only: %% refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditcheckpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON accounts_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_refuse_change();
CREATE TRIGGER accounts_auditcheckpoint_no_truncate
    BEFORE TRUNCATE ON accounts_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditevent_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON accounts_auditevent, accounts_auditcheckpoint FROM PUBLIC;
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS accounts_auditcheckpoint_no_truncate ON accounts_auditcheckpoint;
DROP TRIGGER IF EXISTS accounts_auditcheckpoint_no_update_delete ON accounts_auditcheckpoint;
"""


def replace_trigger(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_checkpoint_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def seal_unkeyed_events(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Sign the head of the events written before the chain was keyed (as
    accounts.audit_checkpoints does; repeated here so that this migration never changes)."""
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditCheckpoint = apps.get_model("accounts", "AuditCheckpoint")
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return
    key = settings.AUDIT_HMAC_KEY.encode()
    key_id = hmac.new(key, b"smpolicy audit key id", hashlib.sha256).hexdigest()[:16]
    count = AuditEvent.objects.count()
    created_at = timezone.now()
    message = f"{head[0]}:{head[1]}:{count}:{created_at.isoformat()}".encode()
    AuditCheckpoint.objects.create(
        created_at=created_at,
        last_event_id=head[0],
        last_event_hash=head[1],
        event_count=count,
        key_id=key_id,
        signature=hmac.new(key, b"checkpoint:" + message, hashlib.sha256).hexdigest(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_and_audit_trigger"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("last_event_id", models.BigIntegerField()),
                ("last_event_hash", models.CharField(max_length=64)),
                (
                    "event_count",
                    models.BigIntegerField(help_text="Events in the chain up to the last one"),
                ),
                ("key_id", models.CharField(max_length=32)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["-id"],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.RunPython(replace_trigger, drop_checkpoint_triggers),
        migrations.RunPython(seal_unkeyed_events, migrations.RunPython.noop),
    ]
