"""The working-day calendar: weekends, French public holidays, Alsace-Moselle and overseas."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from spip.workdays import (
    easter_sunday,
    is_working_day,
    next_working_day,
    on_or_after_working_day,
    on_or_before_working_day,
    previous_working_day,
    public_holidays,
    week_start,
    working_days,
)

D = dt.date


def branch_in(code: str) -> SimpleNamespace:
    """A branch as the calendar reads it (its département's code), without the database."""
    return SimpleNamespace(department=SimpleNamespace(code=code))


ALLIER, MOSELLE, REUNION = branch_in("03"), branch_in("57"), branch_in("974")


@pytest.mark.parametrize(
    "year, sunday",
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_sunday(year, sunday):
    assert easter_sunday(year) == sunday


def test_the_eleven_national_holidays_of_2026():
    assert sorted(public_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 6),
        D(2026, 5, 1),
        D(2026, 5, 8),
        D(2026, 5, 14),
        D(2026, 5, 25),
        D(2026, 7, 14),
        D(2026, 8, 15),
        D(2026, 11, 1),
        D(2026, 11, 11),
        D(2026, 12, 25),
    ]


def test_alsace_moselle_keeps_good_friday_and_st_stephen():
    good_friday, st_stephen = D(2026, 4, 3), D(2026, 12, 26)
    for code in ("57", "67", "68"):
        assert not is_working_day(good_friday, branch_in(code))
        assert st_stephen in public_holidays(2026, code)
    assert is_working_day(good_friday, ALLIER)
    assert is_working_day(good_friday)  # the national calendar
    # Christmas 2025 on a Thursday: Friday 26 December is worked in Allier, not in Moselle.
    assert next_working_day(D(2025, 12, 24), ALLIER) == D(2025, 12, 26)
    assert next_working_day(D(2025, 12, 24), MOSELLE) == D(2025, 12, 29)


def test_overseas_departements_keep_the_abolition_of_slavery():
    assert not is_working_day(D(2027, 12, 20), REUNION)  # a Monday
    assert is_working_day(D(2027, 12, 20), ALLIER)
    assert not is_working_day(D(2027, 5, 27), branch_in("971"))  # Guadeloupe, a Thursday


def test_weekends_and_bridges():
    saturday = D(2026, 12, 5)
    assert not is_working_day(saturday) and not is_working_day(saturday + dt.timedelta(1))
    assert next_working_day(saturday, ALLIER) == D(2026, 12, 7)
    assert previous_working_day(saturday, ALLIER) == D(2026, 12, 4)
    # Ascension Thursday 14 May 2026: the Friday after is worked.
    assert next_working_day(D(2026, 5, 13)) == D(2026, 5, 15)
    # 1 May and 8 May 2026 are Fridays.
    assert next_working_day(D(2026, 4, 30)) == D(2026, 5, 4)
    assert previous_working_day(D(2026, 5, 11)) == D(2026, 5, 7)
    # New Year: from 31 December to the first working day of the next year.
    assert next_working_day(D(2026, 12, 31)) == D(2027, 1, 4)
    assert on_or_before_working_day(D(2026, 5, 8)) == D(2026, 5, 7)
    assert on_or_after_working_day(D(2026, 5, 8)) == D(2026, 5, 11)
    assert on_or_after_working_day(D(2026, 5, 7)) == D(2026, 5, 7)


def test_working_days_of_a_fortnight_and_the_week_start():
    days = working_days(D(2026, 12, 21), D(2027, 1, 3), MOSELLE)
    assert days == [
        D(2026, 12, 21),
        D(2026, 12, 22),
        D(2026, 12, 23),
        D(2026, 12, 24),
        D(2026, 12, 28),
        D(2026, 12, 29),
        D(2026, 12, 30),
        D(2026, 12, 31),
    ]
    assert week_start(D(2026, 12, 5)) == D(2026, 11, 30)
    assert week_start(D(2026, 11, 30)) == D(2026, 11, 30)
    assert week_start(D(2027, 1, 3)) == D(2026, 12, 28)
