"""Escalation routes and reply templates the seeds' policies call for, and the organisation row.

Wording follows the policies: the listening response ("Thank you for bringing this to our
attention, we are investigating and will respond as soon as we are able – we are listening"), the
policy notice ("A post breaching our Social Media Policy has been removed"), and signposts to the
FOI and complaints routes, since social media is not a replacement for those procedures.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ROUTES = [
    # key, name, deadline kind, amount
    ("manager", "Manager", "hours", 24),
    ("foi", "FOI team (Freedom of Information / EIR)", "working_days", 20),
    ("subject_access", "Data protection (subject access)", "calendar_months", 1),
    ("complaints", "Complaints team", "working_days", 10),
    ("safeguarding", "Safeguarding / police (threats, hate crime)", "hours", 4),
    ("legal", "Legal (defamation)", "working_days", 5),
    ("crisis", "Crisis management group", "hours", 2),
]

TEMPLATES = [
    (
        "listening",
        "Listening response",
        True,
        [],
        "Thank you for bringing this to our attention, {author}. We are investigating and will "
        "respond as soon as we are able – we are listening.",
    ),
    (
        "policy-notice",
        "Policy notice (post removed)",
        False,
        ["abuse", "harassment", "hate", "personal_data", "spam", "malicious_link", "political"],
        "A post breaching our Social Media Policy has been removed.",
    ),
    (
        "foi-signpost",
        "FOI signpost",
        False,
        ["foi_request"],
        "Thank you, {author}. Our Freedom of Information team will be in contact with you shortly. "
        "You can also make a request at {foi_contact}.",
    ),
    (
        "sar-signpost",
        "Subject access signpost",
        False,
        ["subject_access_request"],
        "Thank you, {author}. To get a copy of the personal data we hold about you, please contact "
        "our data protection team at {dp_contact} so that we can confirm your identity.",
    ),
    (
        "complaints-signpost",
        "Complaints signpost",
        False,
        ["complaint", "staff_criticism"],
        "We're sorry to hear this, {author}. Social media isn't a replacement for our complaints "
        "procedure: please contact us at {complaints_contact} so that the right team can look into it.",
    ),
    (
        "private-message",
        "Take this to private message",
        False,
        ["personal_data"],
        "Thanks {author} – so that we can help without sharing your details publicly, please send us "
        "a private message with more information.",
    ),
]


def create_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    EscalationRoute = apps.get_model("moderation", "EscalationRoute")
    ReplyTemplate = apps.get_model("moderation", "ReplyTemplate")
    Organisation = apps.get_model("moderation", "Organisation")
    for key, name, kind, amount in ROUTES:
        EscalationRoute.objects.get_or_create(
            key=key, defaults={"name": name, "deadline_kind": kind, "deadline_amount": amount}
        )
    for position, (key, name, crisis_first, categories, body) in enumerate(TEMPLATES):
        ReplyTemplate.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "body": body,
                "for_categories": categories,
                "offered_first_in_crisis": crisis_first,
                "position": position,
            },
        )
    if not Organisation.objects.exists():
        Organisation.objects.create(name="Our council")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
