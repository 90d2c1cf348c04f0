"""Channel credentials, encrypted at rest (Fernet, key from ``CREDENTIALS_KEY``).

Credentials are written once and never shown again: the console only ever says which keys are set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.CREDENTIALS_KEY.encode())


def encrypt_credentials(values: Mapping[str, str]) -> str:
    return _fernet().encrypt(json.dumps(dict(values)).encode()).decode()


def decrypt_credentials(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return dict(json.loads(_fernet().decrypt(token.encode())))
    except InvalidToken:
        raise ValueError(
            "The channel's credentials cannot be decrypted: CREDENTIALS_KEY has changed. "
            "Enter the credentials again."
        ) from None
