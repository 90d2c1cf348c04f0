"""The Graph API and LinkedIn versions are settings, with current defaults."""

from __future__ import annotations

import pytest

from moderation.channel_connector import connector_for
from moderation.connectors.graph import DEFAULT_GRAPH_VERSION, GraphConnector
from moderation.connectors.linkedin import DEFAULT_VERSION, LinkedInConnector
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def test_the_graph_default_is_the_version_metas_own_sdk_is_generated_for() -> None:
    # facebook-python-business-sdk's API_VERSION (api-specs README); v21.0 ends 21 Jan 2027.
    assert DEFAULT_GRAPH_VERSION == "v25.0"


def test_blank_settings_use_the_connectors_defaults(settings) -> None:
    settings.GRAPH_API_VERSION = ""
    settings.LINKEDIN_API_VERSION = ""

    facebook = connector_for(ChannelFactory(platform="facebook"))
    linkedin = connector_for(ChannelFactory(platform="linkedin", login={"access_token": "t"}))

    assert isinstance(facebook, GraphConnector) and isinstance(linkedin, LinkedInConnector)
    assert facebook.graph_path("1") == f"/{DEFAULT_GRAPH_VERSION}/1"
    assert linkedin.auth_headers()["LinkedIn-Version"] == DEFAULT_VERSION


def test_the_settings_choose_the_versions(settings) -> None:
    settings.GRAPH_API_VERSION = "v26.0"
    settings.LINKEDIN_API_VERSION = "202611"

    facebook = connector_for(ChannelFactory(platform="facebook", login={"access_token": "t"}))
    threads = connector_for(ChannelFactory(platform="threads", login={"access_token": "t"}))
    linkedin = connector_for(ChannelFactory(platform="linkedin", login={"access_token": "t"}))

    assert isinstance(facebook, GraphConnector) and isinstance(threads, GraphConnector)
    assert isinstance(linkedin, LinkedInConnector)
    assert facebook.graph_path("1") == "/v26.0/1"
    assert threads.graph_path("1") == "/v1.0/1"  # its own API
    assert linkedin.auth_headers()["LinkedIn-Version"] == "202611"
