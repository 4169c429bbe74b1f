"""Demo data hooks: each app registers, in its `AppConfig.ready()`, a function that adds its
part of the demo to what `seed_demo` built. Registration keeps dependencies pointing down:
`spip` never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DemoSeeder = Callable[..., None]
_seeders: list[tuple[int, DemoSeeder]] = []


def register(seeder: DemoSeeder, *, order: int = 100) -> DemoSeeder:
    """Add a seeder; they run by `order`, then in registration (app) order. A seeder that
    reads what every app built (the deadline sweep) registers with a higher order."""
    if all(seeder is not known for _, known in _seeders):
        _seeders.append((order, seeder))
    return seeder


def run_seeders(**context: Any) -> None:
    for _, seeder in sorted(_seeders, key=lambda entry: entry[0]):
        seeder(**context)
