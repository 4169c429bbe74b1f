"""Run the retention purge now (`cases.retention`), or with `--dry-run` count what it would
remove. Counts only, like the nightly task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cases.retention import cases_due, retention_purge
from spip.services import access_log_expired


class Command(BaseCommand):
    help = "Purge access-log rows and case data past their retention period (counts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = timezone.localdate()
        if options["dry_run"]:
            counts = {
                "access_log_due": access_log_expired().count(),
                "cases_due": cases_due(as_of=as_of).count(),
            }
        else:
            counts = retention_purge(as_of=as_of)
        for key, value in sorted(counts.items()):
            self.stdout.write(f"{key}: {value}")
