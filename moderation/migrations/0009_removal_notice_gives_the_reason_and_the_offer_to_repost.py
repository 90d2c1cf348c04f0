"""The removal notice names the reason and offers to re-post without the breach.

The Suffolk Fire and Rescue Service appendix (5.3): "the reason for the post deletion will need
explaining to the poster on the affected thread. If the post contains profanity or is able to
re-post without the offensive section, then it should be explained to the poster that this is an
option." The notice is no longer offered as a reply under the removed comment (it would vanish
with it): the console posts it on the thread. A wording an admin has already changed is kept.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

OLD = "A post breaching our Social Media Policy has been removed."
NEW = (
    "{author}: a post breaching our Social Media Policy has been removed because it {reason}. "
    "You are welcome to post it again without that part."
)


def reword(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ReplyTemplate = apps.get_model("moderation", "ReplyTemplate")
    ReplyTemplate.objects.filter(key="policy-notice", body=OLD).update(
        body=NEW, name="Removal notice (posted on the thread)"
    )


def restore(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ReplyTemplate = apps.get_model("moderation", "ReplyTemplate")
    ReplyTemplate.objects.filter(key="policy-notice", body=NEW).update(
        body=OLD, name="Policy notice (post removed)"
    )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0008_legal_holds_appeals_linked_authors_and_pre_election")]
    operations = [migrations.RunPython(reword, restore)]
