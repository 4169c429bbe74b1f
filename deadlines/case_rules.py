"""Deadlines of the case files themselves (DOMAIN.md, "Deadlines the engine computes").

| rule           | due                                         | source    | appears         |
|----------------|---------------------------------------------|-----------|-----------------|
| measure_end    | the measure's computed end                  | practice  | 90/30/7 d before|
| tig_deadline   | end of the TIG execution deadline           | CP 131-22 | 90 days before, |
|                | (while hours remain; 90 days past it)       |           | stays 90 after  |
| proof_overdue  | last proof (or imposition) + check interval | CP 132-44 | on the due day  |
| release_review | two thirds of the sentence served           | CPP 720   | 30 days before  |
| early_end      | one year after the conviction became final  | CPP 744   | on the day      |

Each SQL reads `%(as_of)s` (the Paris date) and `%(case_id)s` (NULL for every case). The
fragments below are shared with the rules other apps register. They live in `deadlines`, which
sits above `cases` (`cases` never imports the engine), and are registered when
`DeadlinesConfig.ready()` imports this module.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import legal
from deadlines.engine import Rule, register

# An open case, or the one case being recomputed (`c` is cases_case).
OPEN_CASE = (
    "c.closed_on IS NULL AND c.anonymised_on IS NULL"
    " AND (%(case_id)s::bigint IS NULL OR c.id = %(case_id)s)"
)
# A measure still running on as_of (`m` is cases_measure), as `cases.allocation.running_measures`.
RUNNING = (
    "(m.status IN ('pending', 'suspended') OR (m.status = 'active'"
    " AND (m.end_date IS NULL OR m.end_date >= %(as_of)s)))"
)
# A measure in force on as_of: started, not suspended, not over.
IN_FORCE = "(m.status = 'active' AND (m.end_date IS NULL OR m.end_date >= %(as_of)s))"

RELEASE_REVIEW_LEAD_DAYS = 30
TIG_LEAD_DAYS = 90
# A deadline passed with hours left calls for a report to the judge: the alert stays this
# long after it (the measure's status says "ended" from the next night on).
TIG_OVERDUE_DAYS = 90


def case_url(alert: Any, anchor: str = "") -> str:
    return reverse("cases:detail", args=[alert.case_id]) + (f"#{anchor}" if anchor else "")


def measure_label(alert: Any) -> str:
    kind = alert.detail.get("kind", "")
    return str(legal.MeasureKind(kind).label) if kind in legal.MeasureKind.values else ""


def _windows() -> dict[str, Any]:
    windows = settings.DEADLINE_MEASURE_END_WINDOWS
    return {"windows": windows, "horizon": max(windows)}


def _tig_work(alert: Any) -> str:
    remaining, pace = alert.detail.get("hours_remaining"), alert.detail.get("weekly_pace")
    text = _("%(hours)s h remaining") % {"hours": _number(remaining)}
    if pace:
        text += ", " + _("%(pace)s h a week needed") % {"pace": _number(pace)}
    return text


def _number(value: Any) -> str:
    from django.utils.formats import number_format

    if value is None:
        return ""
    return number_format(int(value) if float(value).is_integer() else value, decimal_pos=None)


register(
    Rule(
        code="measure_end",
        label=gettext_lazy("Measure ending"),
        source="DOMAIN.md",
        informative=True,
        order=60,
        params=_windows,
        link=lambda alert: case_url(alert, "measures"),
        describe=measure_label,
        sql=f"""
        SELECT m.case_id, m.id AS object_id, m.end_date AS due_on,
               jsonb_build_object(
                   'kind', m.kind,
                   'stage', (SELECT min(w) FROM unnest(%(windows)s) AS w
                              WHERE w >= m.end_date - %(as_of)s)
               ) AS detail
        FROM cases_measure m JOIN cases_case c ON c.id = m.case_id
        WHERE {OPEN_CASE} AND m.kind <> 'tig' AND m.status IN ('active', 'suspended')
          AND m.end_date BETWEEN %(as_of)s AND %(as_of)s + %(horizon)s
        """,
    )
)

register(
    Rule(
        code="tig_deadline",
        label=gettext_lazy("Community work (TIG) deadline"),
        source="CP 131-22",
        order=50,
        params=lambda: {"lead": TIG_LEAD_DAYS, "behind": TIG_OVERDUE_DAYS},
        link=lambda alert: case_url(alert, f"work-{alert.object_id}"),
        describe=_tig_work,
        # The weekly pace is `cases.selectors.tig_pace`: rounded up to the half hour.
        sql=f"""
        SELECT m.case_id, m.id AS object_id, m.end_date AS due_on,
               jsonb_build_object(
                   'hours_remaining', work.remaining::float8,
                   'weekly_pace', CASE WHEN m.end_date > %(as_of)s
                       THEN (ceil(work.remaining * 14 / (m.end_date - %(as_of)s)) / 2)::float8
                   END
               ) AS detail
        FROM cases_measure m JOIN cases_case c ON c.id = m.case_id
        CROSS JOIN LATERAL (
            SELECT m.tig_hours - coalesce(sum(h.hours), 0) AS remaining
            FROM cases_workhours h JOIN cases_workplacement p ON p.id = h.placement_id
            WHERE p.measure_id = m.id
        ) work
        WHERE {OPEN_CASE} AND m.kind = 'tig' AND m.tig_hours IS NOT NULL
          AND m.status <> 'revoked'
          AND m.end_date BETWEEN %(as_of)s - %(behind)s AND %(as_of)s + %(lead)s
          AND work.remaining > 0
        """,
    )
)

register(
    Rule(
        code="proof_overdue",
        label=gettext_lazy("Proof expected"),
        source="CP 132-44",
        order=30,
        link=lambda alert: reverse("cases:proof_add", args=[alert.object_id]),
        describe=lambda alert: alert.detail.get("label", ""),
        sql=f"""
        SELECT m.case_id, o.id AS object_id, due.day AS due_on,
               jsonb_build_object('label', t.label) AS detail
        FROM cases_obligation o
        JOIN cases_obligationtype t ON t.id = o.type_id
        JOIN cases_measure m ON m.id = o.measure_id
        JOIN cases_case c ON c.id = m.case_id
        CROSS JOIN LATERAL (
            SELECT coalesce(max(p.received_on), o.imposed_on) + o.check_interval_days AS day
            FROM cases_proof p WHERE p.obligation_id = o.id
        ) due
        WHERE {OPEN_CASE} AND t.proof_expected AND o.check_interval_days IS NOT NULL
          AND o.lifted_on IS NULL AND {IN_FORCE} AND due.day <= %(as_of)s
        """,
    )
)


def _release_params() -> dict[str, Any]:
    bound = legal.rule(legal.MeasureKind.RELEASE_UNDER_CONSTRAINT, "total_sentence_days")
    assert bound is not None and bound.maximum is not None
    return {"max_total": int(bound.maximum), "lead": RELEASE_REVIEW_LEAD_DAYS}


register(
    Rule(
        code="release_review",
        label=gettext_lazy("Release under constraint review (two thirds)"),
        source="CPP 720",
        order=40,
        params=_release_params,
        link=lambda alert: case_url(alert, "measures"),
        describe=measure_label,
        # Two thirds served: `cases.legal.two_thirds_date`, ceil(2 × total / 3) days.
        sql=f"""
        SELECT m.case_id, m.id AS object_id,
               m.custody_start + (m.total_sentence_days * 2 + 2) / 3 AS due_on,
               jsonb_build_object('kind', m.kind) AS detail
        FROM cases_measure m JOIN cases_case c ON c.id = m.case_id
        WHERE {OPEN_CASE} AND m.kind = 'release_under_constraint' AND m.status = 'pending'
          AND m.custody_start IS NOT NULL AND m.total_sentence_days <= %(max_total)s
          AND m.custody_start + (m.total_sentence_days * 2 + 2) / 3 <= %(as_of)s + %(lead)s
        """,
    )
)


def _early_end_params() -> dict[str, Any]:
    bound = legal.rule(legal.MeasureKind.PROBATION, legal.EARLY_END_DELAY)
    assert bound is not None
    return {"months": bound.months, "kinds": sorted(legal.PROBATION_KINDS)}


register(
    Rule(
        code="early_end",
        label=gettext_lazy("Early end possible"),
        source="CPP 744",
        informative=True,
        order=70,
        params=_early_end_params,
        link=lambda alert: case_url(alert, "measures"),
        describe=measure_label,
        sql=f"""
        SELECT m.case_id, m.id AS object_id, earliest.day AS due_on,
               jsonb_build_object('kind', m.kind) AS detail
        FROM cases_measure m JOIN cases_case c ON c.id = m.case_id
        CROSS JOIN LATERAL (
            SELECT (m.final_date + make_interval(months => %(months)s))::date AS day
        ) earliest
        WHERE {OPEN_CASE} AND m.kind = ANY(%(kinds)s) AND m.final_date IS NOT NULL
          AND {IN_FORCE} AND earliest.day <= %(as_of)s
          AND (m.end_date IS NULL OR m.end_date > earliest.day)
        """,
    )
)
