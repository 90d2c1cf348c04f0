"""The report's sections about the comments: received, by category and channel, hidden, rules,
repeat posters; the headline figures; and the order of every section."""

from __future__ import annotations

import datetime as dt

from moderation.reports import charts
from moderation.reports.charts import Series
from moderation.reports.hidden import HiddenRow
from moderation.reports.period import CATEGORY_LABELS
from moderation.reports.report import Report
from moderation.reports.response_times import ResponseTimes
from moderation.reports.tables import (
    Cell,
    Headline,
    Section,
    category,
    duration_text,
    local,
    minutes,
    number,
    percent,
    percent_text,
    table_of,
    text,
)
from moderation.reports.work_sections import (
    escalations_section,
    officers_section,
    outcomes_section,
    past_due_section,
    response_section,
)


def _strike_date(moment: dt.datetime | None) -> Cell:
    if moment is None:
        return Cell(None, "–")
    return Cell(local(moment).date().isoformat(), f"{local(moment):%d %b %Y}")


# A long period still charts every day; the table lists every day too.
DAY_LABEL = "%a %d %b"
RULES_CHARTED = 15


def headline(report: Report) -> list[Headline]:
    response: ResponseTimes = report.response
    statutory = report.statutory
    on_time = sum(row.closed_on_time for row in statutory)
    known = sum(row.closed_on_time + row.closed_late + row.open_overdue for row in statutory)
    return [
        Headline("Comments received", number(report.received)),
        Headline(
            "Flagged by the rules",
            number(report.flagged),
            f"{percent_text(report.flagged_share)} of comments received",
        ),
        Headline(
            "Decided by people",
            number(report.decisions.by_people),
            f"{report.decisions.by_rules_alone:,} by rules alone, "
            f"{report.decisions.still_open:,} still open",
        ),
        Headline(
            "Median time to first action",
            minutes(response.median_seconds),
            f"90% within {duration_text(response.p90_seconds)} (monitored hours)",
        ),
        Headline(
            "First action within target",
            percent(response.within_target_share),
            f"{response.within_target:,} of {response.count:,} items",
        ),
        Headline(
            "Past due now",
            number(report.past_due.total),
            f"{report.past_due.awaiting_first_action:,} awaiting a first action, "
            f"{report.past_due.escalated:,} past its escalation deadline; "
            f"as at {local(report.past_due.as_at):%d %b %Y %H:%M}",
        ),
        Headline(
            "Statutory requests on time",
            percent(on_time / known if known else None),
            f"{on_time:,} of {known:,} FOI and subject access requests with a known outcome",
        ),
        Headline("Escalations overdue", number(report.escalations_overdue), "open past deadline"),
    ]


def report_sections(report: Report) -> list[Section]:
    return [
        received_section(report),
        categories_section(report),
        channels_section(report),
        hidden_section(report),
        outcomes_section(report),
        officers_section(report),
        response_section(report),
        past_due_section(report),
        escalations_section(report),
        rules_section(report),
        offenders_section(report),
    ]


def received_section(report: Report) -> Section:
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
    table = table_of(
        "received_by_day",
        "Comments received by day and category",
        columns,
        rows,
        footer,
        printed_columns=4 if len(categories) > 6 else None,
        csv_columns=[*columns[:4], *categories],
    )
    return Section(
        "received",
        "Comments received",
        "Per London calendar day. A comment is flagged when a live rule asked for an outcome; "
        "category columns count flagged comments (one comment can be in several categories).",
        chart,
        [table],
    )


def categories_section(report: Report) -> Section:
    rows = [
        [category(row.category, row.label), number(row.comments), percent(row.flagged_share)]
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
            table_of(
                "categories",
                "Flagged comments by category",
                ["Category", "Comments", "Share"],
                rows,
            )
        ],
    )


def channels_section(report: Report) -> Section:
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
        [table_of("channels", "Per channel", columns, rows)],
    )


def hidden_section(report: Report) -> Section:
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
        # No reason (an officer's judgement, no rule) is a blank cell in the CSV.
        [text(row.label), category(row.reason or "", row.reason_label), *figures(row)]
        for row in report.hidden_by_reason
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
        "platform and were not taken back (a hide withdrawn, failed or later undone by an unhide "
        "hid nothing). The reason is the policy category of "
        "each rule that asked for an outcome; a comment in two categories is counted under "
        "both, and once in the channel's total. Comments an officer hid with no rule involved "
        'are under "No rule matched".',
        chart,
        [
            table_of(
                "hidden_per_channel",
                "Hidden and removed, per channel",
                ["Channel", *counts],
                per_channel,
            ),
            table_of(
                "hidden_by_reason",
                "Hidden and removed, per channel and reason",
                ["Channel", "Reason", *counts],
                by_reason,
            ),
        ],
    )


def rules_section(report: Report) -> Section:
    rows = [
        [
            text(row.rule_name),
            text(row.rule_key),
            category(row.category, row.category_label),
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
            table_of(
                "rules",
                "Rule hits and reversals",
                ["Rule", "Key", "Category", "Hits", "Reversed", "Reversal rate"],
                rows,
            )
        ],
    )


def offenders_section(report: Report) -> Section:
    rows = [
        [
            text(row.name),
            text(row.handle),
            text(row.platform),
            number(row.flagged_comments),
            number(row.strikes),
            number(row.strikes_in_period),
            _strike_date(row.last_strike_at),
            text("Blocked" if row.blocked else "No"),
            text("Block recommended" if row.block_recommended else ""),
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
        "Authors with two or more flagged comments in the period or two or more strikes in all "
        "(strikes taken back on appeal or undone are not counted). Past the organisation's strike "
        "threshold the console recommends a block.",
        chart,
        [
            table_of(
                "offenders",
                "Repeat offenders",
                [
                    "Author",
                    "Handle",
                    "Platform",
                    "Flagged comments",
                    "Strikes",
                    "Strikes in the period",
                    "Last strike",
                    "Blocked",
                    "Advice",
                ],
                rows,
            )
        ],
    )
