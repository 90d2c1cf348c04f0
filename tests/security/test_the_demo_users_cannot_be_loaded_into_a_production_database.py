"""`manage.py load_demo` creates an admin whose password is published (`demo-password-2026`) and
whose authenticator key anyone can derive; run against a production database it would hand out
admin access. It runs only with DEBUG=true, as `make demo` sets."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_load_demo_refuses_without_debug_and_creates_nobody() -> None:
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("load_demo")
    assert not User.objects.filter(username="adam").exists()
