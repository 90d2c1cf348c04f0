"""Email addresses as admins type them: separated by commas, semicolons or spaces."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def email_addresses(raw: str) -> list[str]:
    """The addresses in ``raw``; a ValidationError names the first that is not one."""
    addresses = [a.strip() for a in re.split(r"[,;\s]+", raw or "") if a.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(f"{address[:80]!r} is not an email address.") from None
    return addresses
