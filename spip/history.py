"""History helpers: the change history every domain table keeps, declared one way by every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pghistory

ModelT = TypeVar("ModelT", bound=type)


def tracked(**options: Any) -> Callable[[ModelT], ModelT]:
    """Change history of a domain table: a trigger writes each insert and update, with the
    user and URL of the request (pghistory), as `<Model>History` rows reachable as
    `history` (the default `<Model>Event` would clash with `MeasureEvent`)."""

    def decorate(model: ModelT) -> ModelT:
        return pghistory.track(
            obj_field=pghistory.ObjForeignKey(related_name="history"),
            model_name=f"{model.__name__}History",
            **options,
        )(model)

    return decorate
