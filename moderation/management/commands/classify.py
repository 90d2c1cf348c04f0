"""`manage.py classify [--ruleset NAME]`: JSON Lines in on stdin, one verdict line out per input.

Input lines: {"id": ..., "text": ..., "author": ... (optional)}. Output lines, in input order:
{"id": ..., "categories": [...], "matches": [{"rule", "category", "severity", "outcome",
"route", "detector", "spans"}]}; a match of the learned stage (detector "model", rule
"model.<category>") adds "score" (calibrated, 0 to 1) and "terms"; a campaign copy's match has
category "" and "signal": "campaign" (in no category). A line that is not valid JSON
gets {"id": null, "error": "..."} and the rest continue. Repetition (spam, campaigns) is judged
across the lines of the input. The learned stage runs as the rule set's settings say (on in the
default rule sets); ``--rules-only`` switches it off. Nothing is written to the database.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.classify import UnknownRuleSet, load_live_ruleset, run, stdin_lines


class Command(BaseCommand):
    help = "Classify JSON Lines from stdin with the live rule set; writes JSON Lines to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ruleset", help="Rule set name (default: the default rule set)")
        parser.add_argument(
            "--rules-only", action="store_true", help="switch the learned stage off"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            compiled, description = load_live_ruleset(
                options.get("ruleset"), learned=not options["rules_only"]
            )
        except UnknownRuleSet as error:
            raise CommandError(str(error)) from None
        sys.stderr.write(f"classify: using {description}\n")
        run(stdin_lines(), sys.stdout, compiled)
