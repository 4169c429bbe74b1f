"""What the reporting app adds to pages it does not own: the case file's reports section
and the home panels of advisers, directors and clerks."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.extensions import SectionContent
from cases.models import Case
from cases.policy import Access
from cases.selectors import TimelineEntry
from reporting import selectors
from reporting.models import Kind
from spip import policy
from spip.home import Panel
from spip.models import User


def case_section(case: Case, user: User, access: Access, today: date) -> SectionContent | None:
    """The case's reports and the button to draft one, for those who may write. One query."""
    if access < Access.WRITE:
        return None
    reports = selectors.case_reports(case.pk)
    timeline = [
        TimelineEntry(
            timezone.localdate(report.issued_at), _("Report issued"), report.get_kind_display()
        )
        for report in reports
        if report.issued_at
    ]
    return SectionContent(
        template="reporting/_case_section.html",
        context={
            "case": case,
            "reports": reports,
            "kinds": Kind.choices,
            "can_draft": not case.closed_on,
        },
        timeline=timeline,
    )


def home_panel(user: User, today: date) -> Panel | None:
    """For those who have a list of reports: their caseload's, or the court's inbox."""
    if not (policy.can(user, "report.list") or policy.can(user, "report.inbox")):
        return None
    return Panel("reporting/_home_panel.html", selectors.home_counts(user), order=20)
