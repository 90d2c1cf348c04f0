"""An escalated comment is due when its earliest open escalation is (moderation.deadlines).

Before, ``due_at`` stayed the first action's due time after escalation, so a request a rule had
routed to the FOI team counted as past due four monitored hours after it arrived although its
statutory deadline was weeks away.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Min, OuterRef, Subquery


def due_with_escalations(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Comment = apps.get_model("moderation", "Comment")
    Escalation = apps.get_model("moderation", "Escalation")
    earliest = (
        Escalation.objects.filter(comment=OuterRef("pk"), state="open")
        .values("comment")
        .annotate(due=Min("deadline_at"))
        .values("due")
    )
    escalated = Escalation.objects.filter(state="open").values("comment_id")
    Comment.objects.filter(status="escalated", pk__in=escalated).update(due_at=Subquery(earliest))


class Migration(migrations.Migration):
    dependencies = [("moderation", "0010_channel_bank_holidays_monitored")]

    operations = [migrations.RunPython(due_with_escalations, migrations.RunPython.noop)]
