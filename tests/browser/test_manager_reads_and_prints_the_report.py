"""A manager, in the browser, reads a fortnight's report and prints it as a committee paper.

The hidden-per-channel-and-reason table is there; every chart legend is whole (Chromium measures
each legend entry: none runs past the chart's edge, as "Open, ove" did); the page fits 390 px and
passes axe; and in the printed paper (Chromium's own print to PDF) no heading or table title ends
a page with what it introduces on the next.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.conftest import SCREENSHOTS, no_horizontal_scroll, wider_than_the_viewport
from tests.moderation.reports.factories_reports import busy_fortnight, london

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
START = london(2025, 8, 4, 8)
QUERY = "?start=2025-08-04&end=2025-08-17"

# For each chart, the legend entries whose drawn text passes the right edge of the chart.
CUT_LEGENDS = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const width = svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text.legend')]
    .filter(t => { const b = t.getBBox(); return b.x + b.width > width; })
    .map(t => svg.id + ': ' + t.textContent);
})"""
LEGENDS = "() => [...document.querySelectorAll('svg.chart text.legend')].map(t => t.textContent)"


@pytest.fixture
def fortnight(olivia: Any, oscar: Any) -> None:
    busy_fortnight(START, [olivia, oscar])


def test_the_report_has_the_hidden_table_and_whole_legends(
    manager_page: Any, fortnight: None, axe: Any, shoot: Any
) -> None:
    page = manager_page
    page.goto(f"/reports/{QUERY}")
    hidden = page.locator("#hidden")
    assert "Hidden and removed, per channel and reason" in hidden.inner_text()
    assert hidden.locator("table").nth(1).locator("tbody tr").count() >= 6
    assert "Open, overdue" in page.evaluate(LEGENDS)
    assert page.evaluate(CUT_LEGENDS) == []
    assert axe(page) == []
    shoot(page, "manager-report-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/reports/{QUERY}")
    assert no_horizontal_scroll(page), wider_than_the_viewport(page)
    assert page.evaluate(CUT_LEGENDS) == []
    assert axe(page) == []
    shoot(page, "manager-report-390")


def _headings(page: Any) -> list[str]:
    """Every heading and table title in the paper, as the PDF's text shows them."""
    return [
        " ".join(text.split())
        for text in page.evaluate(
            """() => [...document.querySelectorAll('main h1, main h2, main caption')]
                 .map(e => e.childNodes[0].textContent)"""
        )
        if text.strip()
    ]


def test_no_heading_ends_a_printed_page(manager_page: Any, fortnight: None) -> None:
    page = manager_page
    page.goto(f"/reports/print/{QUERY}")
    headings = set(_headings(page))
    assert "Hidden and removed, per channel and reason" in headings
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", margin={"top": "15mm", "bottom": "15mm"})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "manager-report-paper.pdf").write_bytes(pdf)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 4
    # A page that ends with a heading, a table's title or a section's introduction has left
    # what they introduce to the next page.
    intros = [
        " ".join(text.split())
        for text in page.evaluate(
            "() => [...document.querySelectorAll('.section-intro')].map(e => e.textContent)"
        )
    ]
    stranded = []
    for number, sheet in enumerate(pages[:-1], start=1):
        lines = [" ".join(line.split()) for line in sheet.extract_text().splitlines()]
        last = next((line for line in reversed(lines) if line), "")
        if last in headings or any(intro.endswith(last) for intro in intros):
            stranded.append((number, last))
    assert stranded == []


def test_a_period_with_nothing_hidden_says_so(manager_page: Any) -> None:
    manager_page.goto("/reports/?start=2025-01-06&end=2025-01-12")
    assert "Nothing in this period." in manager_page.locator("#hidden").inner_text()
