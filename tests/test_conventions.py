"""Project-wide conventions: French formats, Celery reliability settings, no delayed tasks."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

from spip.celery import app

ROOT = Path(__file__).resolve().parent.parent
APPS = ["spip", "cases", "interviews", "workshops", "reporting"]


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
