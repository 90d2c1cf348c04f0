"""The reply offered first to someone who may be at risk (category ``self_harm``).

Samaritans' number and hours are as Samaritans publish them (116 123, free, any time, day or
night); 999 for an emergency. Kept short and kind: it is said in public, under their words.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

KEY = "at-risk-support"
NAME = "Someone at risk: Samaritans and 999"
BODY = (
    "{author}, we're really sorry you're feeling like this, and we want you to get support now. "
    "You can call Samaritans free on 116 123, 24 hours a day, every day. If you or someone else "
    "is in immediate danger, please call 999 now. We have passed your message to our team."
)


def add_template(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ReplyTemplate = apps.get_model("moderation", "ReplyTemplate")
    ReplyTemplate.objects.get_or_create(
        key=KEY,
        defaults={
            "name": NAME,
            "body": BODY,
            "for_categories": ["self_harm"],
            "offered_first_in_crisis": False,
            "position": 0,
        },
    )


def remove_template(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("moderation", "ReplyTemplate").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0014_at_risk_alerts_allow_list_campaigns_and_outside_scores")]
    operations = [migrations.RunPython(add_template, remove_template)]
