"""Demo reports: across the Montluçon caseload, reports in every state — drafts, one
returned with the director's comment, submitted, issued to the Tribunal judiciaire de
Montluçon (some already downloaded by `greffier`), and one whose issuing failed.

Reports go through the services, as the advisers and the director would write them, so
the prefill, the notifications, the access log and the issued PDFs are the real ones."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.allocation import running_measures
from cases.models import Case
from cases.policy import Access, case_access
from reporting import services
from reporting.models import Kind, Proposal, Report
from spip.models import Role, User

JUDGE = "Mme Claire Fontaine, juge de l’application des peines"
ANALYSES = [
    "Le suivi est investi : les convocations sont honorées et les justificatifs apportés. "
    "La situation d’hébergement reste fragile.",
    "Adhésion inégale au suivi, avec des absences non justifiées au printemps ; "
    "une reprise régulière depuis deux mois.",
    "Les obligations sont respectées. Le travail sur les faits progresse, notamment dans "
    "le cadre de l’atelier collectif.",
]
# Per adviser (by login): kinds of report in each state, in this order.
PLAN = {
    "conseiller": ["draft", "returned", "submitted", "issued", "issued", "failed"],
    "cpip.bernard": ["draft", "submitted", "issued", "issued"],
    "cpip.chevalier": ["draft", "issued", "issued"],
    "cpip.dumas": ["submitted", "issued", "issued"],
    "cpip.fabre": ["returned", "issued"],
}
KINDS = [Kind.EVALUATION, Kind.END_OF_MEASURE, Kind.SITUATION, Kind.ANNUAL, Kind.INCIDENT]
PROPOSALS = [Proposal.NOTHING, Proposal.REMINDER, Proposal.EARLY_END, Proposal.MODIFICATION]


def seed_reports(
    *, department: Any, branches: dict[str, Any], stdout: Any = None, **_: Any
) -> None:
    if Report.objects.filter(case__branch__department=department).exists():
        return
    branch = branches["Montluçon"]
    director = User.objects.filter(role=Role.DIRECTOR, directed_branches=branch).first()
    clerk = User.objects.filter(role=Role.CLERK, court=branch.court).first()
    if director is None:
        return
    today = timezone.localdate()
    made = 0
    for login, states in PLAN.items():
        adviser = User.objects.filter(username=login, branch=branch).first()
        if adviser is None:
            continue
        cases = [
            case
            for case in Case.objects.filter(adviser=adviser, closed_on__isnull=True)
            .filter(measures__in=_running(today))
            .select_related("branch__court", "person")
            .distinct()
            .order_by("pk")[: len(states) * 3]
            if case_access(director, case) == Access.WRITE
        ]
        for n, (state, case) in enumerate(zip(states, cases[::3], strict=False)):
            measure = case.measures.filter(running_measures(today)).order_by("start_date").first()
            _seed_one(adviser, director, clerk, case, measure, state, n, today)
            made += 1
    if stdout is not None:
        stdout.write(f"  reports: {made}")


def _running(today: Any) -> Any:
    from cases.models import Measure

    return Measure.objects.filter(running_measures(today))


@transaction.atomic
def _seed_one(
    adviser: User,
    director: User,
    clerk: User | None,
    case: Case,
    measure: Any,
    state: str,
    n: int,
    today: Any,
) -> None:
    kind = Kind.END_OF_MEASURE if state == "draft" and n == 0 else KINDS[n % len(KINDS)]
    report = services.report_create(
        acting_user=adviser, case=case, measure=measure, kind=kind, today=today
    )
    if state == "draft":
        return
    report = services.report_save(
        acting_user=adviser,
        report=report,
        version=report.version,
        changes={
            "judge": JUDGE,
            "analysis": ANALYSES[n % len(ANALYSES)],
            "proposal": PROPOSALS[n % len(PROPOSALS)],
            "court": report.court,
            **{
                name: getattr(report, name)
                for name in (
                    "penal_situation",
                    "offence_relation",
                    "personal_situation",
                    "health_followup",
                    "proposal_details",
                )
            },
        },
    )
    report = services.report_submit(acting_user=adviser, report=report, version=report.version)
    if state == "submitted":
        return
    if state == "returned":
        services.report_return(
            acting_user=director,
            report=report,
            version=report.version,
            comment="Merci de préciser l’analyse de l’évolution depuis le dernier rapport "
            "et de motiver la proposition.",
        )
        return
    if state == "failed":
        # Validated, then a render that failed every automatic attempt: it waits for someone
        # to press "retry" (no task is queued for it).
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED,
            validator=director,
            validated_at=timezone.now(),
            issue_attempts=services.AUTOMATIC_ATTEMPTS,
            issue_error="OSError",
        )
        return
    report = services.report_validate(acting_user=director, report=report, version=report.version)
    if not services.report_issue(report_id=report.pk):
        return  # left "issuing failed": the beat task retries it once the demo runs
    report.refresh_from_db()
    if clerk is not None and n % 2 == 0:
        services.report_file(acting_user=clerk, report=report)
