"""Demo data hooks: each app registers, in its `AppConfig.ready()`, a function that adds its
part of the demo to what `seed_demo` built. Registration keeps dependencies pointing down:
`spip` never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DemoSeeder = Callable[..., None]
_seeders: list[DemoSeeder] = []


def register(seeder: DemoSeeder) -> DemoSeeder:
    if seeder not in _seeders:
        _seeders.append(seeder)
    return seeder


def run_seeders(**context: Any) -> None:
    for seeder in _seeders:
        seeder(**context)
