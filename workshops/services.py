"""Every change to workshops: one transaction each, with its access-log entry.

Capacity is enforced by locking the workshop row (`SELECT ... FOR UPDATE`) before counting
the places taken: two advisers enrolling the last place at the same moment are served one
after the other, so one gets the place and the other a place in the queue. A freed place
goes to the first person waiting, whose adviser is told. Completion (the attendance rule
met) happens once, under a lock on the enrolment: it records the compliant proof on the
obligation the enrolment fulfils and queues the attestation, after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, Incident, Obligation
from cases.policy import Access, case_access
from spip import policy
from spip.exceptions import NotAllowed, SpipError
from spip.models import AccessLog, Branch, Partner, Role, User
from spip.queueing import queue_on_commit
from spip.services import access_log_record, notification_send
from spip.versioning import check_version, lock_row, save_new_version
from workshops import selectors
from workshops.models import Attendance, Enrollment, Session, Workshop
from workshops.policy import (
    assignable_contributors,
    assignable_facilitators,
    assignable_partners,
)

TAKEN = (Enrollment.Status.ENROLLED, Enrollment.Status.COMPLETED)


def _check_people(
    branch_id: int,
    facilitators: Sequence[User],
    partners: Sequence[Partner],
    contributors: Sequence[User],
) -> None:
    """The people named are among those the policy lets the branch name."""
    if not _all_among(facilitators, assignable_facilitators([branch_id])):
        raise SpipError(_("Facilitators are advisers of the branch."), field="facilitators")
    departments = Branch.objects.filter(pk=branch_id).values("department")
    if not _all_among(partners, assignable_partners(departments)):
        raise SpipError(_("Choose partners from this SPIP's directory."), field="partners")
    partner_ids = {partner.pk for partner in partners}
    if any(user.partner_id not in partner_ids for user in contributors) or not _all_among(
        contributors, assignable_contributors(departments)
    ):
        raise SpipError(
            _("Contributors belong to one of the workshop's partner organisations."),
            field="contributors",
        )


def _all_among(chosen: Sequence[Any], allowed: QuerySet[Any]) -> bool:
    ids = {item.pk for item in chosen}
    return not ids or allowed.filter(pk__in=ids).count() == len(ids)


def _checked_course_kind(kind: str, course_kind: str, min_sessions: int) -> str:
    """The course kind to store (a CP 131-5-1 course needs one; other workshops none)."""
    if kind == Workshop.Kind.COURSE and not course_kind:
        raise SpipError(_("Choose the kind of course (CP 131-5-1)."), field="course_kind")
    if min_sessions < 1:
        raise SpipError(_("At least one session must be attended."), field="min_sessions")
    return course_kind if kind == Workshop.Kind.COURSE else ""


@transaction.atomic
def workshop_create(
    *,
    acting_user: User,
    branch_id: int,
    title: str,
    kind: str,
    theme: str,
    capacity: int,
    min_sessions: int,
    course_kind: str = "",
    description: str = "",
    facilitators: Sequence[User] = (),
    partners: Sequence[Partner] = (),
    contributors: Sequence[User] = (),
) -> Workshop:
    """Create a workshop of a branch the acting director directs, with its facilitators
    (advisers of the branch) and partner contributors (users of its partner organisations)."""
    branch = Branch.objects.filter(pk=branch_id).first()
    if branch is None:
        raise NotAllowed()
    policy.check(acting_user, "workshop.create", branch)
    course_kind = _checked_course_kind(kind, course_kind, min_sessions)
    if capacity < 1:
        raise SpipError(_("A workshop has at least one place."), field="capacity")
    _check_people(branch_id, facilitators, partners, contributors)
    workshop = Workshop.objects.create(
        branch_id=branch_id,
        title=title,
        kind=kind,
        course_kind=course_kind,
        theme=theme,
        description=description,
        capacity=capacity,
        min_sessions=min_sessions,
        created_by=acting_user,
    )
    workshop.facilitators.set(facilitators)
    workshop.partners.set(partners)
    workshop.contributors.set(contributors)
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=workshop)
    return workshop


@transaction.atomic
def workshop_update(
    *,
    acting_user: User,
    workshop: Workshop,
    version: int,
    title: str,
    kind: str,
    theme: str,
    capacity: int,
    min_sessions: int,
    status: str,
    course_kind: str = "",
    description: str = "",
    facilitators: Sequence[User] = (),
    partners: Sequence[Partner] = (),
    contributors: Sequence[User] = (),
) -> Workshop:
    """Change a workshop (its branch's directors), unless someone else saved it since it
    was read at `version`. Places never drop below the people already enrolled; places
    added to an open workshop go to the people waiting, first come first served."""
    policy.check(acting_user, "workshop.edit", workshop)
    locked = lock_row(workshop)
    typed = {
        "title": title,
        "theme": theme,
        "capacity": capacity,
        "min_sessions": min_sessions,
        "status": status,
    }
    check_version(locked, version=version, typed=typed)
    course_kind = _checked_course_kind(kind, course_kind, min_sessions)
    lowered_rule = min_sessions < locked.min_sessions
    taken = _places_taken(locked)
    if capacity < max(taken, 1):
        raise SpipError(
            _("%(taken)s people already hold a place: the workshop cannot have fewer places.")
            % {"taken": taken},
            field="capacity",
        )
    if status not in Workshop.Status.values:
        raise SpipError(_("Choose a status."), field="status")
    _check_people(locked.branch_id, facilitators, partners, contributors)
    changes = {
        "title": title,
        "kind": kind,
        "course_kind": course_kind,
        "theme": theme,
        "description": description,
        "capacity": capacity,
        "min_sessions": min_sessions,
        "status": status,
    }
    save_new_version(locked, changes=changes)
    locked.facilitators.set(facilitators)
    locked.partners.set(partners)
    locked.contributors.set(contributors)
    policy.forget()  # who manages the workshop, or contributes to it, may have changed
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=locked)
    if lowered_rule:
        _complete_those_meeting_the_rule(acting_user, locked)
    if locked.status == Workshop.Status.OPEN:
        _promote(acting_user, locked)
    return locked


def _complete_those_meeting_the_rule(acting_user: User, workshop: Workshop) -> None:
    """Fewer sessions are now required: complete the enrolments that meet the rule (the
    caller holds the workshop lock; each enrolment is locked as attendance does)."""
    for enrollment in (
        Enrollment.objects.select_for_update()
        .filter(workshop=workshop, status=Enrollment.Status.ENROLLED)
        .order_by("pk")
    ):
        if selectors.attended_sessions(enrollment) >= workshop.min_sessions:
            enrollment.workshop = workshop
            _complete(acting_user, enrollment, selectors.last_attended(enrollment))


@transaction.atomic
def session_add(
    *,
    acting_user: User,
    workshop: Workshop,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    topic: str,
    catch_up_of: Session | None = None,
) -> Session:
    """Add a session to a workshop (its directors and facilitators); a catch-up session
    names the earlier session of the same workshop it makes up for."""
    policy.check(acting_user, "workshop.manage", workshop)
    if ends_at <= starts_at:
        raise SpipError(_("A session ends after it starts."), field="ends_at")
    if (ends_at - starts_at).days >= 1:
        raise SpipError(_("A session lasts less than a day."), field="ends_at")
    if catch_up_of is not None:
        if catch_up_of.workshop_id != workshop.pk:
            raise SpipError(_("Choose a session of this workshop."), field="catch_up_of")
        if catch_up_of.starts_at >= starts_at:
            raise SpipError(
                _("A catch-up session comes after the session it makes up for."),
                field="starts_at",
            )
    session = Session.objects.create(
        workshop=workshop,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        topic=topic,
        catch_up_of=catch_up_of,
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=session)
    return session


def _places_taken(workshop: Workshop) -> int:
    return Enrollment.objects.filter(workshop=workshop, status__in=TAKEN).count()


@transaction.atomic
def enrollment_create(
    *,
    acting_user: User,
    workshop: Workshop,
    case: Case,
    obligation: Obligation | None = None,
    propose_only: bool = False,
) -> Enrollment:
    """Enrol the person of a case the acting user follows (write access) in a workshop of
    the case's branch: enrolled while places remain, waitlisted once they are all taken.

    The workshop row is locked first, so that concurrent enrolments are counted one after
    the other and the workshop is never overbooked. `propose_only` records a proposal that
    takes no place until it is confirmed. The obligation, if given, is one of the case's,
    and gets a compliant proof when the person completes the workshop.
    """
    policy.check(acting_user, "workshop.enrol", case)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _refuse_closed(case)
    _refuse_excluded_facilitators(workshop, case)
    if workshop.branch_id != case.branch_id:
        raise SpipError(_("This workshop is run by another branch."), field="workshop")
    if workshop.status != Workshop.Status.OPEN:
        raise SpipError(_("This workshop is not open for enrolment."), field="workshop")
    if obligation is not None and obligation.measure.case_id != case.pk:
        raise SpipError(_("This obligation belongs to another case."), field="obligation")
    if Enrollment.objects.filter(
        workshop=workshop, case=case, status__in=[*TAKEN, "proposed", "waitlisted"]
    ).exists():
        raise SpipError(_("This person is already enrolled in this workshop."), field="workshop")
    if propose_only:
        status = Enrollment.Status.PROPOSED
    elif _places_taken(workshop) < workshop.capacity:
        status = Enrollment.Status.ENROLLED
    else:
        status = Enrollment.Status.WAITLISTED
    waiting = status == Enrollment.Status.WAITLISTED
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                workshop=workshop,
                case=case,
                obligation=obligation,
                status=status,
                enrolled_by=acting_user,
                waitlisted_at=timezone.now() if waiting else None,
            )
    except IntegrityError:
        raise SpipError(
            _("This person is already enrolled in this workshop."), field="workshop"
        ) from None
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=enrollment)
    return enrollment


def _refuse_closed(case: Case) -> None:
    """A closed case enrols nobody (read again: it may have closed since it was fetched)."""
    if Case.objects.filter(pk=case.pk, closed_on__isnull=False).exists():
        raise SpipError(_("This case is closed: its person cannot be enrolled."))


def _refuse_excluded_facilitators(workshop: Workshop, case: Case) -> None:
    """Nobody excluded from a case runs the sessions its person attends."""
    if workshop.facilitators.filter(pk__in=case.excluded_staff.values("pk")).exists():
        raise SpipError(
            _("Someone who runs this workshop is excluded from this case: choose another one."),
            field="workshop",
        )


@transaction.atomic
def enrollment_confirm(*, acting_user: User, enrollment: Enrollment) -> Enrollment:
    """Turn a proposal into an enrolment (or a place in the queue, when the workshop is
    full), with the same lock as a new enrolment."""
    policy.check(acting_user, "workshop.enrol", enrollment)
    workshop = Workshop.objects.select_for_update().get(pk=enrollment.workshop_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.PROPOSED:
        raise SpipError(_("Only a proposal can be confirmed."))
    _refuse_closed(enrollment.case)
    _refuse_excluded_facilitators(workshop, enrollment.case)
    if workshop.status != Workshop.Status.OPEN:
        raise SpipError(_("This workshop is not open for enrolment."))
    if _places_taken(workshop) >= workshop.capacity:
        # At the end of the queue: its turn comes from now, not from when it was proposed.
        enrollment.status = Enrollment.Status.WAITLISTED
        enrollment.waitlisted_at = timezone.now()
    else:
        enrollment.status = Enrollment.Status.ENROLLED
    enrollment.save(update_fields=["status", "waitlisted_at"])
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=enrollment)
    return enrollment


@transaction.atomic
def enrollment_drop(*, acting_user: User, enrollment: Enrollment, reason: str) -> Enrollment:
    """Take a person out of a workshop, with the reason (their adviser, or the workshop's
    directors and facilitators). A freed place goes to the first person waiting."""
    workshop = Workshop.objects.select_for_update().get(pk=enrollment.workshop_id)
    policy.check(acting_user, "workshop.withdraw", enrollment)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status in (Enrollment.Status.DROPPED, Enrollment.Status.COMPLETED):
        raise SpipError(_("This enrolment is already over."))
    if not reason.strip():
        raise SpipError(_("Give the reason."), field="reason")
    freed = enrollment.status == Enrollment.Status.ENROLLED
    enrollment.status = Enrollment.Status.DROPPED
    enrollment.reason = reason.strip()
    enrollment.save(update_fields=["status", "reason"])
    access_log_record(
        acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=enrollment, reason=reason
    )
    if freed:
        _promote(acting_user, workshop)
    return enrollment


UNFINISHED = (Enrollment.Status.PROPOSED, Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED)


def _withdraw(acting_user: User, enrollments: QuerySet[Enrollment], reason: str) -> None:
    """Drop these enrolments (those not over yet), with the reason; each workshop where a
    place is freed gives it to the people waiting. Workshops are locked in id order, as
    every enrolment change locks its workshop first."""
    enrollments = enrollments.filter(status__in=UNFINISHED)
    workshop_ids = set(enrollments.values_list("workshop_id", flat=True))
    for workshop in Workshop.objects.select_for_update().filter(pk__in=workshop_ids).order_by("pk"):
        freed = False
        for enrollment in enrollments.select_for_update().filter(workshop=workshop):
            freed = freed or enrollment.status == Enrollment.Status.ENROLLED
            enrollment.status = Enrollment.Status.DROPPED
            enrollment.reason = reason
            enrollment.save(update_fields=["status", "reason"])
            access_log_record(
                acting_user=acting_user,
                action=AccessLog.Action.CHANGE,
                obj=enrollment,
                reason=reason,
            )
        if freed:
            _promote(acting_user, workshop)


def withdraw_on_transfer(case: Case, acting_user: User) -> None:
    """Transfer hook (`cases.extensions`): the person leaves the workshops of branches
    other than the case's new one; the places freed go to the people waiting."""
    _withdraw(
        acting_user,
        Enrollment.objects.filter(case=case).exclude(workshop__branch_id=case.branch_id),
        _("case transferred"),
    )


def withdraw_on_close(case: Case, acting_user: User) -> None:
    """Close hook (`cases.extensions`): the person of a closed case leaves the workshops
    they were still proposed, enrolled or waiting for."""
    _withdraw(acting_user, Enrollment.objects.filter(case=case), _("case closed"))


def _told_of_promotion(enrollment: Enrollment, workshop: Workshop) -> list[User]:
    """Who hears that a waiting person got a place: the case's adviser; without one (or an
    inactive one), whoever enrolled the person if they may still see the case; failing
    that, the directors of the workshop's branch (none excluded from the case)."""
    case = enrollment.case
    adviser = case.adviser
    if adviser is not None and adviser.is_active:
        return [adviser]
    enrolled_by = enrollment.enrolled_by
    if case_access(enrolled_by, case) >= Access.READ_WITH_REASON:
        return [enrolled_by]
    return list(
        User.objects.filter(
            role=Role.DIRECTOR, directed_branches=workshop.branch_id, is_active=True
        ).exclude(pk__in=case.excluded_staff.values("pk"))
    )


def _promote(acting_user: User, workshop: Workshop) -> Enrollment | None:
    """Give free places to the people waiting, first on the waiting list first served;
    tell their advisers (see `_told_of_promotion`). The caller holds the workshop lock."""
    promoted = None
    while _places_taken(workshop) < workshop.capacity:
        waiting = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("case__adviser", "enrolled_by")
            .filter(workshop=workshop, status=Enrollment.Status.WAITLISTED)
            .order_by("waitlisted_at", "id")
            .first()
        )
        if waiting is None:
            break
        waiting.status = Enrollment.Status.ENROLLED
        waiting.save(update_fields=["status"])
        access_log_record(
            acting_user=acting_user,
            action=AccessLog.Action.CHANGE,
            obj=waiting,
            reason=_("place freed in the workshop"),
        )
        for recipient in _told_of_promotion(waiting, workshop):
            notification_send(
                recipient=recipient,
                message=_(
                    "A place was freed in the workshop “%(workshop)s”: case %(number)s moves "
                    "from the waiting list to the enrolled people."
                )
                % {"workshop": workshop.title, "number": waiting.case.number},
                link=f"/workshops/{workshop.pk}/",
            )
        promoted = waiting
    return promoted


@transaction.atomic
def attendance_record(
    *, acting_user: User, session: Session, enrollment: Enrollment, status: str
) -> Attendance:
    """Record (or correct) whether an enrolled person came to a session: the workshop's
    directors, facilitators and partner contributors. When the person has now attended the
    sessions the workshop requires, the enrolment completes (see `_complete`)."""
    workshop = session.workshop
    policy.check(acting_user, "workshop.attendance", workshop)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.workshop_id != workshop.pk:
        raise SpipError(_("This person is not enrolled in this workshop."))
    if enrollment.status not in TAKEN:
        raise SpipError(_("Only enrolled people have their attendance recorded."))
    if status not in Attendance.Status.values:
        raise SpipError(_("Choose an attendance."), field="status")
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        raise SpipError(_("Attendance is recorded once the session has begun."))
    # Locked, so that an absence being turned into an incident meanwhile is seen settled.
    attendance = (
        Attendance.objects.select_for_update()
        .filter(session=session, enrollment=enrollment)
        .first()
    )
    if attendance is None:
        attendance = Attendance.objects.create(
            session=session, enrollment=enrollment, status=status, recorded_by=acting_user
        )
        action = AccessLog.Action.CREATE
    else:
        if attendance.incident_id and status != attendance.status:
            # Said without naming the incident: the partners who record attendance see
            # nothing of the case.
            raise SpipError(_("This attendance is settled and can no longer change."))
        attendance.status = status
        attendance.recorded_by = acting_user
        attendance.save(update_fields=["status", "recorded_by"])
        action = AccessLog.Action.CHANGE
    access_log_record(acting_user=acting_user, action=action, obj=attendance)
    if enrollment.status == Enrollment.Status.ENROLLED:
        attended = selectors.attended_sessions(enrollment)
        if attended >= workshop.min_sessions:
            _complete(acting_user, enrollment, selectors.last_attended(enrollment))
    return attendance


def _complete(acting_user: User, enrollment: Enrollment, when: datetime) -> None:
    """The attendance rule is met: the enrolment completes, once (the caller holds its
    lock and checked it was not complete), on the Paris date of `when`, the start of the
    latest session attended. Where it fulfils an obligation, a compliant proof received
    that day is recorded on it; the attestation is rendered after commit."""
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.completed_on = timezone.localtime(when).date()
    fields = ["status", "completed_on"]
    if enrollment.obligation is not None:
        enrollment.proof = case_services.proof_record_on_completion(
            acting_user=acting_user,
            obligation=enrollment.obligation,
            received_on=enrollment.completed_on,
            note=_("Attestation of attendance: %(workshop)s") % {"workshop": enrollment.workshop},
        )
        fields.append("proof")
    enrollment.save(update_fields=fields)
    access_log_record(
        acting_user=acting_user,
        action=AccessLog.Action.CHANGE,
        obj=enrollment,
        reason=_("attendance rule met"),
    )
    queue_on_commit("workshops.tasks.render_attestation", enrollment.pk)


@transaction.atomic
def absence_to_incident(
    *,
    acting_user: User,
    attendance: Attendance,
    response: str,
    description: str,
    occurred_on: date | None = None,
) -> Incident:
    """The person's adviser judges an absence to be a breach: it becomes an incident on the
    measure of the obligation the enrolment fulfils (or the case's current measure)."""
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    enrollment = attendance.enrollment
    case = enrollment.case
    policy.check(acting_user, "workshop.absence_incident", attendance)
    if attendance.status != Attendance.Status.ABSENT:
        raise SpipError(_("Only an unexcused absence can become an incident."))
    if attendance.incident_id:
        raise SpipError(_("This absence is already an incident."))
    obligation = enrollment.obligation
    measure = obligation.measure if obligation else case.measures.order_by("-start_date").first()
    if measure is None:
        raise SpipError(_("This case has no measure to record an incident on."))
    day = occurred_on or timezone.localtime(attendance.session.starts_at).date()
    incident = case_services.incident_record(
        acting_user=acting_user,
        measure=measure,
        occurred_on=day,
        description=description,
        response=response,
        obligation=obligation,
    )
    attendance.incident = incident
    attendance.save(update_fields=["incident"])
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=attendance)
    return incident


def attestation_render(*, enrollment_id: int) -> bool:
    """Render and store the attestation of a completed enrolment; attach it to the proof
    recorded on completion. Idempotent: does nothing when the attestation exists already
    (returns whether it rendered one). Called by the task, or by the download view when
    the worker has not run yet."""
    from django.core.files.base import ContentFile

    from workshops.selectors import attestation_context

    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("workshop__branch__department", "case__person", "proof")
            .filter(pk=enrollment_id, status=Enrollment.Status.COMPLETED)
            .first()
        )
        if enrollment is None or enrollment.attestation:
            return False
        from django.utils import translation

        from spip.pdf import render_pdf

        with translation.override("fr"):  # a document of the French service, whoever asks
            data = render_pdf("workshops/attestation.html", attestation_context(enrollment))
        enrollment.attestation.save("attestation.pdf", ContentFile(data), save=False)
        enrollment.save(update_fields=["attestation"])
        proof = enrollment.proof
        if proof is not None and not proof.file:
            proof.file_type = "application/pdf"  # names the stored file's extension
            proof.file.save("attestation.pdf", ContentFile(data), save=False)
            proof.save(update_fields=["file", "file_type"])
    return True


def attestation_download(*, acting_user: User, enrollment: Enrollment) -> None:
    access_log_record(acting_user=acting_user, action=AccessLog.Action.DOWNLOAD, obj=enrollment)


def short_date(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")
