"""Fixtures for the admins' pages' tests."""

from tests.moderation.configuration.factories_configuration import plain_static_files

__all__ = ["plain_static_files"]
