"""The audit log's CSV export, the copy that goes to committees and auditors, shows direction
controls in what an event recorded as visible tokens, as the audit log page does: a renamed
template or a person's name cannot be disguised with a right-to-left override in the spreadsheet
either."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from accounts.audit import record
from tests.helpers import export, signed_in, streamed

pytestmark = pytest.mark.django_db
RLO = "\u202e"


def test_changed_values_details_actor_and_target_show_the_override_as_a_token(
    client: Client, maya, adam
) -> None:
    adam.full_name = f"Adam {RLO}ekralC"
    adam.save()
    with transaction.atomic():
        record(
            "moderation.reply_template.changed",
            actor=adam,
            target_repr=f"template {RLO}7",
            before={"name": "Thanks"},
            after={"name": f"Thanks{RLO}gnp.exe"},
            data={"reason": f"tidy {RLO}txt.exe"},
        )
    signed_in(client, maya)

    exported = streamed(export(client, "/audit/export.csv")).decode()

    assert "Thanks⟨U+202E⟩gnp.exe" in exported
    assert "tidy ⟨U+202E⟩txt.exe" in exported
    assert "Adam ⟨U+202E⟩ekralC" in exported
    assert "template ⟨U+202E⟩7" in exported
    assert RLO not in exported
