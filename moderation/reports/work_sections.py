"""The report's sections about the work done: outcomes, officers, response times, what is past
due now, and escalations against their deadlines."""

from __future__ import annotations

from moderation.models import Comment
from moderation.reports import charts
from moderation.reports.charts import Series
from moderation.reports.report import Report
from moderation.reports.tables import (
    Section,
    duration_text,
    local,
    minutes,
    number,
    percent,
    table_of,
    text,
)

STATUS_LABELS = dict(Comment.Status.choices)


def outcomes_section(report: Report) -> Section:
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
        "Platform actions requested in the period and not taken back, for each kind of action, "
        "split into those a rule applied automatically and those a person asked for.",
        [row.label for row in report.outcomes],
        [
            Series("By rules", [row.automatic for row in report.outcomes]),
            Series("By people", [row.by_people for row in report.outcomes]),
        ],
    )
    return Section(
        "outcomes",
        "Automatic and human outcomes",
        "An action is automatic when a rule applied it with no person involved. Actions "
        "withdrawn, failed or taken back are not counted: a hide later undone by an unhide is "
        "not a hide (the unhide is counted).",
        chart,
        [
            table_of(
                "outcomes",
                "Platform actions taken",
                ["Action", "By rules", "By people", "Total"],
                rows,
            ),
            table_of(
                "decisions",
                "What became of the flagged comments",
                ["Outcome", "Comments"],
                decision_rows,
                footer=[text("Total"), number(decisions.total)],
            ),
        ],
    )


def officers_section(report: Report) -> Section:
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
        [table_of("officers", "Actions per officer", columns, rows)],
    )


def response_section(report: Report) -> Section:
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
            table_of("response_summary", "Time to first action", ["Measure", "Value"], summary),
            table_of(
                "response_bands", "Items by monitored time to first action", ["Band", "Items"], rows
            ),
        ],
    )


def past_due_section(report: Report) -> Section:
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
            table_of("past_due_by_channel", "Past due, per channel", ["Channel", "Items"], rows),
            table_of("past_due_by_status", "Past due, by status", ["Status", "Items"], status_rows),
        ],
    )


def escalations_section(report: Report) -> Section:
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
        [table_of("escalations", "Escalations by route", columns, rows)],
    )
