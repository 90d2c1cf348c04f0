"""The demo's content, the one source for both the console's demo data and the emulator's world:
``content.json`` holds the organisation, its channels (with their platform account ids), posts
and comments (with their platform ids, ages in hours and the flags the policy should raise)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CONTENT_PATH = Path(__file__).resolve().parent / "content.json"


def load_content(path: Path = CONTENT_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        content: dict[str, Any] = json.load(handle)
    return content
