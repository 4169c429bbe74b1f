"""The one reader of `KEY=value` files: the operator's `.env` and `.data/runtime.env`.

Standard library only, so that `spip.config` (settings) and the development tooling
(`tools/devenv.py`, which runs before settings can load) read these files alike: blank lines
and `#` comments ignored, an optional `export ` prefix, values optionally quoted. Any other
line is refused, naming the file and the line, rather than silently dropped.
"""

from __future__ import annotations

from pathlib import Path


class EnvFileError(ValueError):
    """A line of the file is not `NAME=value`; the message names the file and the line."""


def read_env_file(path: Path) -> dict[str, str]:
    """The file's values by name; an absent file has none."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            # Not the line itself: it may hold a secret.
            raise EnvFileError(f"{path}, line {number}: expected NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values
