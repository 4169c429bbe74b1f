"""Read queries for the workshop pages, each in a fixed number of queries.

What partners see is built here as plain rows holding a person's first and last names and
attendance only, so that no template given to a partner can reach a case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Case
from cases.policy import own_cases, visible_cases
from spip import policy
from spip.models import User
from workshops.models import Attendance, Enrollment, Session, Workshop

TAKEN = (Enrollment.Status.ENROLLED, Enrollment.Status.COMPLETED)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _with_fill(workshops: QuerySet[Workshop]) -> QuerySet[Any]:
    """Workshops annotated with their places taken and waiting (`taken`, `waiting`)."""
    return workshops.select_related("branch").annotate(
        taken=Count("enrollments", filter=Q(enrollments__status__in=TAKEN), distinct=True),
        waiting=Count(
            "enrollments",
            filter=Q(enrollments__status=Enrollment.Status.WAITLISTED),
            distinct=True,
        ),
        first_session=Min("sessions__starts_at"),
        last_session=Max("sessions__ends_at"),
    )


def fill_percent(taken: int, capacity: int) -> int:
    return min(100, round(100 * taken / capacity)) if capacity else 0


def workshop_list(user: User, today: date) -> list[Workshop]:
    """Current and upcoming workshops the user may see, with places taken and waiting."""
    workshops = (
        _with_fill(policy.visible(user, Workshop))
        .exclude(status__in=[Workshop.Status.CANCELLED, Workshop.Status.FINISHED])
        .filter(Q(last_session__isnull=True) | Q(last_session__gte=_start_of(today)))
        .order_by("first_session", "title", "id")
    )
    rows = list(workshops)
    for workshop in rows:
        workshop.fill_percent = fill_percent(workshop.taken, workshop.capacity)
    return rows


@dataclass
class PersonRow:
    """One enrolled person as a workshop page shows them."""

    enrollment: Enrollment
    name: str  # "LAST first names", or a neutral label when the viewer may not see the case
    case_id: int | None  # only when the viewer may open the case
    can_act: bool  # the viewer follows the case (withdraw, confirm) or runs the workshop
    attended: int
    hours: Decimal
    absences: int


@dataclass
class WorkshopPage:
    workshop: Workshop
    sessions: list[Session]
    enrolled: list[PersonRow] = field(default_factory=list)
    waiting: list[PersonRow] = field(default_factory=list)
    proposed: list[PersonRow] = field(default_factory=list)
    dropped: list[PersonRow] = field(default_factory=list)


def _sessions(workshop: Workshop) -> list[Session]:
    return list(
        workshop.sessions.select_related("catch_up_of").annotate(
            present=Count(
                "attendances",
                filter=Q(
                    attendances__status__in=[
                        Attendance.Status.PRESENT,
                        Attendance.Status.CAUGHT_UP,
                    ]
                ),
            ),
            absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
            excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
        )
    )


def _enrollments(workshop: Workshop) -> list[Enrollment]:
    return list(
        workshop.enrollments.select_related("case__person", "case__adviser").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("session"))
        )
    )


def _person_name(enrollment: Enrollment) -> str:
    return enrollment.case.person.full_name


def _summary(enrollment: Enrollment) -> tuple[int, Decimal, int]:
    attended = [a for a in enrollment.attendances.all() if a.attended]
    absences = sum(1 for a in enrollment.attendances.all() if a.status == Attendance.Status.ABSENT)
    hours = sum((a.session.hours for a in attended), Decimal(0))
    # A catch-up session counts for the session it makes up for.
    counted = {a.session.catch_up_of_id or a.session_id for a in attended}
    return len(counted), hours, absences


def workshop_page(workshop: Workshop, user: User, *, manages: bool) -> WorkshopPage:
    """The staff workshop page: sessions with attendance counts, people by status. Names of
    people whose case the viewer may not see are shown only to those who run the sessions
    (`manages`: they need them to take attendance), never to staff excluded from the case;
    case links only where the case is visible."""
    sessions = _sessions(workshop)
    enrollments = _enrollments(workshop)
    case_ids = [enrollment.case_id for enrollment in enrollments]
    visible = set(visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    followed = set(own_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    excluded = set(
        Case.excluded_staff.through.objects.filter(case_id__in=case_ids, user=user).values_list(
            "case_id", flat=True
        )
    )
    page = WorkshopPage(workshop, sessions)
    groups: dict[str, list[PersonRow]] = {
        Enrollment.Status.ENROLLED: page.enrolled,
        Enrollment.Status.COMPLETED: page.enrolled,
        Enrollment.Status.WAITLISTED: page.waiting,
        Enrollment.Status.PROPOSED: page.proposed,
        Enrollment.Status.DROPPED: page.dropped,
    }
    from django.utils.translation import gettext as _

    for enrollment in enrollments:
        # Those who run the workshop see every name, except of a case they are excluded from.
        runs = manages and enrollment.case_id not in excluded
        shown = enrollment.case_id in visible or runs
        attended, hours, absences = _summary(enrollment)
        groups[enrollment.status].append(
            PersonRow(
                enrollment=enrollment,
                name=_person_name(enrollment) if shown else _("person followed (restricted)"),
                case_id=enrollment.case_id if enrollment.case_id in visible else None,
                can_act=enrollment.case_id in followed or runs,
                attended=attended,
                hours=hours,
                absences=absences,
            )
        )
    page.waiting.sort(key=lambda row: (row.enrollment.waitlisted_at, row.enrollment.pk))
    return page


@dataclass(frozen=True)
class PartnerPerson:
    """What a partner may know of an enrolled person."""

    enrollment_id: int
    last_name: str
    first_names: str
    attended: int
    absences: int


@dataclass
class PartnerWorkshopPage:
    title: str
    kind_label: str
    theme: str
    description: str
    sessions: list[Session]
    people: list[PartnerPerson]


def _partner_people(workshop: Workshop) -> list[PartnerPerson]:
    rows = (
        Enrollment.objects.filter(workshop=workshop, status__in=TAKEN)
        .annotate(
            attended=Count(
                "attendances",
                filter=Q(
                    attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.CAUGHT_UP]
                ),
            ),
            absences=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
        )
        .values(
            "pk",
            "case__person__birth_name",
            "case__person__usage_name",
            "case__person__first_names",
            "attended",
            "absences",
        )
        .order_by("case__person__birth_name", "case__person__first_names", "pk")
    )
    return [
        PartnerPerson(
            enrollment_id=row["pk"],
            last_name=(row["case__person__usage_name"] or row["case__person__birth_name"]).upper(),
            first_names=row["case__person__first_names"],
            attended=row["attended"],
            absences=row["absences"],
        )
        for row in rows
    ]


def partner_workshop_page(workshop: Workshop) -> PartnerWorkshopPage:
    return PartnerWorkshopPage(
        title=workshop.title,
        kind_label=workshop.kind_label,
        theme=workshop.theme,
        description=workshop.description,
        sessions=_sessions(workshop),
        people=_partner_people(workshop),
    )


@dataclass(frozen=True)
class GridRow:
    """One line of a session's attendance grid: a name and the attendance recorded."""

    enrollment_id: int
    last_name: str
    first_names: str
    status: str  # "" when nothing is recorded yet


def session_grid(session: Session, viewer: User, enrollment_id: int | None = None) -> list[GridRow]:
    """The people expected at a session (enrolled or completed), with their attendance; one
    query. A person whose case excludes the viewer is shown under a neutral label. With
    `enrollment_id`, only that person's row (the htmx answer)."""
    from django.utils.translation import gettext as _

    enrollments = Enrollment.objects.filter(workshop_id=session.workshop_id, status__in=TAKEN)
    if enrollment_id is not None:
        enrollments = enrollments.filter(pk=enrollment_id)
    excluded = Case.excluded_staff.through.objects.filter(case=OuterRef("case_id"), user=viewer)
    rows = (
        enrollments.annotate(
            recorded=Max("attendances__status", filter=Q(attendances__session=session)),
            hidden=Exists(excluded),
        )
        .values(
            "pk",
            "case__person__birth_name",
            "case__person__usage_name",
            "case__person__first_names",
            "recorded",
            "hidden",
        )
        .order_by("hidden", "case__person__birth_name", "case__person__first_names", "pk")
    )
    return [
        GridRow(
            enrollment_id=row["pk"],
            last_name=(
                _("person followed (restricted)")
                if row["hidden"]
                else (row["case__person__usage_name"] or row["case__person__birth_name"]).upper()
            ),
            first_names="" if row["hidden"] else row["case__person__first_names"],
            status=row["recorded"] or "",
        )
        for row in rows
    ]


def partner_home(user: User, today: date) -> dict[str, Any]:
    """A partner's workshops and their next sessions (two queries)."""
    workshops = list(
        _with_fill(Workshop.objects.filter(contributors=user))
        .exclude(status=Workshop.Status.CANCELLED)
        .order_by("title", "id")
    )
    sessions = list(
        Session.objects.filter(workshop__contributors=user, starts_at__gte=_start_of(today))
        .select_related("workshop")
        .order_by("starts_at", "id")[:10]
    )
    return {"workshops": workshops, "sessions": sessions}


def facilitator_sessions(user: User, today: date) -> list[Session]:
    return list(
        Session.objects.filter(workshop__facilitators=user, starts_at__gte=_start_of(today))
        .select_related("workshop")
        .order_by("starts_at", "id")[:5]
    )


@dataclass(frozen=True)
class Absence:
    attendance_id: int
    starts_at: datetime
    incident_id: int | None


def case_enrollments(case_id: int) -> Sequence[Enrollment]:
    """A case's enrolments with their workshop, sessions attended and absences, in one
    query (the case file's budget is shared by every section)."""
    absent = Q(attendances__status=Attendance.Status.ABSENT)
    order = ("attendances__session__starts_at", "attendances__id")
    enrollments = list(
        Enrollment.objects.filter(case_id=case_id)
        .select_related("workshop", "obligation__type", "proof")
        .annotate(
            attended=Count(
                Coalesce("attendances__session__catch_up_of_id", "attendances__session_id"),
                filter=Q(
                    attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.CAUGHT_UP]
                ),
                distinct=True,
            ),
            absence_ids=ArrayAgg("attendances__id", filter=absent, order_by=order, default=[]),
            absence_starts=ArrayAgg(
                "attendances__session__starts_at", filter=absent, order_by=order, default=[]
            ),
            absence_incidents=ArrayAgg(
                "attendances__incident_id", filter=absent, order_by=order, default=[]
            ),
        )
        .order_by("-requested_at", "-id")
    )
    for enrollment in enrollments:
        # A display attribute; the partner's list annotates a count under the same name.
        enrollment.absences = [  # type: ignore[attr-defined]
            Absence(*row)
            for row in zip(
                enrollment.absence_ids,
                enrollment.absence_starts,
                enrollment.absence_incidents,
                strict=True,
            )
        ]
    return enrollments


def open_workshops_for_case(branch_id: int) -> QuerySet[Workshop]:
    return Workshop.objects.filter(branch_id=branch_id, status=Workshop.Status.OPEN).order_by(
        "title", "id"
    )


def attestation_context(enrollment: Enrollment) -> dict[str, Any]:
    """What the attestation states: who, which workshop, the sessions attended with their
    dates and hours, the total."""
    workshop = enrollment.workshop
    attended = [
        attendance
        for attendance in enrollment.attendances.select_related("session").order_by(
            "session__starts_at", "id"
        )
        if attendance.attended
    ]
    hours = sum((attendance.session.hours for attendance in attended), Decimal(0))
    person = enrollment.case.person
    return {
        "title": workshop.title,
        "author": workshop.branch.department.spip_name,
        "branch": workshop.branch,
        "language": "fr",
        "workshop": workshop,
        "person": person,
        "attended": attended,
        "hours": hours,
        "first_day": timezone.localtime(attended[0].session.starts_at).date() if attended else None,
        "last_day": timezone.localtime(attended[-1].session.starts_at).date() if attended else None,
        "completed_on": enrollment.completed_on,
        "today": timezone.localdate(),
        "enrollment": enrollment,
    }


def attended_sessions(enrollment: Enrollment) -> int:
    """Sessions the person attended or caught up, a catch-up session counting for the
    session it makes up for (attending both counts once)."""
    return (
        enrollment.attendances.filter(
            status__in=[Attendance.Status.PRESENT, Attendance.Status.CAUGHT_UP]
        )
        .annotate(counted=Coalesce("session__catch_up_of_id", "session_id"))
        .values("counted")
        .distinct()
        .count()
    )


def last_attended(enrollment: Enrollment) -> datetime:
    """When the latest session the person attended (or caught up) began: the day the
    attendance rule was met, whatever order the sessions were recorded in."""
    return enrollment.attendances.filter(
        status__in=[Attendance.Status.PRESENT, Attendance.Status.CAUGHT_UP]
    ).aggregate(last=Max("session__starts_at"))["last"]
