"""The report as sections a person reads: a title, a chart, and the chart's table under it.

Each table is defined once here and used three ways: the page, the printable committee paper and
the CSV export. A cell carries both its raw value (for CSV: numbers stay numbers) and the text a
person reads (percentages, durations in hours and minutes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from moderation.hours import LONDON
from moderation.models import Comment
from moderation.reports import charts
from moderation.reports.charts import Series
from moderation.reports.queries import CATEGORY_LABELS, HiddenRow, Report, ResponseTimes

# A long period still charts every day; the table lists every day too.
DAY_LABEL = "%a %d %b"
RULES_CHARTED = 15
STATUS_LABELS = dict(Comment.Status.choices)


@dataclass(frozen=True)
class Cell:
    value: object  # what the CSV gets
    text: str  # what a person reads
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    numeric_columns: frozenset[int] = frozenset()
    footer: list[Cell] = field(default_factory=list)
    # A printed page is narrow: columns from this index on are left out of the printout.
    printed_columns: int | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    chart: SafeString | None
    tables: list[Table]


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    detail: str = ""


def local(moment: dt.datetime) -> dt.datetime:
    """London wall-clock time, as every date in the report is shown."""
    return moment.astimezone(LONDON)


# --- Cells ---------------------------------------------------------------------------------


def text(value: object) -> Cell:
    return Cell(value, "" if value is None else str(value))


def number(value: int | float) -> Cell:
    return Cell(value, f"{value:,}", numeric=True)


def percent(fraction: float | None) -> Cell:
    return Cell(
        None if fraction is None else round(fraction * 100, 1), percent_text(fraction), numeric=True
    )


def minutes(seconds: float | None) -> Cell:
    """Raw value in minutes (one decimal) for spreadsheets; hours and minutes for people."""
    return Cell(
        None if seconds is None else round(seconds / 60, 1), duration_text(seconds), numeric=True
    )


def percent_text(fraction: float | None) -> str:
    if fraction is None:
        return "–"
    value = fraction * 100
    return f"{value:.0f}%" if value == round(value) or value >= 10 else f"{value:.1f}%"


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    total = round(seconds / 60)
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    return f"{hours} h" if mins == 0 else f"{hours} h {mins:02d} min"


def _table(
    key: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    footer: Sequence[Cell] = (),
    printed_columns: int | None = None,
) -> Table:
    numeric = frozenset(
        index
        for index in range(len(columns))
        if rows and all(row[index].numeric or row[index].value is None for row in rows)
    )
    return Table(
        key,
        title,
        list(columns),
        [list(row) for row in rows],
        numeric,
        list(footer),
        printed_columns,
    )


# --- Headline figures ------------------------------------------------------------------------


def headline(report: Report) -> list[Headline]:
    response: ResponseTimes = report.response
    statutory = report.statutory
    on_time = sum(row.closed_on_time for row in statutory)
    known = sum(row.closed_on_time + row.closed_late + row.open_overdue for row in statutory)
    return [
        Headline("Comments received", f"{report.received:,}"),
        Headline(
            "Flagged by the rules",
            f"{report.flagged:,}",
            f"{percent_text(report.flagged_share)} of comments received",
        ),
        Headline(
            "Decided by people",
            f"{report.decisions.by_people:,}",
            f"{report.decisions.by_rules_alone:,} by rules alone, "
            f"{report.decisions.still_open:,} still open",
        ),
        Headline(
            "Median time to first action",
            duration_text(response.median_seconds),
            f"90% within {duration_text(response.p90_seconds)} (monitored hours)",
        ),
        Headline(
            "First action within target",
            percent_text(response.within_target_share),
            f"{response.within_target:,} of {response.count:,} items",
        ),
        Headline(
            "Past due now",
            f"{report.past_due.total:,}",
            f"{report.past_due.awaiting_first_action:,} awaiting a first action, "
            f"{report.past_due.escalated:,} past its escalation deadline; "
            f"as at {local(report.past_due.as_at):%d %b %Y %H:%M}",
        ),
        Headline(
            "Statutory requests on time",
            percent_text(on_time / known) if known else "–",
            f"{on_time:,} of {known:,} FOI and subject access requests with a known outcome",
        ),
        Headline("Escalations overdue", f"{report.escalations_overdue:,}", "open past deadline"),
    ]


# --- Sections -------------------------------------------------------------------------------


def report_sections(report: Report) -> list[Section]:
    return [
        _received(report),
        _categories(report),
        _channels(report),
        _hidden(report),
        _outcomes(report),
        _officers(report),
        _response(report),
        _past_due(report),
        _escalations(report),
        _rules(report),
        _offenders(report),
    ]


def _received(report: Report) -> Section:
    # Columns in the order of the category table: most flagged first.
    categories = [row.category for row in report.categories]
    rows = [
        [
            Cell(day.day.isoformat(), day.day.strftime(DAY_LABEL)),
            number(day.received),
            number(day.flagged),
            percent(day.flagged_share),
            *(number(day.by_category.get(c, 0)) for c in categories),
        ]
        for day in report.days
    ]
    footer = [
        text("Total"),
        number(report.received),
        number(report.flagged),
        percent(report.flagged_share),
        *(number(sum(day.by_category.get(c, 0) for day in report.days)) for c in categories),
    ]
    chart = charts.line_chart(
        "chart-received",
        "Comments received per day",
        f"Comments received and comments flagged by the rules each day, {report.period.label}. "
        f"{report.received:,} received, {report.flagged:,} flagged.",
        [day.day.strftime("%d %b") for day in report.days],
        [
            Series("Received", [day.received for day in report.days]),
            Series("Flagged", [day.flagged for day in report.days]),
        ],
    )
    columns = [
        "Day",
        "Received",
        "Flagged",
        "Flagged share",
        *(CATEGORY_LABELS.get(c, c) for c in categories),
    ]
    table = _table(
        "received_by_day",
        "Comments received by day and category",
        columns,
        rows,
        footer,
        printed_columns=4 if len(categories) > 6 else None,
    )
    return Section(
        "received",
        "Comments received",
        "Per London calendar day. A comment is flagged when a live rule asked for an outcome; "
        "category columns count flagged comments (one comment can be in several categories).",
        chart,
        [table],
    )


def _categories(report: Report) -> Section:
    rows = [
        [text(row.label), number(row.comments), percent(row.flagged_share)]
        for row in report.categories
    ]
    chart = charts.bar_chart(
        "chart-categories",
        "Flagged comments by category",
        "Number of flagged comments in each policy category, largest first.",
        [row.label for row in report.categories],
        [Series("Comments", [row.comments for row in report.categories])],
    )
    return Section(
        "categories",
        "Flagged comments by category",
        "Shares are of all flagged comments; they can add up to more than 100% because a comment "
        "can breach the policy in more than one way.",
        chart,
        [
            _table(
                "categories",
                "Flagged comments by category",
                ["Category", "Comments", "Share"],
                rows,
            )
        ],
    )


def _channels(report: Report) -> Section:
    rows = [
        [
            text(row.name),
            text(row.platform),
            number(row.received),
            number(row.flagged),
            percent(row.flagged_share),
            number(row.response.count),
            minutes(row.response.median_seconds),
            minutes(row.response.p90_seconds),
            minutes(row.target_minutes * 60.0),
            percent(row.response.within_target_share),
            number(row.awaiting_first_action),
            number(row.past_due),
        ]
        for row in report.channels
    ]
    chart = charts.bar_chart(
        "chart-channels",
        "Comments received per channel",
        "Comments received on each channel in the period, split into flagged and not flagged.",
        [row.label for row in report.channels],
        [
            Series("Flagged", [row.flagged for row in report.channels]),
            Series(
                "Not flagged", [row.received - row.flagged for row in report.channels], "#b1b4b6"
            ),
        ],
    )
    columns = [
        "Channel",
        "Platform and account",
        "Received",
        "Flagged",
        "Flagged share",
        "Acted on",
        "Median time",
        "90th percentile",
        "Target",
        "Within target",
        "Awaiting action",
        "Past due now",
    ]
    return Section(
        "channels",
        "Per channel",
        "Times to first action count monitored hours only (each channel's own hours, without "
        "weekends or its nation's bank holidays).",
        chart,
        [_table("channels", "Per channel", columns, rows)],
    )


def _hidden(report: Report) -> Section:
    counts = ["Hidden by a rule", "Hidden by an officer", "Removed", "Comments"]

    def figures(row: HiddenRow) -> list[Cell]:
        return [
            number(row.by_rules),
            number(row.by_people),
            number(row.removed),
            number(row.comments),
        ]

    per_channel = [[text(row.label), *figures(row)] for row in report.hidden_per_channel]
    by_reason = [
        [text(row.label), text(row.reason_label), *figures(row)] for row in report.hidden_by_reason
    ]
    shown = report.hidden_per_channel
    chart = charts.bar_chart(
        "chart-hidden",
        "Comments hidden or removed, per channel",
        "Comments hidden by a rule, hidden by an officer, and removed, on each channel in the "
        "period. A comment a rule hid and an officer then removed is in both.",
        [row.label for row in shown],
        [
            Series("Hidden by a rule", [row.by_rules for row in shown]),
            Series("Hidden by an officer", [row.by_people for row in shown], charts.PALETTE[3]),
            Series("Removed", [row.removed for row in shown], charts.PALETTE[1]),
        ],
    )
    return Section(
        "hidden",
        "Hidden and removed, per channel and reason",
        "Hides and removals requested in the period that reached, or are on their way to, the "
        "platform (cancelled and failed ones hid nothing). The reason is the policy category of "
        "each rule that asked for an outcome; a comment in two categories is counted under "
        "both, and once in the channel's total. Comments an officer hid with no rule involved "
        'are under "No rule matched".',
        chart,
        [
            _table(
                "hidden_per_channel",
                "Hidden and removed, per channel",
                ["Channel", *counts],
                per_channel,
            ),
            _table(
                "hidden_by_reason",
                "Hidden and removed, per channel and reason",
                ["Channel", "Reason", *counts],
                by_reason,
            ),
        ],
    )


def _outcomes(report: Report) -> Section:
    rows = [
        [text(row.label), number(row.automatic), number(row.by_people), number(row.total)]
        for row in report.outcomes
    ]
    decisions = report.decisions
    decision_rows = [
        [text("Decided by a person"), number(decisions.by_people)],
        [text("Decided by a rule alone"), number(decisions.by_rules_alone)],
        [text("Still open"), number(decisions.still_open)],
    ]
    chart = charts.bar_chart(
        "chart-outcomes",
        "Platform actions: automatic and by people",
        "Platform actions requested in the period for each kind of action, split into those a "
        "rule applied automatically and those a person asked for.",
        [row.label for row in report.outcomes],
        [
            Series("By rules", [row.automatic for row in report.outcomes]),
            Series("By people", [row.by_people for row in report.outcomes]),
        ],
    )
    return Section(
        "outcomes",
        "Automatic and human outcomes",
        "An action is automatic when a rule applied it with no person involved.",
        chart,
        [
            _table(
                "outcomes",
                "Platform actions requested",
                ["Action", "By rules", "By people", "Total"],
                rows,
            ),
            _table(
                "decisions",
                "What became of the flagged comments",
                ["Outcome", "Comments"],
                decision_rows,
                footer=[text("Total"), number(decisions.total)],
            ),
        ],
    )


def _officers(report: Report) -> Section:
    used = [
        event
        for event in report.officer_columns
        if any(row.counts[event] for row in report.officers)
    ]
    rows = [
        [text(row.label), *(number(row.counts[event]) for event in used), number(row.total)]
        for row in report.officers
    ]
    chart = charts.bar_chart(
        "chart-officers",
        "Actions per person",
        "Number of moderation actions each person took in the period.",
        [row.label for row in report.officers],
        [Series("Actions", [row.total for row in report.officers])],
    )
    columns = ["Person", *(report.officer_columns[event] for event in used), "Total"]
    return Section(
        "officers",
        "Actions per officer",
        "From the audit log: every hide, removal, reply, approval, escalation and note a person "
        "recorded in the period.",
        chart,
        [_table("officers", "Actions per officer", columns, rows)],
    )


def _response(report: Report) -> Section:
    response = report.response
    rows = [[text(label), number(count)] for label, count in response.buckets]
    chart = charts.bar_chart(
        "chart-response",
        "Time to first action, in monitored hours",
        f"How many items got their first action within each band of monitored time. Median "
        f"{duration_text(response.median_seconds)}, 90th percentile "
        f"{duration_text(response.p90_seconds)}.",
        [label for label, _ in response.buckets],
        [Series("Items", [count for _, count in response.buckets])],
    )
    summary = [
        [text("Items acted on"), number(response.count)],
        [text("Median"), minutes(response.median_seconds)],
        [text("90th percentile"), minutes(response.p90_seconds)],
        [text("Within the channel's target"), percent(response.within_target_share)],
    ]
    return Section(
        "response",
        "Time to first action",
        "From receipt to a person's first action, counting only monitored time. Items a rule "
        "closed with no person involved are not counted.",
        chart,
        [
            _table("response_summary", "Time to first action", ["Measure", "Value"], summary),
            _table(
                "response_bands", "Items by monitored time to first action", ["Band", "Items"], rows
            ),
        ],
    )


def _past_due(report: Report) -> Section:
    overdue = report.past_due
    names = {row.channel_id: row.label for row in report.channels}
    by_channel = sorted(
        overdue.by_channel.items(), key=lambda item: (-item[1], names.get(item[0], ""))
    )
    rows = [[text(names.get(pk, f"Channel {pk}")), number(n)] for pk, n in by_channel]
    status_rows = [
        [text(STATUS_LABELS.get(status, status)), number(n)]
        for status, n in sorted(overdue.by_status.items())
    ]
    chart = charts.bar_chart(
        "chart-past-due",
        "Items past due, per channel",
        f"Open items past due at {local(overdue.as_at):%d %B %Y %H:%M}: "
        f"{overdue.awaiting_first_action:,} whose first action was due, "
        f"{overdue.escalated:,} whose escalation's deadline has passed; "
        f"{overdue.total:,} in all.",
        [names.get(pk, f"Channel {pk}") for pk, _ in by_channel],
        [Series("Past due", [n for _, n in by_channel], charts.PALETTE[1])],
    )
    oldest = (
        f" The oldest was due {local(overdue.oldest_due_at):%d %B %Y %H:%M}."
        if overdue.oldest_due_at is not None
        else ""
    )
    return Section(
        "past_due",
        "Items past due",
        "Open items whose first action is due and not done, or, once escalated, whose "
        "escalation's deadline has passed (the same definition as the escalations page and the "
        "queue's overdue filter). A snapshot at the time of the report, not limited to the "
        f"period.{oldest}",
        chart,
        [
            _table("past_due_by_channel", "Past due, per channel", ["Channel", "Items"], rows),
            _table("past_due_by_status", "Past due, by status", ["Status", "Items"], status_rows),
        ],
    )


def _escalations(report: Report) -> Section:
    rows = [
        [
            text(row.route_name),
            number(row.opened),
            number(row.closed_on_time),
            number(row.closed_late),
            number(row.open_in_time),
            number(row.open_overdue),
            percent(row.on_time_share),
        ]
        for row in report.escalations
    ]
    labels = [row.route_name for row in report.escalations]
    chart = charts.bar_chart(
        "chart-escalations",
        "Escalations by route and deadline",
        "Escalations opened in the period on each route, by where they stand against their "
        "deadline (20 working days for FOI, one calendar month for subject access).",
        labels,
        [
            Series(
                "Closed on time", [r.closed_on_time for r in report.escalations], charts.PALETTE[2]
            ),
            Series("Closed late", [r.closed_late for r in report.escalations], charts.PALETTE[1]),
            Series(
                "Open, in time", [r.open_in_time for r in report.escalations], charts.PALETTE[0]
            ),
            Series(
                "Open, overdue", [r.open_overdue for r in report.escalations], charts.PALETTE[4]
            ),
        ],
    )
    columns = [
        "Route",
        "Opened",
        "Closed on time",
        "Closed late",
        "Open, in time",
        "Open, overdue",
        "On time",
    ]
    return Section(
        "escalations",
        "Escalations and statutory requests",
        '"On time" is the share closed by the deadline, of those closed or already overdue.',
        chart,
        [_table("escalations", "Escalations by route", columns, rows)],
    )


def _rules(report: Report) -> Section:
    rows = [
        [
            text(row.rule_name),
            text(row.rule_key),
            text(row.category_label),
            number(row.hits),
            number(row.reversed),
            percent(row.reversal_rate),
        ]
        for row in report.rules
    ]
    charted = report.rules[:RULES_CHARTED]
    chart = charts.bar_chart(
        "chart-rules",
        "Rule hits and reversals",
        f"Matches of the {len(charted)} busiest rules in the period, and how many of their "
        "outcomes an officer undid.",
        [row.rule_name for row in charted],
        [
            Series("Kept", [row.hits - row.reversed for row in charted]),
            Series("Reversed by an officer", [row.reversed for row in charted], charts.PALETTE[1]),
        ],
    )
    return Section(
        "rules",
        "Rules: hits and reversals",
        "A reversal is an outcome an officer undid (approved a held comment, or unhid it). A high "
        "reversal rate suggests the rule needs tuning.",
        chart,
        [
            _table(
                "rules",
                "Rule hits and reversals",
                ["Rule", "Key", "Category", "Hits", "Reversed", "Reversal rate"],
                rows,
            )
        ],
    )


def _offenders(report: Report) -> Section:
    rows = [
        [
            text(row.name),
            text(row.handle),
            text(row.platform),
            number(row.flagged_comments),
            number(row.strikes),
            Cell(row.blocked, "Blocked" if row.blocked else "No"),
            Cell(
                row.block_recommended,
                "Block recommended" if row.block_recommended else "",
            ),
        ]
        for row in report.offenders
    ]
    chart = charts.bar_chart(
        "chart-offenders",
        "Repeat offenders",
        "Flagged comments in the period for the authors with the most.",
        [row.name for row in report.offenders],
        [Series("Flagged comments", [row.flagged_comments for row in report.offenders])],
    )
    return Section(
        "offenders",
        "Repeat offenders",
        "Authors with two or more flagged comments in the period or two or more strikes in all. "
        "Past the organisation's strike threshold the console recommends a block.",
        chart,
        [
            _table(
                "offenders",
                "Repeat offenders",
                [
                    "Author",
                    "Handle",
                    "Platform",
                    "Flagged comments",
                    "Strikes",
                    "Blocked",
                    "Advice",
                ],
                rows,
            )
        ],
    )
