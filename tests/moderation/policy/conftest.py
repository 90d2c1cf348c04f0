"""Fixtures for the policy workflows' tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.helpers import signed_in


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def officer_client(olivia: Any) -> Client:
    return signed_in(Client(), olivia)


@pytest.fixture
def manager_client(maya: Any) -> Client:
    return signed_in(Client(), maya)
