"""Deadlines about seeing people, registered with the engine (`deadlines.engine`).

| rule              | due                                               | source   | appears       |
|-------------------|---------------------------------------------------|----------|---------------|
| first_convocation | 45 days after the judgment, for people left free  | CPP 474  | from judgment |
| interview_gap     | last interview held + the intensity's longest gap | practice | 7 days before |

The first convocation is met by any interview (planned, held, missed or excused: the person
was convened) since the judgment; the gap by an interview held, or one planned from today.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.legal import MeasureKind
from deadlines.case_rules import IN_FORCE, OPEN_CASE, RUNNING, measure_label
from deadlines.engine import Rule, register

FIRST_CONVOCATION_DAYS = 45  # CPP 474
GAP_LEAD_DAYS = 7
# Sentences a court hands to people it leaves free, whom the SPIP must convene.
CONVENED_KINDS = sorted(
    {
        MeasureKind.PROBATION,
        MeasureKind.PROBATION_REINFORCED,
        MeasureKind.TIG,
        MeasureKind.DDSE_SENTENCE,
        MeasureKind.SOCIO_JUDICIAL,
        MeasureKind.COURSE,
    }
)


def _schedule(alert) -> str:  # type: ignore[no-untyped-def]
    return reverse("interviews:schedule_for_case", args=[alert.case_id])


def _gap(alert) -> str:  # type: ignore[no-untyped-def]
    return _("at most %(days)s days between interviews") % {"days": alert.detail.get("days")}


register(
    Rule(
        code="first_convocation",
        label=gettext_lazy("First SPIP convocation"),
        source="CPP 474",
        order=10,
        params=lambda: {"days": FIRST_CONVOCATION_DAYS, "kinds": CONVENED_KINDS},
        link=_schedule,
        describe=measure_label,
        sql=f"""
        SELECT m.case_id, m.id AS object_id, m.decision_date + %(days)s AS due_on,
               jsonb_build_object('kind', m.kind) AS detail
        FROM cases_measure m JOIN cases_case c ON c.id = m.case_id
        WHERE {OPEN_CASE} AND c.environment = 'open' AND m.kind = ANY(%(kinds)s)
          AND {RUNNING} AND m.decision_date <= %(as_of)s
          AND NOT EXISTS (
              SELECT 1 FROM interviews_interview i
              WHERE i.case_id = m.case_id AND i.status <> 'cancelled'
                AND i.start >= m.decision_date::timestamp AT TIME ZONE 'Europe/Paris'
          )
        """,
    )
)
register(
    Rule(
        code="interview_gap",
        label=gettext_lazy("Interview due"),
        source=gettext_lazy("practice, follow-up intensity"),
        order=20,
        params=lambda: {"lead": GAP_LEAD_DAYS},
        link=_schedule,
        describe=_gap,
        sql=f"""
        SELECT c.id AS case_id, c.id AS object_id, last.day + l.max_interval_days AS due_on,
               jsonb_build_object('days', l.max_interval_days) AS detail
        FROM cases_case c
        JOIN cases_intensitylevel l ON l.id = c.intensity_id
        CROSS JOIN LATERAL (
            SELECT coalesce(max((i.start AT TIME ZONE 'Europe/Paris')::date), c.opened_on)
                   AS day
            FROM interviews_interview i WHERE i.case_id = c.id AND i.status = 'held'
        ) last
        WHERE {OPEN_CASE}
          AND EXISTS (SELECT 1 FROM cases_measure m WHERE m.case_id = c.id AND {IN_FORCE})
          AND last.day + l.max_interval_days <= %(as_of)s + %(lead)s
          AND NOT EXISTS (
              SELECT 1 FROM interviews_interview i
              WHERE i.case_id = c.id AND i.status = 'planned'
                AND i.start >= %(as_of)s::timestamp AT TIME ZONE 'Europe/Paris'
          )
        """,
    )
)
