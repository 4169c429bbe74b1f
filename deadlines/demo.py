"""Demo data: the deadlines of everything the other apps' seeders built, swept once at the end
(registered with `spip.demo` in `DeadlinesConfig.ready()` with a high order)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from deadlines import engine


def seed_deadlines(*, stdout: Any = None, **_: Any) -> None:
    """Demo: sweep the deadlines of everything the other seeders built, as the nightly task
    would (a second run adds nothing)."""
    counts = engine.sweep(as_of=timezone.localdate())
    if stdout is not None:
        raised = sum(count.created for count in counts.values())
        stdout.write(f"Demo deadlines: {raised} alerts raised by the sweep.")
