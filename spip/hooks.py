"""Typed hooks: a lower layer announces an event, the apps above it act on it.

Dependencies point one way (DESIGN.md, "Architecture"): an app never imports a layer above
it. When a lower app must let a higher one react to what it does, it declares a `Hook` and
sends it; the higher app connects its receiver in `AppConfig.ready()`:

    # cases/extensions.py (the lower layer declares the event, typed by its arguments)
    case_changed: Hook[[int]] = Hook("case_changed")
    # cases/services.py
    case_changed.send(case.pk)
    # deadlines/apps.py (the layer above listens)
    case_changed.connect(engine.case_changed)

Receivers run in the sender's thread and transaction, in the order they connected; an
exception propagates to the sender (a receiver that must not undo the change catches its
own, or defers its work with `transaction.on_commit`). Bulk work that will do the receivers'
job once at the end (the demo seeding sweeps every deadline after every app's data) may mute
a hook for the duration of a block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Hook(Generic[P]):
    """An event with typed arguments: `connect(receiver)`, `send(*args)`, `muted()`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Callable[P, object]] = []
        self._muted: ContextVar[bool] = ContextVar(f"hook_{name}_muted", default=False)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"

    def connect(self, receiver: Callable[P, object]) -> Callable[P, object]:
        """Add a receiver (once: `ready()` may run more than once); usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Callable[P, object]) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[Callable[P, object], ...]:
        return tuple(self._receivers)

    def send(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every receiver with these arguments (none while muted)."""
        if self._muted.get():
            return
        for receiver in tuple(self._receivers):
            receiver(*args, **kwargs)

    @contextmanager
    def muted(self) -> Iterator[None]:
        """Within this block (and this thread or task), `send` calls no receiver."""
        token = self._muted.set(True)
        try:
            yield
        finally:
            self._muted.reset(token)
