"""The access rules of reports to the judge, registered with `spip.policy`.

| action                  | allowed                                         | others            |
|-------------------------|-------------------------------------------------|-------------------|
| report.list             | advisers, directors                             | 403; clerk… 404   |
| report.validation_queue | directors                                       | 403; clerk… 404   |
| report.inbox            | clerks                                          | 403               |
| report.view             | those who write to the report's case            | as the case       |
| report.draft            | same, if they wrote the report or are advisers  | as the case, 403  |
| report.validate         | same, if they direct the case's branch          | as the case, 403  |
| report.download         | issued: clerks of its court; as report.view     | 404 (not issued)  |

("clerk…": clerks and partners, who never see case pages.)

A report follows its case (`cases.policy.access_of`, evaluated once per request): 404 to
those for whom the case does not exist, 403 to those who see it without writing to it
(secretaries, colleagues, administrators). The workflow's own rules (only a draft is
written, only a submitted report is validated, never by its author) stay in
`reporting.services` as domain errors.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Case
from cases.policy import own_cases
from reporting.models import Report
from spip import policy
from spip.models import Role, User
from spip.policy import Decision, rule, visible_for

_WRITERS = (Role.ADVISER, Role.DIRECTOR)
# Those for whom report pages do not exist at all (as for case pages).
_OUTSIDERS = (Role.CLERK, Role.PARTNER)


def _staff_page(user: User, allowed: tuple[str, ...]) -> Decision:
    """A list page of the reporting app: 404 to those who never see case pages."""
    if user.role in allowed:
        return Decision.ALLOWED
    return Decision.HIDDEN if user.role in _OUTSIDERS else Decision.FORBIDDEN


def _writes_case(user: User, case: Case) -> Decision:
    """Reports are part of the case file's work: only those who may change the case."""
    return policy.decide(user, "case.edit", case)


@rule("report.list")
def _report_list(user: User, obj: Any) -> Decision:
    return _staff_page(user, _WRITERS)


@rule("report.validation_queue")
def _report_validation_queue(user: User, obj: Any) -> Decision:
    return _staff_page(user, (Role.DIRECTOR,))


@rule("report.inbox")
def _report_inbox(user: User, obj: Any) -> Decision:
    # Anyone signed in may know the inbox exists (partners included): 403, not 404.
    return Decision.ALLOWED if user.role == Role.CLERK else Decision.FORBIDDEN


@rule("report.view")
def _report_view(user: User, report: Report) -> Decision:
    return _writes_case(user, report.case)


@rule("report.draft")
def _report_draft(user: User, target: Report | Case) -> Decision:
    """A new report (on a case): whoever writes to the case, who becomes its author. An
    existing one: its author and the case's advisers; a director reads it and returns it,
    so that the countersignature is never on their own text."""
    if isinstance(target, Case):
        return _writes_case(user, target)
    decision = _writes_case(user, target.case)
    if decision == Decision.ALLOWED and not (
        user.pk == target.author_id or user.role == Role.ADVISER
    ):
        return Decision.FORBIDDEN
    return decision


@rule("report.validate")
def _report_validate(user: User, report: Report) -> Decision:
    """Validation is a director's countersignature, for the branches they direct."""
    decision = _writes_case(user, report.case)
    if decision == Decision.ALLOWED and user.role != Role.DIRECTOR:
        return Decision.FORBIDDEN
    return decision


@rule("report.download")
def _report_download(user: User, report: Report) -> Decision:
    """A clerk sees only the issued reports addressed to their court, and nothing else of
    the case; the others as they see the report, once it is issued."""
    issued = report.status == Report.Status.ISSUED
    if user.role == Role.CLERK:
        addressed = issued and user.court_id is not None and report.court_id == user.court_id
        return Decision.ALLOWED if addressed else Decision.HIDDEN
    decision = _writes_case(user, report.case)
    if decision == Decision.ALLOWED and not issued:
        return Decision.HIDDEN
    return decision


@visible_for(Report)
def visible_reports(user: User) -> QuerySet[Report]:
    """The reports that may appear in the user's lists: those of their caseload (advisers,
    directors), the issued ones addressed to their court (clerks)."""
    if user.role == Role.CLERK:
        return Report.objects.filter(Q(court_id=user.court_id), status=Report.Status.ISSUED)
    if user.role in _WRITERS:
        return Report.objects.filter(case__in=own_cases(user).values("pk"))
    return Report.objects.none()
