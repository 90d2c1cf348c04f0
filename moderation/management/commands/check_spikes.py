"""`manage.py check_spikes`: compare each channel's last hour with its usual rate and alert.

The scheduler runs this every five minutes (``moderation.housekeeping.dispatch_housekeeping``); the
rule for a spike is in ``moderation.spikes``. ``--show`` prints every channel's figures.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from moderation.actions.spikes import check_spikes
from moderation.models import Channel
from moderation.spikes import hourly_rates, spike_min_comments, spike_multiple


class Command(BaseCommand):
    help = "Detect comment spikes per channel, record them once and email the crisis route."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--show", action="store_true", help="Print each channel's last hour and usual rate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show"]:
            multiple, minimum = spike_multiple(), spike_min_comments()
            names = dict(Channel.objects.values_list("id", "name"))
            for channel_id, rate in sorted(hourly_rates().items()):
                verdict = "SPIKE" if rate.is_spike(multiple, minimum) else "ok"
                history = "" if rate.has_history else " (under a week of history: not judged)"
                self.stdout.write(
                    f"{names.get(channel_id, channel_id)}: {rate.last_hour} in the last hour, "
                    f"usually {rate.baseline:.1f}/h → {verdict}{history}"
                )
        counts = check_spikes()
        self.stdout.write(
            f"Checked {counts['channels']} channels: {counts['detected']} new spikes, "
            f"{counts['ended']} ended."
        )
