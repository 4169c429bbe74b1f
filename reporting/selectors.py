"""Lists of reports: the adviser's reports by status and those due soon, the directors'
validation queue, the clerk's inbox. Each runs a fixed number of queries, whatever its
length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cases.allocation import running_measures
from cases.legal import add_months
from cases.models import Case, Incident, Measure
from cases.policy import own_cases
from reporting import rules
from reporting.models import Kind, Report
from spip import policy
from spip.models import User

# The reports due within this many days (or overdue by at most OVERDUE_SHOWN_DAYS) are "due soon".
DUE_HORIZON_DAYS = 30
OVERDUE_SHOWN_DAYS = 90
ISSUED_SHOWN = 50

LIST_RELATED = ("case__person", "case__branch", "measure", "author", "validator")


def _listed(reports: QuerySet[Report]) -> QuerySet[Report]:
    """What a list row shows; the section texts are left in the database."""
    return reports.select_related(*LIST_RELATED).defer(*Report.SECTIONS, "proposal_details")


@dataclass
class AdviserReports:
    drafts: list[Report]
    submitted: list[Report]
    issuing: list[Report]
    issued: list[Report]

    @property
    def returned(self) -> list[Report]:
        return [report for report in self.drafts if report.returned]


def adviser_reports(user: User) -> AdviserReports:
    """The reports on the user's caseload (two queries: the open ones, the last issued)."""
    reports = policy.visible(user, Report)
    pending = list(_listed(reports.exclude(status=Report.Status.ISSUED)).order_by("due_date", "id"))
    issued = list(
        _listed(reports.filter(status=Report.Status.ISSUED)).order_by("-issued_at", "-id")[
            :ISSUED_SHOWN
        ]
    )
    by_status: dict[str, list[Report]] = {}
    for report in pending:
        by_status.setdefault(report.status, []).append(report)
    return AdviserReports(
        drafts=by_status.get(Report.Status.DRAFT, []),
        submitted=by_status.get(Report.Status.SUBMITTED, []),
        issuing=by_status.get(Report.Status.VALIDATED, [])
        + by_status.get(Report.Status.FAILED, []),
        issued=issued,
    )


@dataclass(frozen=True)
class DueReport:
    case: Case
    measure: Measure
    kind: str
    due_date: date
    overdue: bool

    @property
    def kind_label(self) -> Any:
        return Kind(self.kind).label


def reports_due(user: User, today: date) -> list[DueReport]:
    """Evaluation, annual and end-of-measure reports the caseload's running measures will
    need soon (or needed lately) and that nobody has started yet, and incident reports
    called for by an incident — two queries."""
    horizon = today + timedelta(days=DUE_HORIZON_DAYS)
    oldest = today - timedelta(days=OVERDUE_SHOWN_DAYS)
    margin = timedelta(days=4)

    def started(kind: str, **extra: Any) -> Exists:
        return Exists(Report.objects.filter(kind=kind, **extra))

    measures = (
        Measure.objects.filter(running_measures(today))
        .filter(case__in=own_cases(user, today=today).filter(closed_on__isnull=True).values("pk"))
        .filter(
            # End within the window (+1 month), a young case (evaluation), or a long measure.
            # (a few days of margin: month arithmetic clamps to the month's end; the exact
            # window is checked below)
            Q(end_date__range=(add_months(oldest, 1) - margin, add_months(horizon, 1) + margin))
            | Q(
                case__opened_on__range=(
                    add_months(oldest, -3) - margin,
                    add_months(horizon, -3) + margin,
                )
            )
            | Q(end_date__gt=today + timedelta(days=365))
        )
        .select_related("case__person")
        .annotate(
            has_end=started(Kind.END_OF_MEASURE, measure=OuterRef("pk")),
            has_evaluation=started(Kind.EVALUATION, case=OuterRef("case_id")),
            has_annual=started(
                Kind.ANNUAL,
                measure=OuterRef("pk"),
                created_at__date__gte=today - timedelta(days=300),
            ),
        )
        .order_by("case_id", "start_date", "id")
    )
    due: list[DueReport] = []
    evaluated: set[int] = set()
    for measure in measures:
        candidates = []
        if not measure.has_end:
            candidates.append(Kind.END_OF_MEASURE)
        if not measure.has_evaluation and measure.case_id not in evaluated:
            candidates.append(Kind.EVALUATION)
        if not measure.has_annual:
            candidates.append(Kind.ANNUAL)
        for kind in candidates:
            day = rules.due_date(kind, measure.case, measure, today)
            if day is not None and oldest <= day <= horizon:
                due.append(DueReport(measure.case, measure, kind, day, day < today))
                if kind == Kind.EVALUATION:
                    evaluated.add(measure.case_id)
    # An incident answered by "report to the judge" calls for an incident report at once.
    incidents = (
        Incident.objects.filter(
            response=Incident.Response.REPORT,
            occurred_on__range=(oldest, today),
            measure__case__in=own_cases(user, today=today)
            .filter(closed_on__isnull=True)
            .values("pk"),
        )
        .annotate(
            reported=Exists(
                Report.objects.filter(
                    measure=OuterRef("measure_id"),
                    kind=Kind.INCIDENT,
                    created_at__date__gte=OuterRef("occurred_on"),
                )
            )
        )
        .filter(reported=False)
        .select_related("measure__case__person")
    )
    for incident in incidents:
        reported_on = incident.measure
        due.append(
            DueReport(
                reported_on.case,
                reported_on,
                Kind.INCIDENT,
                incident.occurred_on,
                incident.occurred_on < today,
            )
        )
    return sorted(due, key=lambda entry: (entry.due_date, entry.case.number))


def validation_queue(user: User) -> list[Report]:
    """Reports of the branches the director directs that wait for them (submitted), or whose
    issue is pending or failed — one query."""
    if not policy.can(user, "report.validation_queue"):
        return []
    return list(
        _listed(
            policy.visible(user, Report).filter(
                status__in=[Report.Status.SUBMITTED, Report.Status.VALIDATED, Report.Status.FAILED]
            )
        ).order_by("status", "submitted_at", "id")
    )


def clerk_inbox(user: User, filters: dict[str, Any]) -> QuerySet[Report]:
    """Issued reports addressed to the clerk's court, newest first."""
    if not policy.can(user, "report.inbox"):
        return Report.objects.none()
    reports = policy.visible(user, Report)
    if filters.get("kind"):
        reports = reports.filter(kind=filters["kind"])
    if filters.get("branch"):
        reports = reports.filter(case__branch=filters["branch"])
    if filters.get("issued_from"):
        reports = reports.filter(issued_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        reports = reports.filter(issued_at__date__lte=filters["issued_to"])
    if filters.get("not_downloaded"):
        reports = reports.filter(downloaded_at__isnull=True)
    return _listed(reports).order_by("-issued_at", "-id")


def case_reports(case_id: int) -> list[Report]:
    return list(_listed(Report.objects.filter(case_id=case_id)).order_by("-created_at", "-id"))


def home_counts(user: User) -> dict[str, int]:
    """The numbers on the home page's reports panel, in one query: the clerk's new reports,
    the director's to validate, the adviser's drafts."""
    reports = policy.visible(user, Report)
    if policy.can(user, "report.inbox"):
        return reports.aggregate(new=Count("pk", filter=Q(downloaded_at__isnull=True)))
    if policy.can(user, "report.validation_queue"):
        return reports.aggregate(
            to_validate=Count("pk", filter=Q(status=Report.Status.SUBMITTED)),
            failed=Count("pk", filter=Q(status=Report.Status.FAILED)),
        )
    return reports.aggregate(
        drafts=Count("pk", filter=Q(status=Report.Status.DRAFT)),
        returned=Count("pk", filter=Q(status=Report.Status.DRAFT) & ~Q(return_comment="")),
        failed=Count("pk", filter=Q(status=Report.Status.FAILED)),
    )
