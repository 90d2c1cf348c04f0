"""The audit log page shows direction controls in the values an event records (what changed, its
details, who did it) as visible tokens, so a change cannot be disguised where it is reviewed.

The penetration test's case: an admin renamed a reply template and an escalation route to names
holding U+202E (right-to-left override); the audit log's "Change" column showed the raw override,
so "exe.gnp" read as "png.exe" to the manager reviewing it.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from accounts.audit import record
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
RLO = "\u202e"


def test_changed_values_details_and_actor_show_the_override_as_a_token(
    client: Client, maya, adam
) -> None:
    adam.full_name = f"Adam {RLO}ekralC"
    adam.save()
    with transaction.atomic():
        record(
            "moderation.reply_template.changed",
            actor=adam,
            target_repr="template 7",
            before={"name": "Thanks"},
            after={"name": f"Thanks{RLO}gnp.exe"},
            data={"reason": f"tidy {RLO}txt.exe"},
        )
    signed_in(client, maya)
    page = client.get("/audit/").content.decode()
    assert "Thanks⟨U+202E⟩gnp.exe" in page
    assert "tidy ⟨U+202E⟩txt.exe" in page
    assert RLO not in page
