"""The working-day calendar: weekends and French public holidays, by département.

Every rule that needs "a working day", "the next working day" or "the week of" asks this
module; nothing else in the project computes weekends by hand.

Public holidays are those of the Code du travail (L3133-1): 1 January, Easter Monday,
1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November, 11 November and
25 December. Alsace-Moselle (57, 67, 68) keeps Good Friday and 26 December (L3134-13); the
overseas départements keep the day of the abolition of slavery (loi 83-550, décret 83-1003).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

ALSACE_MOSELLE = frozenset({"57", "67", "68"})
# Département code: (month, day) of the commemoration of the abolition of slavery.
ABOLITION_OF_SLAVERY = {
    "971": (5, 27),  # Guadeloupe
    "972": (5, 22),  # Martinique
    "973": (6, 10),  # Guyane
    "974": (12, 20),  # La Réunion
    "976": (4, 27),  # Mayotte
}


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def public_holidays(year: int, department: str | None = None) -> dict[date, Any]:
    """The public holidays of `year` in the département whose code is given (national ones
    only without a code), each with its French name."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): _("New Year's Day"),
        easter + timedelta(days=1): _("Easter Monday"),
        date(year, 5, 1): _("Labour Day"),
        date(year, 5, 8): _("Victory in Europe Day"),
        easter + timedelta(days=39): _("Ascension Day"),
        easter + timedelta(days=50): _("Whit Monday"),
        date(year, 7, 14): _("Bastille Day"),
        date(year, 8, 15): _("Assumption Day"),
        date(year, 11, 1): _("All Saints' Day"),
        date(year, 11, 11): _("Armistice Day"),
        date(year, 12, 25): _("Christmas Day"),
    }
    if department in ALSACE_MOSELLE:
        days[easter - timedelta(days=2)] = _("Good Friday")
        days[date(year, 12, 26)] = _("St Stephen's Day")
    if department in ABOLITION_OF_SLAVERY:
        month, day = ABOLITION_OF_SLAVERY[department]
        days[date(year, month, day)] = _("Abolition of slavery")
    return days


def department_of(branch: Any) -> str | None:
    """The département code of a branch (None: national holidays only)."""
    if branch is None:
        return None
    return branch.department.code


def is_working_day(day: date, branch: Any = None) -> bool:
    """Monday to Friday and not a public holiday where `branch` is (a Branch, or None for
    the national calendar)."""
    return day.weekday() < 5 and day not in public_holidays(day.year, department_of(branch))


def next_working_day(day: date, branch: Any = None) -> date:
    """The first working day strictly after `day`."""
    department = department_of(branch)
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in public_holidays(day.year, department):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, branch: Any = None) -> date:
    """The last working day strictly before `day`."""
    department = department_of(branch)
    day -= timedelta(days=1)
    while day.weekday() >= 5 or day in public_holidays(day.year, department):
        day -= timedelta(days=1)
    return day


def on_or_before_working_day(day: date, branch: Any = None) -> date:
    """`day` itself when it is a working day, else the last working day before it."""
    return day if is_working_day(day, branch) else previous_working_day(day, branch)


def on_or_after_working_day(day: date, branch: Any = None) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day, branch) else next_working_day(day, branch)


def working_days(first: date, last: date, branch: Any = None) -> list[date]:
    """The working days from `first` to `last`, both included."""
    department = department_of(branch)
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in public_holidays(day.year, department):
            days.append(day)
        day += timedelta(days=1)
    return days


def week_start(day: date) -> date:
    """The Monday of `day`'s week (French weeks start on Monday)."""
    return day - timedelta(days=day.weekday())
