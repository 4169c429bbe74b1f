"""Project-wide conventions: French formats, Celery reliability settings, no delayed tasks."""

from __future__ import annotations

import ast
import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

from spip.celery import app

ROOT = Path(__file__).resolve().parent.parent
APPS = ["spip", "cases", "deadlines", "interviews", "workshops", "reporting"]


def test_french_formats():
    with translation.override("fr"):
        assert formats.date_format(datetime.date(2026, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2026"
        assert formats.time_format(datetime.time(14, 30)) == "14:30"
        assert formats.number_format(Decimal("1234.56"), 2, force_grouping=True) == "1\u202f234,56"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        parsed = formats.get_format("DATE_INPUT_FORMATS")[0]
        assert datetime.datetime.strptime("05/03/2026", parsed).date() == datetime.date(2026, 3, 5)
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"


def test_celery_is_set_for_tasks_that_may_be_killed():
    conf = app.conf
    assert conf.timezone == "Europe/Paris"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > conf.task_time_limit
    assert not conf.task_always_eager


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def _lines_matching(pattern: str, *, skip: Callable[[Path], bool] = lambda path: False):
    """`path:line` of every line of the apps' code (migrations aside) matching `pattern`."""
    compiled = re.compile(pattern)
    return [
        f"{path.relative_to(ROOT)}:{number}"
        for app_name in APPS
        for path in (ROOT / app_name).rglob("*.py")
        if "migrations" not in path.parts and not skip(path)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if compiled.search(line)
    ]


def test_no_task_is_scheduled_with_eta_or_countdown():
    """Redis redelivers delayed messages after the visibility timeout: beat tasks claim rows
    in the database instead."""
    offenders = _lines_matching(r"\b(countdown|eta)\s*=")
    assert not offenders, offenders


def test_weekdays_are_computed_by_the_calendar_only():
    """Weekends and holidays come from `spip.workdays` (`is_working_day`, `week_start`…):
    nothing else looks at a day's position in the week."""
    offenders = _lines_matching(
        r"\.(iso)?weekday\(\)|\.isocalendar\(\)",
        skip=lambda path: path == ROOT / "spip" / "workdays.py",
    )
    assert not offenders, offenders


def test_tasks_are_queued_through_the_kernel_helper():
    """`spip.queueing` sends after commit and survives a broker that is down: no app calls
    `delay` or `apply_async` itself (the benchmark's load generator aside)."""
    offenders = _lines_matching(r"\.(delay|apply_async)\(", skip=lambda path: "bench" in path.parts)
    assert not offenders, offenders


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _dotted(node: ast.expr) -> list[str]:
    """`a.b.c` as ["a", "b", "c"]; [] for anything but names and attributes."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return [*base, node.attr] if base else []
    return []


def _private_names_of_other_apps(path: Path, app_name: str) -> set[str]:
    """Where the module at `path` (of `app_name`) reaches a private name of another app:
    `from other.module import _name`, `from other._module import …`, or `module._name`
    through a module of another app it imported."""
    where = path.relative_to(ROOT)
    tree = ast.parse(path.read_text(), filename=str(where))
    found = set()
    modules: dict[str, str] = {}  # local name -> the other app's module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in set(APPS) - {app_name}:
                    local = alias.asname or alias.name.split(".")[0]
                    modules[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] not in set(APPS) - {app_name}:
                continue
            if any(_is_private(part) for part in parts):
                found.add(f"{where}:{node.lineno}: from {node.module} import …")
            for alias in node.names:
                if _is_private(alias.name):
                    found.add(f"{where}:{node.lineno}: from {node.module} import {alias.name}")
                elif _is_module(f"{node.module}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        root, *names = (_dotted(node) if isinstance(node, ast.Attribute) else []) or [""]
        if root not in modules:
            continue
        module = modules[root]
        for name in names:
            if _is_private(name):
                found.add(f"{where}:{node.lineno}: {module}.{name}")
                break
            if not _is_module(f"{module}.{name}"):
                break  # past the modules: an object's own attributes (`Model._meta`)
            module = f"{module}.{name}"
    return found


def test_no_app_reaches_a_private_name_of_another_app():
    """DESIGN.md: no app imports a private (`_name`) of another app; what apps share lives in
    the kernel (`spip`) or is public."""
    offenders = sorted(
        offence
        for app_name in APPS
        for path in (ROOT / app_name).rglob("*.py")
        if "migrations" not in path.parts
        for offence in _private_names_of_other_apps(path, app_name)
    )
    assert not offenders, "\n".join(offenders)
