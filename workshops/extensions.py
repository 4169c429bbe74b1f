"""What the workshops app adds to pages it does not own: the case file's section (with
absences on the case timeline) and the home panels of partners and facilitators."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.extensions import SectionContent
from cases.models import Case
from cases.policy import Access
from cases.selectors import TimelineEntry
from spip.home import Panel
from spip.models import AccessLog, User
from spip.services import access_log_record
from workshops import selectors
from workshops.models import Enrollment
from workshops.policy import facilitates, partner_pages


def case_section(case: Case, user: User, access: Access, today: date) -> SectionContent | None:
    """The case's enrolments, their attendance and absences; enrolment and incident actions
    for those who may write. One query."""
    if access < Access.READ_WITH_REASON:
        return None
    enrollments = selectors.case_enrollments(case.pk)
    timeline: list[TimelineEntry] = []
    for enrollment in enrollments:
        workshop = enrollment.workshop.title
        if enrollment.completed_on:
            timeline.append(
                TimelineEntry(enrollment.completed_on, _("Workshop completed"), workshop)
            )
        for absence in enrollment.absences:
            day = timezone.localtime(absence.starts_at).date()
            timeline.append(TimelineEntry(day, _("Workshop absence"), workshop))
    return SectionContent(
        template="workshops/_case_section.html",
        context={
            "case": case,
            "enrollments": enrollments,
            "can_write": access >= Access.WRITE,
            "completed": Enrollment.Status.COMPLETED,
        },
        timeline=timeline,
    )


def partner_panel(user: User, today: date) -> Panel | None:
    if not partner_pages(user):
        return None
    # Every page a partner opens is in the access log, their home page included.
    access_log_record(
        acting_user=user,
        action=AccessLog.Action.VIEW,
        object_type="workshops.workshop",
        object_id="home",
    )
    return Panel("workshops/_partner_panel.html", selectors.partner_home(user, today), order=10)


def facilitator_panel(user: User, today: date) -> Panel | None:
    if not facilitates(user):
        return None
    sessions = selectors.facilitator_sessions(user, today)
    if not sessions:
        return None
    return Panel("workshops/_facilitator_panel.html", {"sessions": sessions}, order=30)
