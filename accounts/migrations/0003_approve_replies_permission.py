"""A permission to approve or reject replies held for a manager's approval, given to the
manager and admin roles (officers reply; managers decide on held replies)."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ROLES = ("manager", "admin")


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Permissions are normally made after all migrations; the roles need this one now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="accounts", codename="approve_replies"
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="accounts", codename="approve_replies"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_and_audit_trigger"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [
                    ("work_queue", "Can work the moderation queue"),
                    ("view_reports", "Can read reports and every channel"),
                    ("view_audit", "Can read and export the audit log"),
                    ("configure", "Can change rules, channels, templates and hours"),
                    ("manage_users", "Can invite, change and deactivate users"),
                    ("reveal_personal_data", "Can reveal personal data in comments"),
                    ("approve_replies", "Can approve or reject replies held for approval"),
                ],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
