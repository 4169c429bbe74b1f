"""Main navigation. Each app registers its own entries in `AppConfig.ready()`, so that the
core never names the pages of the apps above it; an entry names the policy action that shows
it, and the policy decides who sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spip import policy


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    action: str | None  # None: every signed-in user
    order: int


_items: list[NavItem] = []


def register(url_name: str, label: Any, *, action: str | None, order: int) -> None:
    item = NavItem(url_name, label, action, order)
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda entry: entry.order)


def items_for(user: Any) -> list[NavItem]:
    return [item for item in _items if item.action is None or policy.can(user, item.action)]
