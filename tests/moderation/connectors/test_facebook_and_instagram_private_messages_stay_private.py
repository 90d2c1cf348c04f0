"""Facebook Page and Instagram private messages: read as private items (by poll and by
webhook), answered through the Send API, never offered public actions."""

from __future__ import annotations

import json

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError
from moderation.connectors.webhooks import parse_meta_webhook
from moderation.emulator import meta_webhooks

RESIDENT = {"id": "24000000000001", "handle": "ana.p", "name": "Ana P"}


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_message_is_listed_as_a_private_item_after_the_comments(make_kit, drain_all, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "A public comment")
    mid = kit.emulator.add_message(platform, kit.account_id, "FOI request: bin contracts", RESIDENT)

    listed, problems, _, _ = drain_all(kit.connector())

    assert problems == []
    [message] = [c for c in listed if c.private]
    assert message.platform_id == mid
    assert message.text == "FOI request: bin contracts"
    assert message.author.platform_id == RESIDENT["id"]
    assert [c.text for c in listed if not c.private] == ["A public comment"]


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_message_is_read_once(make_kit, drain_all, platform):
    kit = make_kit(platform)
    kit.emulator.add_message(platform, kit.account_id, "hello", RESIDENT)
    connector = kit.connector()
    first, _, cursor, _ = drain_all(connector)

    again, _, _, _ = drain_all(connector, cursor)

    assert len(first) == 1
    assert again == []


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_private_message_is_answered_through_the_send_api(make_kit, platform):
    kit = make_kit(platform)
    mid = kit.emulator.add_message(platform, kit.account_id, "Please call me", RESIDENT)

    result = kit.connector().perform(
        "reply", ActionTarget(mid, RESIDENT["id"], "", text="We will.", private=True)
    )

    [sent] = [a for a in kit.emulator.actions if a["action"] == "message"]
    assert sent["target"] == RESIDENT["id"]
    assert sent["params"]["message"] == "We will."
    assert sent["params"]["messaging_type"] == "RESPONSE"
    assert result.platform_id == sent["params"]["id"]
    assert not [a for a in kit.emulator.actions if a["action"] == "reply"]


@pytest.mark.parametrize("action", ["hide", "remove", "block", "unhide"])
def test_a_private_message_is_never_acted_on_in_public(make_kit, action):
    kit = make_kit("facebook")
    mid = kit.emulator.add_message("facebook", kit.account_id, "hi", RESIDENT)

    with pytest.raises(PermanentError) as raised:
        kit.connector().perform(action, ActionTarget(mid, RESIDENT["id"], "", private=True))

    assert raised.value.code == "private_message"
    assert kit.emulator.actions == []


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_messaging_webhook_is_parsed_as_a_private_item_and_echoes_are_left_out(
    make_kit, platform
):
    kit = make_kit(platform)
    mid = kit.emulator.add_message(platform, kit.account_id, "my address is…", RESIDENT)
    [message] = [m for m in kit.emulator.store.messages if m.id == mid]
    body = meta_webhooks.message_payload(message)
    echo = json.loads(json.dumps(body))
    echo["entry"][0]["messaging"][0]["message"]["is_echo"] = True

    [(account, parsed)], problems = parse_meta_webhook(platform, json.dumps(body).encode())
    echoed, _ = parse_meta_webhook(platform, json.dumps(echo).encode())

    assert problems == []
    assert account == kit.account_id
    assert parsed.private and parsed.platform_id == mid
    assert parsed.author.platform_id == RESIDENT["id"]
    assert echoed == []
