"""When each kind of report is due (CPP D575, DOMAIN.md "Reports to the judge").

| kind           | due                                                               |
|----------------|-------------------------------------------------------------------|
| evaluation     | 3 months after the SPIP received the case (saisine)               |
| annual         | each anniversary of the measure's start, for measures over 2 years;  |
|                | due from 30 days before it until an annual report is written      |
| end of measure | 1 month before the measure's computed end                         |
| incident       | as soon as possible: the day it is drafted                        |
| situation      | no legal deadline (a change of situation, the judge's request)    |
| adjustment     | no legal deadline (when the service proposes or is asked)         |

Every function takes the Paris date it computes for (`as_of`), never reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from cases.legal import add_months
from cases.models import Case, Measure
from reporting.models import Kind

EVALUATION_MONTHS = 3
END_OF_MEASURE_MONTHS_BEFORE = 1
ANNUAL_ABOVE_MONTHS = 24


def lasts_over_two_years(measure: Measure) -> bool:
    return bool(
        measure.end_date and measure.end_date > add_months(measure.start_date, ANNUAL_ABOVE_MONTHS)
    )


def next_anniversary(measure: Measure, as_of: date) -> date:
    """The first anniversary of the measure's start on or after `as_of` (at least one year
    after the start)."""
    years = max(1, as_of.year - measure.start_date.year)
    day = add_months(measure.start_date, 12 * years)
    while day < as_of:
        years += 1
        day = add_months(measure.start_date, 12 * years)
    return day


def current_anniversary(measure: Measure, as_of: date, ahead_days: int = 30) -> date | None:
    """The latest anniversary of the measure's start (at least one year after it) on or
    before `as_of` + `ahead_days`: the annual report it calls for is due, or nearly so,
    until one is written — it does not jump to next year the day after."""
    limit = as_of + timedelta(days=ahead_days)
    for years in range(limit.year - measure.start_date.year, 0, -1):
        day = add_months(measure.start_date, 12 * years)
        if day <= limit:
            return day
    return None


def due_date(kind: str, case: Case, measure: Measure, as_of: date) -> date | None:
    """The date a report of `kind` about `measure` is due, seen from `as_of`."""
    if kind == Kind.EVALUATION:
        return add_months(case.opened_on, EVALUATION_MONTHS)
    if kind == Kind.ANNUAL:
        if not lasts_over_two_years(measure):
            return None
        return current_anniversary(measure, as_of) or next_anniversary(measure, as_of)
    if kind == Kind.END_OF_MEASURE:
        if measure.end_date is None:
            return None
        return add_months(measure.end_date, -END_OF_MEASURE_MONTHS_BEFORE)
    if kind == Kind.INCIDENT:
        return as_of
    return None
