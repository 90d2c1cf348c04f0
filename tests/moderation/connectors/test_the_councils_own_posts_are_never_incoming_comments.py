"""Every platform: the council's own replies come back in listings and are left out.

Otherwise reports count the council's own words as residents' comments (e.g. "Comment by
urn:li:organization:…", one flagged political). Each platform names the author its own way: a
Page id, a channel id, an organisation URN, a DID, a username, or a flag such as Threads'
`is_reply_owned_by_me` and TikTok's `owner`.
"""

from __future__ import annotations

import pytest

from moderation.connectors.base import PLATFORMS
from moderation.emulator.store import Author


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_reply_written_by_the_account_itself_is_not_listed(make_kit, drain_all, platform):
    kit = make_kit(platform)
    post = kit.post()
    resident = kit.comment(post, "When are the bins collected?")
    account = kit.emulator.store.account(platform, kit.account_id)
    kit.comment(
        post,
        "Tuesdays, from 7am.",
        author=Author(account.id, account.handle, account.name),
        parent_id=resident,
    )

    listed, _, _, _ = drain_all(kit.connector())

    assert [c.text for c in listed] == ["When are the bins collected?"]
