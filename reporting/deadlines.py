"""Report deadlines (CPP D575), registered with the engine (`deadlines.engine`); the dates are
those of `reporting.rules`, written here as SQL.

| rule                  | due                                           | appears          |
|-----------------------|-----------------------------------------------|------------------|
| evaluation_report     | 3 months after the saisine                    | 30 days before   |
| annual_report         | each anniversary of a measure over 2 years    | 30 days before   |
| end_of_measure_report | 1 month before the measure's end              | 30 days before   |

An alert closes when a report of its kind is issued (for the case, or the measure). Report
deadlines older than `OVERDUE_SHOWN_DAYS` raise no new alert (a caseload taken over from
another tool is not flooded with reports long past), but an alert already raised stays until
its report is issued.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from deadlines.case_rules import OPEN_CASE, RUNNING, measure_label
from deadlines.engine import Rule, register
from reporting.models import Kind
from reporting.rules import ANNUAL_ABOVE_MONTHS, END_OF_MEASURE_MONTHS_BEFORE, EVALUATION_MONTHS
from reporting.selectors import DUE_HORIZON_DAYS, OVERDUE_SHOWN_DAYS

# Raised while due within the window, or while its alert is open.
WITHIN_WINDOW = """(
    {due} >= %(as_of)s - %(behind)s
    OR EXISTS (SELECT 1 FROM cases_alert a WHERE a.rule = %(rule)s AND a.status = 'open'
               AND a.case_id = {case} AND a.object_id = {object} AND a.due_on = {due})
)"""
# Countersigned by a director: issued, or being issued (a failed rendering is retried).
ISSUED = "r.status IN ('validated', 'failed', 'issued')"


def _params(**extra: Any) -> Any:
    return lambda: {"ahead": DUE_HORIZON_DAYS, "behind": OVERDUE_SHOWN_DAYS} | extra


def _new_report(kind: str) -> Any:
    return lambda alert: reverse("reporting:new", args=[alert.case_id]) + f"?kind={kind}"


register(
    Rule(
        code="evaluation_report",
        label=Kind.EVALUATION.label,
        source="CPP D575",
        order=15,
        params=_params(months=EVALUATION_MONTHS),
        link=_new_report(Kind.EVALUATION),
        sql=f"""
        SELECT c.id AS case_id, c.id AS object_id, due.day AS due_on, '{{}}'::jsonb AS detail
        FROM cases_case c
        CROSS JOIN LATERAL (
            SELECT (c.opened_on + make_interval(months => %(months)s))::date AS day
        ) due
        WHERE {OPEN_CASE} AND due.day <= %(as_of)s + %(ahead)s
          AND {WITHIN_WINDOW.format(due="due.day", object="c.id", case="c.id")}
          AND EXISTS (SELECT 1 FROM cases_measure m WHERE m.case_id = c.id AND {RUNNING})
          AND NOT EXISTS (
              SELECT 1 FROM reporting_report r
              WHERE r.case_id = c.id AND r.kind = 'evaluation' AND {ISSUED}
          )
        """,
    )
)

register(
    Rule(
        code="annual_report",
        label=Kind.ANNUAL.label,
        source="CPP D575",
        order=16,
        params=_params(over_months=ANNUAL_ABOVE_MONTHS),
        link=_new_report(Kind.ANNUAL),
        describe=measure_label,
        # The latest anniversary on or before as_of + ahead (`rules.current_anniversary`:
        # calendar years, 29 February giving 28 February); a report issued since 2 months
        # before it, or written for it, answers it.
        sql=f"""
        SELECT m.case_id, m.id AS object_id, anniversary.day AS due_on,
               jsonb_build_object('kind', m.kind) AS detail
        FROM cases_measure m
        JOIN cases_case c ON c.id = m.case_id
        CROSS JOIN LATERAL (
            SELECT (%(as_of)s + %(ahead)s) AS day,
                   (extract(year FROM %(as_of)s + %(ahead)s)
                    - extract(year FROM m.start_date))::int AS years
        ) limit_
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN (m.start_date + make_interval(years => limit_.years))::date <= limit_.day
                THEN (m.start_date + make_interval(years => limit_.years))::date
                ELSE (m.start_date + make_interval(years => limit_.years - 1))::date
            END AS day
        ) anniversary
        WHERE {OPEN_CASE} AND {RUNNING}
          AND m.end_date > (m.start_date + make_interval(months => %(over_months)s))::date
          AND anniversary.day > m.start_date AND anniversary.day < m.end_date
          AND {WITHIN_WINDOW.format(due="anniversary.day", object="m.id", case="m.case_id")}
          AND NOT EXISTS (
              SELECT 1 FROM reporting_report r
              WHERE r.measure_id = m.id AND r.kind = 'annual' AND {ISSUED}
                AND (r.due_date = anniversary.day
                     OR r.validated_at >= (anniversary.day - 60)::timestamp
                                          AT TIME ZONE 'Europe/Paris')
          )
        """,
    )
)

register(
    Rule(
        code="end_of_measure_report",
        label=Kind.END_OF_MEASURE.label,
        source="CPP D575",
        order=17,
        params=_params(months=END_OF_MEASURE_MONTHS_BEFORE),
        link=_new_report(Kind.END_OF_MEASURE),
        describe=measure_label,
        sql=f"""
        SELECT m.case_id, m.id AS object_id, due.day AS due_on,
               jsonb_build_object('kind', m.kind) AS detail
        FROM cases_measure m
        JOIN cases_case c ON c.id = m.case_id
        CROSS JOIN LATERAL (
            SELECT (m.end_date - make_interval(months => %(months)s))::date AS day
        ) due
        WHERE {OPEN_CASE} AND {RUNNING} AND m.end_date IS NOT NULL
          AND m.kind NOT IN ('judicial_control', 'arse')
          AND due.day <= %(as_of)s + %(ahead)s
          AND NOT EXISTS (
              SELECT 1 FROM reporting_report r
              WHERE r.measure_id = m.id AND r.kind = 'end_of_measure' AND {ISSUED}
          )
        """,
    )
)
