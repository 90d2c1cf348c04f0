"""The report's "comments by tag" figure: how many comments received in the period carry each
tag officers put on items (``moderation.actions.tags``), and how many of those are still open.

Kept apart from ``queries`` and ``sections`` so that the figure is one self-contained piece: one
grouped query, one section with its chart and table (page, print and CSV alike).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.names import neutralise_bidi
from moderation.models import Comment, CommentTag
from moderation.reports import charts
from moderation.reports.charts import Series
from moderation.reports.period import ReportPeriod, comments_in
from moderation.reports.report import Report
from moderation.reports.tables import Section, number, table_of, text

OPEN = (Comment.Status.REVIEW, Comment.Status.HELD, Comment.Status.ESCALATED)


@dataclass(frozen=True)
class TagRow:
    key: str
    name: str
    comments: int
    still_open: int


def comments_by_tag(period: ReportPeriod) -> list[TagRow]:
    """Tags on comments received in the period, most used first (one grouped query)."""
    rows = (
        CommentTag.objects.filter(comment__in=comments_in(period))
        .values("tag__key", "tag__name")
        .annotate(
            comments=Count("comment", distinct=True),
            still_open=Count("comment", distinct=True, filter=Q(comment__status__in=OPEN)),
        )
        .order_by("-comments", "tag__name")
    )
    return [
        TagRow(
            key=row["tag__key"],
            name=neutralise_bidi(row["tag__name"]),
            comments=row["comments"],
            still_open=row["still_open"],
        )
        for row in rows
    ]


def tags_section(report: Report) -> Section:
    rows = comments_by_tag(report.period)
    chart = charts.bar_chart(
        "chart-tags",
        "Comments by tag",
        "Comments received in the period that officers tagged, per tag, most used first.",
        [row.name for row in rows],
        [Series("Comments", [row.comments for row in rows])],
    )
    return Section(
        "tags",
        "Comments by tag",
        "Tags are labels admins define and officers put on items (a campaign, a road closure). "
        "A comment can carry several tags; still open means to review, held or escalated now.",
        chart if rows else None,
        [
            table_of(
                "tags",
                "Comments by tag",
                ["Tag", "Comments", "Still open"],
                [[text(row.name), number(row.comments), number(row.still_open)] for row in rows],
            )
        ],
    )
