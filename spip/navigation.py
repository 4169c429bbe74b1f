"""Main navigation by role. Each app registers its own entries in `AppConfig.ready()`, so
that the core never names the pages of the apps above it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    roles: frozenset[str]
    order: int


_items: list[NavItem] = []


def register(url_name: str, label: Any, *, roles: list[str], order: int) -> None:
    item = NavItem(url_name, label, frozenset(roles), order)
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda entry: entry.order)


def items_for(role: str) -> list[NavItem]:
    return [item for item in _items if role in item.roles]
