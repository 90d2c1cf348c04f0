"""A platform's permalink is shown as a link, so only http(s) links with a host are kept."""

from __future__ import annotations

import pytest

from moderation.connectors.parsing import safe_permalink


@pytest.mark.parametrize(
    "link",
    [
        "https://www.facebook.com/111/posts/222?comment_id=333",
        "HTTP://example.org/a",
        "  https://x.com/someone/status/1  ",
        "https://[2001:db8::1]/comment/9",
        "https://example.org/<script>alert(1)</script>",  # kept as text; escaped where shown
    ],
)
def test_web_links_with_a_host_are_kept(link: str) -> None:
    assert safe_permalink(link) == link.strip()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https:///no-host",
        "https://",
        "//example.org/no-scheme",
        "ftp://example.org/file",
        "https://exa mple.org/space",
        "https://example.org/\nnew-line",
        "ht\ttps://example.org/",
        "https://[2001:db8::1/unclosed",
        "",
        None,
        42,
        "https://example.org/" + "a" * 2_000,
    ],
)
def test_anything_else_becomes_no_link(link: object) -> None:
    assert safe_permalink(link) == ""
