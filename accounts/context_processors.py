from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import PERMISSIONS, ROLE_LABELS, role_of, user_can


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}, "role": None, "role_label": ""}
    role = role_of(user)
    return {
        "can": {p: user_can(user, p) for p in PERMISSIONS},
        "role": role,
        "role_label": ROLE_LABELS.get(role or "", ""),
    }
