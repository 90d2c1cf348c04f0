"""The registry: one connector per platform, and a capability table needing no network."""

from __future__ import annotations

import pytest

from moderation.connectors import base
from moderation.connectors.base import ACTIONS, PLATFORMS, Capabilities, ChannelConfig, Connector
from moderation.connectors.errors import PermanentError
from moderation.connectors.registry import CAPABILITIES, get_connector


def test_every_platform_has_capabilities_with_a_note_for_every_action():
    assert tuple(CAPABILITIES) == PLATFORMS
    for capabilities in CAPABILITIES.values():
        assert set(ACTIONS) <= set(capabilities.notes)


def test_the_table_records_what_each_platform_cannot_do():
    assert not CAPABILITIES["youtube"].unblock
    assert not CAPABILITIES["instagram"].allows("block")
    assert not CAPABILITIES["linkedin"].allows("hide")
    assert not CAPABILITIES["x"].allows("remove")
    assert CAPABILITIES["facebook"].allows("block")
    assert not CAPABILITIES["facebook"].allows("pin")


def test_capabilities_are_immutable():
    with pytest.raises(TypeError):
        CAPABILITIES["facebook"].notes["hide"] = "changed"  # type: ignore[index]
    assert isinstance(CAPABILITIES["x"], Capabilities)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_get_connector_returns_a_connector_for_each_platform(platform):
    connector = get_connector(ChannelConfig(platform, "1", {"access_token": "t"}))

    assert isinstance(connector, Connector)
    assert connector.platform == platform
    assert connector.capabilities is CAPABILITIES[platform]


def test_an_unknown_platform_is_a_permanent_error():
    with pytest.raises(PermanentError, match="No connector"):
        get_connector(ChannelConfig("myspace", "1", {}))


def test_an_unknown_action_is_a_permanent_error():
    connector = get_connector(ChannelConfig("facebook", "1", {"access_token": "t"}))

    with pytest.raises(PermanentError, match="not an action"):
        connector.perform("pin", base.ActionTarget("1", "", ""))
