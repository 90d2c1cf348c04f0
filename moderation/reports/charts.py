"""Server-side SVG charts: no JavaScript, readable in print and by screen readers.

Every chart is an ``<svg role="img">`` named by its own ``<title>`` and ``<desc>`` (through
``aria-labelledby``); the page puts the chart's table right under it, so the numbers are there for
anyone who cannot see the picture. All markup is built with ``format_html``, so labels taken from
data (rule names, people's names) are escaped like any other text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# GOV.UK palette colours with at least 3:1 contrast against white (WCAG non-text contrast).
PALETTE = (
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#4c2c92",
    "#b35900",
    "#505a5f",
    "#d53880",
    "#003078",
)
WIDTH = 720
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
LABEL_CHARS = 36


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""


def _coloured(series: Sequence[Series]) -> list[Series]:
    return [
        Series(s.name, s.values, s.colour or PALETTE[index % len(PALETTE)])
        for index, s in enumerate(series)
    ]


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 to at least ``maximum`` (1, 2, 2.5 or 5 times a power of ten)."""
    if maximum <= 0 or not math.isfinite(maximum):
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _open_svg(chart_id: str, title: str, description: str, height: float) -> SafeString:
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="{1}" height="{2}" '
        'font-family="{3}" font-size="12">'
        '<title id="{0}-title">{4}</title><desc id="{0}-desc">{5}</desc>',
        chart_id,
        WIDTH,
        f"{height:.0f}",
        FONT,
        title,
        description,
    )


# Legend text is measured by estimate (no font metrics on the server): a wide average for the
# system fonts at 12 px, so an entry is never cut at the chart's edge ("Open, ove").
LEGEND_CHAR_WIDTH = 7.4
LEGEND_ROW = 18.0
LEGEND_LEFT = 8.0


def _legend_width(s: Series) -> float:
    return 16 + LEGEND_CHAR_WIDTH * len(s.name)


def legend_rows(series: Sequence[Series], x: float) -> list[list[tuple[float, Series]]]:
    """Each legend entry's x, in rows: an entry that would pass the right edge starts a new row
    at the left."""
    rows: list[list[tuple[float, Series]]] = [[]]
    for s in series:
        if rows[-1] and x + _legend_width(s) > WIDTH - 4:
            rows.append([])
            x = LEGEND_LEFT
        rows[-1].append((x, s))
        x += _legend_width(s) + 20
    return rows


def _legend(series: Sequence[Series], x: float, y: float) -> tuple[SafeString, float]:
    """The legend's markup and its height."""
    parts = []
    rows = legend_rows(series, x)
    for index, row in enumerate(rows):
        top = y + index * LEGEND_ROW
        for left, s in row:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                    '<text class="legend" x="{}" y="{}">{}</text>',
                    f"{left:.1f}",
                    f"{top:.1f}",
                    s.colour,
                    f"{left + 16:.1f}",
                    f"{top + 10:.1f}",
                    s.name,
                )
            )
    return mark_safe("".join(parts)), len(rows) * LEGEND_ROW


def _empty(chart_id: str, title: str, description: str) -> SafeString:
    return format_html(
        '{}<text x="{}" y="36" text-anchor="middle" fill="#505a5f">No data for this period</text>'
        "</svg>",
        _open_svg(chart_id, title, description, 60),
        WIDTH / 2,
    )


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = True,
) -> SafeString:
    """Horizontal bars, one row per label; several series are stacked (or grouped side by side)."""
    coloured = _coloured(series)
    totals = [sum(s.values[i] for s in coloured) for i in range(len(labels))]
    peak = max(totals if stacked else [v for s in coloured for v in s.values], default=0)
    if not labels or peak <= 0:
        return _empty(chart_id, title, description)
    label_width, right_pad = 260.0, 50.0
    plot_width = WIDTH - label_width - right_pad
    ticks = nice_ticks(peak)
    scale = plot_width / ticks[-1]
    legend, legend_height = _legend(coloured, LEGEND_LEFT, 6) if len(coloured) > 1 else ("", 0.0)
    top = 12.0 + legend_height if legend_height else 8.0
    bar = 18.0
    row = bar + 10 if stacked else bar * len(coloured) + 10
    height = top + row * len(labels) + 28
    parts: list[SafeString] = [_open_svg(chart_id, title, description, height)]
    if legend:
        parts.append(mark_safe(legend))
    axis_y = top + row * len(labels)
    for tick in ticks:
        x = label_width + tick * scale
        parts.append(
            format_html(
                '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="#d8dadb"/>'
                '<text x="{0}" y="{3}" text-anchor="middle" fill="#505a5f">{4}</text>',
                f"{x:.1f}",
                f"{top:.1f}",
                f"{axis_y:.1f}",
                f"{axis_y + 16:.1f}",
                _number(tick),
            )
        )
    for index, label in enumerate(labels):
        y = top + row * index + 5
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}<title>{}</title></text>',
                f"{label_width - 8:.1f}",
                f"{y + bar / 2 + 4:.1f}",
                _short(label),
                label,
            )
        )
        x = label_width
        for position, s in enumerate(coloured):
            value = s.values[index]
            bar_y = y if stacked else y + bar * position
            bar_x = x if stacked else label_width
            width = value * scale
            if width > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{}: {} {}</title></rect>",
                        f"{bar_x:.1f}",
                        f"{bar_y:.1f}",
                        f"{width:.1f}",
                        f"{bar - (0 if stacked else 2):.1f}",
                        s.colour,
                        label,
                        _number(value),
                        s.name,
                    )
                )
            if stacked:
                x += width
            else:
                parts.append(_value_label(bar_x + width + 4, bar_y + bar / 2 + 3, value))
        if stacked:
            parts.append(_value_label(x + 4, y + bar / 2 + 4, totals[index]))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def _value_label(x: float, y: float, value: float) -> SafeString:
    return format_html('<text x="{}" y="{}">{}</text>', f"{x:.1f}", f"{y:.1f}", _number(value))


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
) -> SafeString:
    """Lines over an ordered axis (days); points are marked when there are few enough to see."""
    coloured = _coloured(series)
    peak = max((v for s in coloured for v in s.values), default=0)
    if not x_labels or peak <= 0:
        return _empty(chart_id, title, description)
    legend, legend_height = _legend(coloured, 52.0, 6)
    left, right, top, bottom = 52.0, 36.0, 14.0 + legend_height, 36.0
    height = 248.0 + legend_height
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    ticks = nice_ticks(peak)
    count = len(x_labels)

    def x_of(index: int) -> float:
        return left + (plot_width / 2 if count == 1 else plot_width * index / (count - 1))

    def y_of(value: float) -> float:
        return top + plot_height - plot_height * value / ticks[-1]

    parts: list[SafeString] = [_open_svg(chart_id, title, description, height), legend]
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="#d8dadb"/>'
                '<text x="{3}" y="{4}" text-anchor="end" fill="#505a5f">{5}</text>',
                f"{left:.1f}",
                f"{left + plot_width:.1f}",
                f"{y_of(tick):.1f}",
                f"{left - 6:.1f}",
                f"{y_of(tick) + 4:.1f}",
                _number(tick),
            )
        )
    every = max(1, math.ceil(count / 8))
    for index in range(0, count, every):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="#505a5f">{}</text>',
                f"{x_of(index):.1f}",
                f"{height - bottom + 18:.1f}",
                x_labels[index],
            )
        )
    for s in coloured:
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(s.values))
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                points,
                s.colour,
            )
        )
        if count <= 62:
            parts.append(
                format_html_join(
                    "",
                    '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {} {}</title></circle>',
                    (
                        (
                            f"{x_of(i):.1f}",
                            f"{y_of(v):.1f}",
                            s.colour,
                            x_labels[i],
                            _number(v),
                            s.name,
                        )
                        for i, v in enumerate(s.values)
                    ),
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
