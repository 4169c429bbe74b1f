"""Versioned updates: optimistic locking, written once for every app.

A form carries the `version` of the record the user read. Saving locks the row, compares
that version with the one saved now and, when someone else saved in between, refuses with
`ConcurrentEdit` naming what the other person changed: nothing is overwritten silently, and
what the user typed stays in the form. Otherwise the changes are saved with `update_fields`
and the version goes up by one.

`update_versioned` does all of it in one call. A service that must check rules on the
locked row first (the state of a report, the places taken in a workshop) calls the three
steps itself: `lock_row`, `check_version`, `save_new_version`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import models
from django.utils import formats, timezone

from spip.exceptions import ConcurrentEdit

M = TypeVar("M", bound=models.Model)
Shown = Callable[[Any, str], str]


def _field(obj: models.Model, name: str) -> models.Field[Any, Any]:
    field = obj._meta.get_field(name)
    assert isinstance(field, models.Field), name  # a column, not a reverse relation
    return field


def shown_value(obj: models.Model, name: str) -> str:
    """A saved value as the user reads it in a message: the label of a choice, a local date
    (and time), a dash for nothing."""
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    value = getattr(obj, name)
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return "—" if value is None or value == "" else str(value)


def lock_row(obj: M) -> M:
    """Reload `obj` in place under a row lock (`SELECT … FOR UPDATE`) held until the
    transaction ends, so that what is checked on it stays true until it is saved."""
    manager = type(obj)._default_manager
    obj.refresh_from_db(from_queryset=manager.select_for_update(of=("self",)))
    return obj


def changed_fields(current: models.Model, *, typed: Mapping[str, Any]) -> list[str]:
    """The fields whose saved value differs from what the user typed."""
    return [name for name, value in typed.items() if getattr(current, name) != value]


def check_version(
    current: models.Model,
    *,
    version: int,
    typed: Mapping[str, Any] | None = None,
    named: Sequence[str] = (),
    shown: Shown = shown_value,
) -> None:
    """Refuse with `ConcurrentEdit` when `current` (locked) was saved since the user read it
    at `version`. The message names the saved value of each typed field that differs from
    what this user typed (the other person's edit) and of each field in `named` (for an
    action without typed values, e.g. the state of a report)."""
    if current.version == version:  # type: ignore[attr-defined]
        return
    names = changed_fields(current, typed=typed or {}) + [
        name for name in named if name not in (typed or {})
    ]
    raise ConcurrentEdit(
        [
            (str(_field(current, name).verbose_name).capitalize(), shown(current, name))
            for name in names
        ],
        current.version,  # type: ignore[attr-defined]
    )


def save_new_version(current: M, *, changes: Mapping[str, Any]) -> M:
    """Save `changes` on the locked `current` (only those columns) and bump its version.
    Values may be expressions (`Now()`): they are read back once saved."""
    for name, value in changes.items():
        field = _field(current, name)
        if field.is_relation and isinstance(value, int):
            name = field.attname  # a related row given by its id, as `update()` takes it
        setattr(current, name, value)
    current.version += 1  # type: ignore[attr-defined]
    current.save(update_fields=[*changes, "version"])
    computed = [
        _field(current, name).attname
        for name, value in changes.items()
        if hasattr(value, "resolve_expression")
    ]
    if computed:
        current.refresh_from_db(fields=computed)
    return current


def update_versioned(
    obj: M, *, version: int, changes: Mapping[str, Any], shown: Shown = shown_value
) -> M:
    """Save `changes` on `obj` unless someone saved it since the user read it at `version`:
    lock, compare, refuse with `ConcurrentEdit` naming the other person's edit, or save and
    bump the version. Must run inside a transaction (the lock lasts until it ends)."""
    lock_row(obj)
    check_version(obj, version=version, typed=changes, shown=shown)
    return save_new_version(obj, changes=changes)
