"""Panels of the home page. Each app registers, in its `AppConfig.ready()`, a function that
returns its panel for a user (or None), so that the core never imports the apps above it.
A panel builder runs a fixed number of queries, whatever the size of the data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spip.models import User


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelBuilder = Callable[[User, date], Panel | None]
_builders: dict[str, PanelBuilder] = {}


def register(key: str, builder: PanelBuilder) -> None:
    _builders[key] = builder


def panels_for(user: User, today: date) -> list[Panel]:
    panels = [panel for build in _builders.values() if (panel := build(user, today)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
