"""Mark the managers, admins and superusers who need an emailed link to set up an authenticator.

0006 added ``User.set_up_link_required`` unset for everyone, so a manager or admin promoted (or
reset) before it, who has a password and no confirmed authenticator, could still set one up with
the password alone. They are marked here by the same rule ``accounts.actions`` applies at a
promotion (``_require_set_up_link``); an admin then sends the link from their page. Invitees who
have not chosen a password yet are left alone: their invitation proves their mailbox.
"""

from django.apps.registry import Apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Q

# accounts.roles.TWO_FACTOR_ROLES as the groups are named (a migration keeps its own copy).
TWO_FACTOR_GROUPS = ("manager", "admin")


def mark_earlier_promotions(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    needing = (
        User.objects.filter(Q(groups__name__in=TWO_FACTOR_GROUPS) | Q(is_superuser=True))
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(pk__in=enrolled)
        .values_list("pk", flat=True)
        .distinct()
    )
    User.objects.filter(pk__in=list(needing)).update(set_up_link_required=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_set_up_link_required"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    # Unmarking is left to 0006's reversal, which drops the column.
    operations = [migrations.RunPython(mark_earlier_promotions, migrations.RunPython.noop)]
