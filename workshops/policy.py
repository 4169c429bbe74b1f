"""Who may do what with a workshop, in one place.

| who       | workshop                                          | answer                        |
|-----------|---------------------------------------------------|-------------------------------|
| director  | of a branch they direct                           | manage (sessions, attendance) |
| adviser   | one of its facilitators                           | manage                        |
| adviser   | another workshop of their branch                  | read, enrol their people      |
| partner   | one they are named a contributor of               | sessions, names, attendance   |
| secretary | of their branch                                   | 403                           |
| admin     | any                                               | 403                           |
| anyone    | other branch; clerk; partner not a contributor    | 404                           |

Workshop pages exist for advisers, directors and partners only: administrators and
secretaries get 403 on every one of them (a missing id included), clerks 404. Pages about
enrolments and cases are never a partner's (404, even on a workshop they contribute to).

Partners never reach a case, a measure, an obligation or anything else about a person but
their first and last name and attendance: their pages are separate templates fed by
separate selectors.

The rules of the workshop actions (listed with a sentence each in `spip.policy.ACTIONS`)
are registered below; views fetch through `workshop_for`, `session_for`, `enrolment_for`,
`attendance_for` and `case_to_enrol`, services `check` the same action again.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Case
from cases.policy import Access, access_of
from spip import policy
from spip.models import Branch, Partner, Role, User
from spip.policy import Decision, rule, visible_for
from workshops.models import Attendance, Enrollment, Session, Workshop


class WorkshopAccess(enum.IntEnum):
    NONE = 0  # 404
    FORBIDDEN = 1  # 403
    PARTNER = 2  # sessions, names and attendance of the workshops they contribute to
    READ = 3  # staff of the branch: the workshop page, enrolling their own people
    MANAGE = 4  # directors of the branch and facilitators: sessions and attendance


@visible_for(Workshop)
def workshops_for(user: User) -> QuerySet[Workshop]:
    """Workshops that may appear in the user's lists."""
    if user.role == Role.PARTNER:
        return Workshop.objects.filter(contributors=user)
    if user.role == Role.DIRECTOR:
        return Workshop.objects.filter(branch__in=user.directed_branches.all())
    if user.role == Role.ADVISER:
        return Workshop.objects.filter(Q(branch_id=user.branch_id) | Q(facilitators=user))
    return Workshop.objects.none()


def _workshop_access(user: User, workshop: Workshop) -> WorkshopAccess:
    if not user.is_authenticated or not user.is_active:
        return WorkshopAccess.NONE
    if user.role == Role.ADMIN:
        return WorkshopAccess.FORBIDDEN
    if user.role == Role.PARTNER:
        if workshop.contributors.filter(pk=user.pk).exists():
            return WorkshopAccess.PARTNER
        return WorkshopAccess.NONE
    if user.role == Role.DIRECTOR:
        if user.directed_branches.filter(pk=workshop.branch_id).exists():
            return WorkshopAccess.MANAGE
        return WorkshopAccess.NONE
    if user.role == Role.ADVISER:
        if workshop.facilitators.filter(pk=user.pk).exists():
            return WorkshopAccess.MANAGE
        if workshop.branch_id == user.branch_id:
            return WorkshopAccess.READ
        return WorkshopAccess.NONE
    if user.role == Role.SECRETARY and workshop.branch_id == user.branch_id:
        return WorkshopAccess.FORBIDDEN
    return WorkshopAccess.NONE


def workshop_access(user: User, workshop: Workshop) -> WorkshopAccess:
    """How far `user` may go with `workshop` (see the table above), read once per request
    (every rule of a page asks it; `policy.forget()` drops it after a change of people)."""
    return policy.memo(
        ("workshop_access", user.pk, workshop.pk), lambda: _workshop_access(user, workshop)
    )


# --- Who appears where ----------------------------------------------------------------------


def partner_pages(user: User) -> bool:
    """Partners see workshops on pages of their own (list, workshop, home panel), fed by
    selectors that hold names and attendance only."""
    return user.role == Role.PARTNER


def facilitates(user: User) -> bool:
    """Only advisers run sessions: the others have no facilitator panel."""
    return user.role == Role.ADVISER


def workshop_branches(user: User) -> QuerySet[Branch]:
    """The branches where the user may create workshops: those they direct."""
    if user.role == Role.DIRECTOR:
        return user.directed_branches.all()
    return Branch.objects.none()


def assignable_facilitators(branches: Any) -> QuerySet[User]:
    """Who may run a workshop of `branches` (branch ids or a queryset of branches): their
    active advisers, who then manage it."""
    return User.objects.filter(role=Role.ADVISER, branch__in=branches, is_active=True)


def assignable_partners(departments: Any) -> QuerySet[Partner]:
    """The partner organisations of the directory of `departments` (ids or a queryset)."""
    return Partner.objects.filter(department__in=departments)


def assignable_contributors(departments: Any) -> QuerySet[User]:
    """Who may be named a contributor (and so record attendance and read names): active
    partner accounts of the organisations of `departments` (ids or a queryset)."""
    return User.objects.filter(
        role=Role.PARTNER, partner__department__in=departments, is_active=True
    )


# --- Fetching for a view --------------------------------------------------------------------

T = TypeVar("T")


def _found(user: User, obj: T | None) -> T:
    """A missing id is a 404 for those who open workshop pages; the others get the answer
    every workshop page gives them (403 to administrators and secretaries), so that an id
    tells them nothing."""
    if obj is None:
        policy.require(user, "workshop.list")
        raise Http404
    return obj


def workshop_for(user: User, workshop_id: int, action: str) -> Workshop:
    """Fetch a workshop and `require` the action on it: 404 to those for whom it does not
    exist (a partner asking for a page that is not a partner's included), 403 to those who
    may see it but not do this."""
    workshop = Workshop.objects.select_related("branch").filter(pk=workshop_id).first()
    workshop = _found(user, workshop)
    policy.require(user, action, workshop)
    return workshop


def session_for(user: User, session_id: int, action: str) -> Session:
    """Fetch a session and `require` the action on its workshop."""
    session = Session.objects.select_related("workshop__branch").filter(pk=session_id).first()
    session = _found(user, session)
    policy.require(user, action, session.workshop)
    return session


def enrolment_for(user: User, enrollment_id: int, action: str) -> Enrollment:
    """Fetch an enrolment and `require` the action on it."""
    enrollment = (
        Enrollment.objects.select_related("case__person", "case__branch", "workshop")
        .filter(pk=enrollment_id)
        .first()
    )
    enrollment = _found(user, enrollment)
    policy.require(user, action, enrollment)
    return enrollment


_CASE_HEADER = ("person", "branch__department", "adviser", "intensity")


def attendance_for(user: User, attendance_id: int, action: str) -> Attendance:
    """Fetch an attendance (with its case, for the case header) and `require` the action."""
    attendance = (
        Attendance.objects.select_related(
            "enrollment__workshop",
            "session",
            *(f"enrollment__case__{name}" for name in _CASE_HEADER),
        )
        .filter(pk=attendance_id)
        .first()
    )
    attendance = _found(user, attendance)
    policy.require(user, action, attendance)
    return attendance


def case_to_enrol(user: User, case_id: int) -> Case:
    """Fetch a case whose person the user enrols from the case file (`workshop.enrol`)."""
    case = _found(user, Case.objects.select_related(*_CASE_HEADER).filter(pk=case_id).first())
    policy.require(user, "workshop.enrol", case)
    return case


# --- Rules ----------------------------------------------------------------------------------


def _workshop_roles(user: User) -> Decision:
    """Workshop pages exist for advisers, directors and partners; administrators and
    secretaries are refused, clerks never see them."""
    if user.role in (Role.ADVISER, Role.DIRECTOR, Role.PARTNER):
        return Decision.ALLOWED
    if user.role in (Role.ADMIN, Role.SECRETARY):
        return Decision.FORBIDDEN
    return Decision.HIDDEN


def _staff(user: User) -> Decision:
    """Pages about enrolments and cases: the workshop roles but partners (404)."""
    decision = _workshop_roles(user)
    if decision == Decision.ALLOWED and user.role == Role.PARTNER:
        return Decision.HIDDEN
    return decision


def _on_workshop(user: User, workshop: Workshop, needed: WorkshopAccess) -> Decision:
    """At least `needed` on the workshop. A partner only ever gets the partner pages: any
    other page of a workshop they contribute to does not exist for them."""
    decision = _workshop_roles(user)
    if decision != Decision.ALLOWED:
        return decision
    access = workshop_access(user, workshop)
    if access == WorkshopAccess.NONE:
        return Decision.HIDDEN
    if access == WorkshopAccess.PARTNER:
        return Decision.ALLOWED if needed == WorkshopAccess.PARTNER else Decision.HIDDEN
    return Decision.ALLOWED if access >= needed else Decision.FORBIDDEN


@rule("workshop.list")
def _workshop_list(user: User, obj: Any) -> Decision:
    return _workshop_roles(user)


@rule("workshop.create")
def _workshop_create(user: User, branch: Branch | None) -> Decision:
    """Directors, at a branch they direct (without one: at any)."""
    decision = _staff(user)
    if decision != Decision.ALLOWED:
        return decision
    if user.role != Role.DIRECTOR:
        return Decision.FORBIDDEN
    if branch is None or user.directed_branches.filter(pk=branch.pk).exists():
        return Decision.ALLOWED
    return Decision.FORBIDDEN


@rule("workshop.view")
def _workshop_view(user: User, workshop: Workshop) -> Decision:
    return _on_workshop(user, workshop, WorkshopAccess.PARTNER)


@rule("workshop.manage")
def _workshop_manage(user: User, workshop: Workshop) -> Decision:
    return _on_workshop(user, workshop, WorkshopAccess.MANAGE)


@rule("workshop.edit")
def _workshop_edit(user: User, workshop: Workshop) -> Decision:
    """Facilitators run the sessions; the workshop itself is its directors' decision."""
    decision = _on_workshop(user, workshop, WorkshopAccess.MANAGE)
    if decision == Decision.ALLOWED and user.role != Role.DIRECTOR:
        return Decision.FORBIDDEN
    return decision


@rule("workshop.attendance")
def _workshop_attendance(user: User, workshop: Workshop) -> Decision:
    decision = _on_workshop(user, workshop, WorkshopAccess.PARTNER)
    if decision != Decision.ALLOWED:
        return decision
    if workshop_access(user, workshop) in (WorkshopAccess.MANAGE, WorkshopAccess.PARTNER):
        return Decision.ALLOWED
    return Decision.FORBIDDEN


def _enrolment_seen(user: User, enrollment: Enrollment) -> Decision:
    """An enrolment exists for staff who may see its case or who run its workshop."""
    decision = _staff(user)
    if decision != Decision.ALLOWED:
        return decision
    if access_of(user, enrollment.case) == Access.NONE and (
        workshop_access(user, enrollment.workshop) != WorkshopAccess.MANAGE
    ):
        return Decision.HIDDEN
    return Decision.ALLOWED


def _enrolment_of_own_case(user: User, enrollment: Enrollment) -> Decision:
    """Those who may change the enrolment's case; 403 to the others who see it."""
    decision = _enrolment_seen(user, enrollment)
    if decision != Decision.ALLOWED:
        return decision
    return (
        Decision.ALLOWED if access_of(user, enrollment.case) >= Access.WRITE else Decision.FORBIDDEN
    )


@rule("workshop.enrol")
def _workshop_enrol(user: User, obj: Workshop | Case | Enrollment) -> Decision:
    """In a workshop: the staff who may open it. From a case file (obj: the case): those who
    may change the case. Confirming a proposal (obj: the enrolment): those who may change
    its case."""
    if isinstance(obj, Case):
        decision = _staff(user)
        return decision if decision != Decision.ALLOWED else policy.decide(user, "case.edit", obj)
    if isinstance(obj, Enrollment):
        return _enrolment_of_own_case(user, obj)
    return _on_workshop(user, obj, WorkshopAccess.READ)


@rule("workshop.withdraw")
def _workshop_withdraw(user: User, enrollment: Enrollment) -> Decision:
    decision = _enrolment_seen(user, enrollment)
    if decision != Decision.ALLOWED:
        return decision
    case_access = access_of(user, enrollment.case)
    if case_access >= Access.WRITE:
        return Decision.ALLOWED
    access = workshop_access(user, enrollment.workshop)
    if access == WorkshopAccess.MANAGE:
        return Decision.ALLOWED
    if access == WorkshopAccess.NONE:
        return Decision.HIDDEN
    return Decision.FORBIDDEN


@rule("workshop.attestation")
def _workshop_attestation(user: User, enrollment: Enrollment) -> Decision:
    return _enrolment_of_own_case(user, enrollment)


@rule("workshop.absence_incident")
def _workshop_absence_incident(user: User, attendance: Attendance) -> Decision:
    decision = _staff(user)
    if decision != Decision.ALLOWED:
        return decision
    return policy.decide(user, "case.edit", attendance.enrollment.case)
