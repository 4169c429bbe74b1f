"""Domain errors: one hierarchy, with translated messages shown to users.

Views turn a `SpipError` into a form error or a message; anything else is a bug and
propagates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class SpipError(Exception):
    """A rule of the service was broken by the request; `message` is safe to show."""

    default_message = _("The operation could not be carried out.")

    def __init__(self, message: StrOrPromise | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class DomainErrors(SpipError):
    """Several rule violations at once (e.g. every out-of-bounds field of a measure), so the
    user fixes them in one go; each keeps the field it names."""

    def __init__(self, errors: Sequence[SpipError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error.message) for error in self.errors))


class NotAllowed(SpipError):
    default_message = _("You are not allowed to do this.")


class ConcurrentEdit(SpipError):
    """Someone else saved the record since it was read: nothing was overwritten. `changes`
    lists (field label, value now saved) so the user sees what the other person changed."""

    def __init__(self, changes: list[tuple[str, str]], current_version: int) -> None:
        self.changes = changes
        self.current_version = current_version
        details = "; ".join(f"{label} : {value}" for label, value in changes)
        message = _(
            "Someone else saved this record while you were editing it (%(details)s). Your "
            "changes were not saved: they are still below; check them and save again."
        ) % {"details": details or _("no visible change")}
        super().__init__(message)
