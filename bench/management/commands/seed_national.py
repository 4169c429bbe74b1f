"""National-size data for the benchmark (`bench.national`), in an empty database.

The command belongs to the bench app, which `bench.settings` alone installs (those settings
refuse any database but a `spip_bench_*` or `test_*` one):

    export DATABASE_URL=postgres://…/spip_bench_national
    python manage.py migrate --settings bench.settings
    python manage.py seed_national --settings bench.settings --scale 1

`make bench` does this itself, in its own database, and keeps the result while the schema
and the generator are unchanged. Never run it against the database of a live service: it
needs an empty one, and writes fictitious people only.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from bench import national


class Command(BaseCommand):
    help = "Fill an empty database with national-size fictitious data (for the benchmark)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = national size (the default)."
        )
        parser.add_argument(
            "--no-vacuum", action="store_true", help="Skip the final VACUUM ANALYZE."
        )

    def handle(self, *args: object, scale: float, no_vacuum: bool, **options: object) -> None:
        started = time.perf_counter()

        def progress(step: str, seconds: float) -> None:
            self.stdout.write(f"  {step}: {seconds:.1f} s")

        counts = national.generate(scale, progress=progress)
        if not no_vacuum:
            vacuum_started = time.perf_counter()
            national.vacuum_analyze()
            progress("vacuum analyze", time.perf_counter() - vacuum_started)
        for table, count in counts.items():
            self.stdout.write(f"  {table}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"National data at scale {scale} in {time.perf_counter() - started:.0f} s."
            )
        )
