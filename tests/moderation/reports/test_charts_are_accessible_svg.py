"""Charts are plain SVG named for screen readers, with data labels escaped like any text."""

from __future__ import annotations

from moderation.reports.charts import Series, bar_chart, line_chart, nice_ticks


def test_a_bar_chart_is_an_image_named_by_its_title_and_description() -> None:
    svg = bar_chart(
        "chart-x", "Hits per rule", "How often each rule matched.", ["A"], [Series("Hits", [3])]
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Hits per rule</title>' in svg
    assert '<desc id="chart-x-desc">How often each rule matched.</desc>' in svg


def test_a_hostile_label_is_escaped_inside_the_chart() -> None:
    label = '<script>alert("x")</script>'
    svg = bar_chart("c", "t", "d", [label], [Series("Flagged", [2])])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_stacked_bars_are_as_long_as_their_total() -> None:
    svg = bar_chart(
        "c", "t", "d", ["Route"], [Series("On time", [3]), Series("Late", [1])], stacked=True
    )
    assert svg.count("<rect") == 2 + 2  # two bars and two legend keys
    assert ">4</text>" in svg  # the total is written at the end of the bar


def test_a_chart_with_nothing_to_show_says_so() -> None:
    assert "No data for this period" in bar_chart("c", "t", "d", [], [Series("n", [])])
    assert "No data for this period" in line_chart("c", "t", "d", ["Mon"], [Series("n", [0])])


def test_a_line_chart_draws_one_line_per_series() -> None:
    svg = line_chart(
        "c",
        "t",
        "d",
        ["Mon", "Tue", "Wed"],
        [Series("Received", [5, 9, 2]), Series("Flagged", [1, 3, 0])],
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 6


def test_axis_ticks_are_round_numbers_covering_the_largest_value() -> None:
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(230) == [0, 100, 200, 300]
    assert nice_ticks(0) == [0, 1]
