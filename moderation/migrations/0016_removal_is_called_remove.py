"""One word for one act: an outbox row that removes a comment is of kind "remove", the word
officers see and the event (``moderation.comment.removed``) uses.

Audit events already written keep the kind they recorded ("delete"): the chain hashes them as
written, and rewriting them would break it.
"""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def to_remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    action = apps.get_model("moderation", "ModerationAction")
    action.objects.filter(kind="delete").update(kind="remove")


def to_delete(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    action = apps.get_model("moderation", "ModerationAction")
    action.objects.filter(kind="remove").update(kind="delete")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0015_someone_at_risk_reply_template"),
    ]

    operations = [
        migrations.AlterField(
            model_name="moderationaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("hide", "Hide"),
                    ("unhide", "Unhide"),
                    ("remove", "Remove"),
                    ("reply", "Reply"),
                    ("block", "Block author"),
                    ("unblock", "Unblock author"),
                    ("approve", "Approve on the platform"),
                    ("reject", "Reject on the platform"),
                    ("mute", "Mute author"),
                    ("report", "Report to the platform"),
                    ("detach_quote", "Detach quote"),
                    ("notice", "Removal notice"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(to_remove, to_delete),
    ]
