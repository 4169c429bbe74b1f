"""Reading settings from the environment, failing loudly on a missing or malformed value.

Values come from, in order: the process environment, the project's `.env` file (written by
the operator, never committed), then `.data/runtime.env` (written by `python -m tools.devenv`
when it provides local PostgreSQL and Redis). The first one that defines a name wins. Both
files are read by `spip.envfile`, as the tooling reads them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from spip import envfile

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_env_file(path: Path) -> dict[str, str]:
    """`spip.envfile.read_env_file`, a malformed line stopping start-up like a bad setting."""
    try:
        return envfile.read_env_file(path)
    except envfile.EnvFileError as error:
        raise ImproperlyConfigured(str(error)) from None


class Env:
    """Typed access to configuration values; every error names the variable."""

    def __init__(self, *sources: Mapping[str, str]) -> None:
        self._sources = sources

    @classmethod
    def for_project(cls, base_dir: Path) -> Env:
        return cls(
            os.environ,
            read_env_file(base_dir / ".env"),
            read_env_file(base_dir / ".data" / "runtime.env"),
        )

    def _raw(self, name: str) -> str | None:
        # An empty value counts as unset, so that a copied .env.example with blanks does not
        # hide a value from a later source.
        for source in self._sources:
            if source.get(name, "") != "":
                return source[name]
        return None

    def str(self, name: str, default: object = _MISSING) -> str:
        value = self._raw(name)
        if value is None:
            if default is _MISSING:
                raise ImproperlyConfigured(
                    f"The setting {name} is missing: set it in the environment or in .env "
                    f"(see .env.example)."
                )
            return default  # type: ignore[return-value]
        return value

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"The setting {name} must be true or false (1/0, yes/no, on/off), not {value!r}."
        )

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        return self._number(name, default, int, "a whole number", minimum)

    def float(self, name: str, default: float, *, minimum: float | None = None) -> float:
        return self._number(name, default, float, "a number", minimum)

    def _number(
        self, name: str, default: Any, parse: Callable[[str], Any], kind: str, minimum: Any
    ) -> Any:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = parse(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"The setting {name} must be {kind}, not {value!r}."
            ) from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"The setting {name} must be at least {minimum}.")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def int_list(self, name: str, default: list[int], *, minimum: int | None = None) -> list[int]:
        """Whole numbers separated by commas."""
        numbers = []
        for item in self.list(name, [str(number) for number in default]):
            try:
                number = int(item)
            except ValueError:
                raise ImproperlyConfigured(
                    f"The setting {name} must list whole numbers, not {item!r}."
                ) from None
            if minimum is not None and number < minimum:
                raise ImproperlyConfigured(
                    f"The setting {name} must list numbers of at least {minimum}."
                )
            numbers.append(number)
        if not numbers:
            raise ImproperlyConfigured(f"The setting {name} must list at least one number.")
        return numbers

    def url(self, name: str, default: object = _MISSING, *, schemes: tuple[str, ...]) -> str:
        value = self.str(name, default)
        parts = urlsplit(value)
        if parts.scheme not in schemes or not (parts.hostname or parts.path):
            raise ImproperlyConfigured(
                f"The setting {name} must be a URL starting with "
                f"{' or '.join(s + '://' for s in schemes)}, not {_redact(value)!r}."
            )
        try:
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            raise ImproperlyConfigured(
                f"The setting {name} has a malformed port: {_redact(value)!r}."
            ) from None
        return value


def _redact(url: str) -> str:
    """Hide a password in a URL before it is shown in an error message."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
