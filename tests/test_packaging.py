"""What the package ships: the product only. `bench/` and `tools/` are development tooling
(DESIGN.md): the wheel leaves them out, and nothing it ships imports them."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parent.parent
TOOLING = {"bench", "tools"}


def _shipped() -> list[str]:
    """The packages setuptools finds with pyproject.toml's `[tool.setuptools.packages.find]`
    (namespace packages included, as that table's default is)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    find = pyproject["tool"]["setuptools"]["packages"]["find"]
    return find_namespace_packages(
        str(ROOT), include=find.get("include", ["*"]), exclude=find.get("exclude", [])
    )


def test_the_package_leaves_the_tooling_and_the_tests_out():
    shipped = _shipped()
    assert "spip" in shipped
    assert not [name for name in shipped if name.split(".")[0] in TOOLING | {"tests"}]


def test_nothing_shipped_imports_the_tooling():
    offenders = []
    for package in _shipped():
        for path in (ROOT / package.replace(".", "/")).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                offenders += [
                    f"{path.relative_to(ROOT)}: {name}"
                    for name in names
                    if name.split(".")[0] in TOOLING
                ]
    assert not offenders, offenders
