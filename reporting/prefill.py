"""The first draft of a report, written from the case file: measures with their dates,
obligations with a compliance summary from the proofs, interviews held and missed,
incidents, workshop attendance, community-work hours done and remaining, and the latest
assessment's life spheres. The adviser then edits every section freely.

Texts are written in French, the language of the documents the service sends to the court,
whatever the language of the adviser's interface.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import Case, Measure
from cases.selectors import ObligationStatus, case_file
from interviews.models import Interview
from interviews.selectors import case_interviews
from reporting.models import Kind, Proposal
from workshops.models import Enrollment
from workshops.selectors import case_enrollments

# How many dates of missed interviews the summary names (the count is always given).
MISSED_DATES_SHOWN = 6
# The most recent incidents listed (the adviser completes the analysis as needed).
INCIDENTS_LISTED = 20


def _day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _hours(value: Any) -> str:
    return formats.number_format(value, decimal_pos=0 if value == int(value) else 1)


def _measure_line(measure: Measure, reported: bool) -> str:
    line = _("%(measure)s ordered on %(decision)s by the %(court)s, from %(start)s") % {
        "measure": measure.get_kind_display(),
        "decision": _day(measure.decision_date),
        "court": measure.court.name,
        "start": _day(measure.start_date),
    }
    if measure.end_date:
        line += _(" to %(end)s") % {"end": _day(measure.end_date)}
    line += f" ({measure.get_status_display()})"
    if measure.probation_months:
        line += _("; probation period of %(months)s months") % {"months": measure.probation_months}
    if reported:
        line += _(" — measure concerned by this report")
    return line + "."


def _obligation_line(status: ObligationStatus) -> str:
    obligation = status.obligation
    proofs = list(obligation.proofs.all())
    line = f"{obligation.type.label} ({obligation.type.legal_code})"
    if obligation.details:
        line += f", {obligation.details}"
    if status.state == "lifted":
        return line + _(": lifted on %(day)s.") % {"day": _day(obligation.lifted_on)}
    if not obligation.type.proof_expected:
        return line + _(": no proof expected (see the incidents below, if any).")
    if not proofs:
        return line + _(": no proof received yet.")
    compliant = sum(1 for proof in proofs if proof.compliant)
    summary = _(": %(count)s proof(s) received, %(compliant)s compliant; last one on %(last)s") % {
        "count": len(proofs),
        "compliant": compliant,
        "last": _day(proofs[0].received_on),
    }
    if status.state == "overdue":
        summary += _("; a proof has been due since %(day)s") % {"day": _day(status.due_on)}
    else:
        summary += _("; up to date")
    return line + summary + "."


def _interviews_paragraph(interviews: list[Interview], today: date) -> str:
    past = [i for i in interviews if timezone.localtime(i.start).date() <= today]
    counts = Counter(interview.status for interview in past)
    held = [i for i in past if i.status == Interview.Status.HELD]
    missed = [i for i in past if i.status == Interview.Status.MISSED]
    if not held and not missed and not counts[Interview.Status.EXCUSED]:
        return _("Interviews: none held yet.")
    text = _(
        "Interviews: %(held)s held, %(missed)s missed without excuse, %(excused)s excused."
    ) % {
        "held": len(held),
        "missed": len(missed),
        "excused": counts[Interview.Status.EXCUSED],
    }
    if held:
        text += " " + _("Last interview held on %(day)s.") % {
            "day": _day(timezone.localtime(held[0].start).date())
        }
    if missed:
        days = ", ".join(
            _day(timezone.localtime(i.start).date()) for i in missed[:MISSED_DATES_SHOWN]
        )
        text += " " + _("Missed: %(days)s.") % {"days": days}
    return text


def _workshops_paragraph(enrollments: list[Enrollment]) -> str:
    lines = []
    for enrollment in enrollments:
        if enrollment.status in (Enrollment.Status.PROPOSED, Enrollment.Status.WAITLISTED):
            continue
        lines.append(
            _(
                "Workshop “%(title)s”: %(attended)s session(s) attended, %(absent)s "
                "absence(s) (%(status)s)."
            )
            % {
                "title": enrollment.workshop.title,
                "attended": enrollment.attended,
                "absent": len(enrollment.absences),
                "status": enrollment.get_status_display(),
            }
        )
    return "\n".join(lines)


def prefill(case: Case, measure: Measure, kind: str, today: date) -> dict[str, Any]:
    """Section texts and proposal of a new report about `measure` (in French)."""
    with translation.override("fr"):
        return _prefill(case, measure, kind, today)


def _prefill(case: Case, measure: Measure, kind: str, today: date) -> dict[str, Any]:
    data = case_file(case, today=today)
    measures: list[Measure] = data["measures"]
    reported = next(m for m in measures if m.pk == measure.pk)
    paragraphs = [_("Measures followed:")]
    paragraphs += [f"- {_measure_line(m, m.pk == reported.pk)}" for m in measures]
    obligations = [s for s in data["obligations"] if s.obligation.measure_id == reported.pk]
    if obligations:
        paragraphs.append("")
        paragraphs.append(_("Obligations and bans:"))
        paragraphs += [f"- {_obligation_line(status)}" for status in obligations]
    work = getattr(reported, "work", None)
    if work is not None:
        paragraphs.append("")
        paragraphs.append(
            _(
                "Community work: %(ordered)s hours ordered, %(done)s done, %(left)s "
                "remaining; to be done by %(deadline)s."
            )
            % {
                "ordered": _hours(work.ordered),
                "done": _hours(work.done),
                "left": _hours(work.remaining),
                "deadline": _day(work.deadline),
            }
        )
    paragraphs.append("")
    paragraphs.append(_interviews_paragraph(case_interviews(case.pk), today))
    incidents = sorted(
        (incident for m in measures for incident in m.incidents.all()),
        key=lambda incident: incident.occurred_on,
    )[-INCIDENTS_LISTED:]
    paragraphs.append("")
    if incidents:
        paragraphs.append(_("Incidents:"))
        paragraphs += [
            f"- {_day(incident.occurred_on)} — {incident.get_response_display()} : "
            f"{incident.description}"
            for incident in incidents
        ]
    else:
        paragraphs.append(_("No incident recorded."))
    workshops = _workshops_paragraph(case_enrollments(case.pk))
    if workshops:
        paragraphs += ["", workshops]

    assessment = data["assessments"][0] if data["assessments"] else None
    personal = []
    health = ""
    offence = ""
    if assessment is not None:
        for name in ("housing", "work_training", "resources", "family", "social_ties"):
            text = getattr(assessment, name).strip()
            if text:
                label = str(assessment._meta.get_field(name).verbose_name).capitalize()
                personal.append(f"{label} : {text}")
        health = assessment.health_followup.strip()
        offence = assessment.relation_to_offence.strip()
        if personal:
            personal.insert(
                0, _("From the assessment of %(day)s:") % {"day": _day(assessment.assessed_on)}
            )
    return {
        "penal_situation": "\n".join(paragraphs).strip(),
        "offence_relation": offence,
        "personal_situation": "\n".join(personal),
        "health_followup": health,
        "analysis": "",
        "proposal": DEFAULT_PROPOSAL.get(kind, ""),
    }


DEFAULT_PROPOSAL = {
    Kind.INCIDENT: Proposal.REMINDER,
    Kind.ADJUSTMENT: Proposal.ADJUSTMENT,
}
