"""The pages a signed-in person reaches from the navigation: the nav's own pages, then what
those link to, two links deep, one page of each shape (/queue/17/ stands for every item)."""

from __future__ import annotations

import re
from typing import Any

# Not pages to look at: downloads, signing out, and Django's own admin site.
SKIPPED = re.compile(r"\.csv$|/export/|/evidence/|^/django-admin/|^/accounts/sign-out/|^/healthz")


def shape(path: str) -> str:
    """One page of each kind: /queue/17/ and /queue/18/ are the same page."""
    return re.sub(r"\d+", "N", path.split("?")[0].split("#")[0])


def links(page: Any, selector: str) -> list[str]:
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                 .filter(a => a.origin === location.origin && !a.hasAttribute('download'))
                 .map(a => a.pathname + a.search)""",
            selector,
        )
    )


def reachable(page: Any) -> list[str]:
    """The nav's pages, then up to two links deep from them (one page of each shape)."""
    page.goto("/queue/")
    frontier = links(page, "header nav a, .topbar a")
    seen: dict[str, str] = {}
    for depth in range(3):
        next_frontier: list[str] = []
        for path in frontier:
            key = shape(path)
            if key in seen or SKIPPED.search(path.split("?")[0]):
                continue
            seen[key] = path
            if depth < 2:
                page.goto(path)
                next_frontier += links(page, "main a[href]")
        frontier = next_frontier
    return list(seen.values())
