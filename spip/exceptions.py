"""Domain errors: one hierarchy, with translated messages shown to users.

Views turn a `SpipError` into a form error or a message; anything else is a bug and
propagates.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class SpipError(Exception):
    """A rule of the service was broken by the request; `message` is safe to show."""

    default_message = _("The operation could not be carried out.")

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotAllowed(SpipError):
    default_message = _("You are not allowed to do this.")
