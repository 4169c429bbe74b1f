"""Every change to a case file: one transaction each, with its access-log entry.

Each function takes the acting user and keyword-only arguments, checks access through
`cases.policy`, validates the domain rules (`cases.legal` for legal bounds), saves, grants or
revokes per-case permissions, and writes the access log. Domain errors are `SpipError`s
with translated messages; the views show them next to the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Field, Max, Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import legal
from cases.allocation import running_measures
from cases.extensions import case_changed, case_closed, case_transferred
from cases.files import proof_file_type
from cases.models import (
    Assessment,
    Case,
    CaseUserObjectPermission,
    Incident,
    IntensityLevel,
    Measure,
    MeasureEvent,
    Obligation,
    ObligationType,
    Person,
    Proof,
    Transfer,
    WorkHours,
    WorkPlacement,
)
from cases.policy import GRANT, default_adviser, is_adviser, own_cases, works_as_adviser_at
from cases.reference import CONTROL_CODES
from spip import policy
from spip.exceptions import DomainErrors, NotAllowed, SpipError
from spip.models import AccessLog, Branch, Partner, Role, User
from spip.services import access_log_record, notification_send
from spip.versioning import update_versioned

PERSON_FIELDS = (
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "aliases",
    "address",
    "phone",
    "email",
    "sms_opt_out",
)


def person_find_duplicates(
    *, birth_date: date, birth_name: str, usage_name: str = ""
) -> QuerySet[Person]:
    """People born the same day whose name matches, ignoring accents and case: at intake,
    they are proposed instead of creating the same person twice."""
    names = [name for name in (birth_name, usage_name) if name.strip()]
    match = Q()
    for name in names:
        match |= Q(birth_name__unaccent__iexact=name.strip())
        match |= Q(usage_name__unaccent__iexact=name.strip())
    return Person.objects.filter(match, birth_date=birth_date).order_by("id")


def _next_case_number(opened_on: date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_number_seq')")
        (number,) = cursor.fetchone()
    return f"{opened_on.year}-{number:06d}"


def _grant_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename=GRANT)


def _grant(case: Case, user: User, *, until: date | None = None) -> None:
    permission = _grant_permission()
    CaseUserObjectPermission.objects.update_or_create(
        content_object=case, user=user, permission=permission, defaults={"valid_until": until}
    )
    policy.forget()  # a page rendered after the grant in this request sees it


def _revoke(case: Case, user: User) -> None:
    CaseUserObjectPermission.objects.filter(
        content_object=case, user=user, permission__codename=GRANT
    ).delete()
    policy.forget()


@transaction.atomic
def case_open(
    *,
    acting_user: User,
    branch: Branch,
    opened_on: date,
    intensity: IntensityLevel,
    intensity_reason: str,
    adviser: User | None = None,
    person: Person | None = None,
    person_data: dict[str, Any] | None = None,
    intensity_review_on: date | None = None,
    confirmed_distinct: bool = False,
) -> Case:
    """Open a case at a branch, for an existing person or a new one (intake).

    A new person whose birth date and name match someone already known is refused, so that
    the caller proposes the existing person instead; pass `person` to use them, or
    `confirmed_distinct` once the user has said it is someone else. The adviser, when
    given, must work at the branch and is granted the case.
    """
    policy.check(acting_user, "case.open", branch)
    if adviser is None:
        adviser = default_adviser(acting_user)
    if adviser is not None and not works_as_adviser_at(adviser, branch.pk):
        raise SpipError(_("The adviser must work at this branch."), field="adviser")
    if person is not None and not policy.visible(acting_user, Case).filter(person=person).exists():
        raise NotAllowed()
    if person is None:
        if not person_data:
            raise SpipError(_("Choose a person or enter their identity."), field="person")
        if (
            not confirmed_distinct
            and person_find_duplicates(
                birth_date=person_data["birth_date"],
                birth_name=person_data["birth_name"],
                usage_name=person_data.get("usage_name", ""),
            ).exists()
        ):
            raise SpipError(
                _(
                    "A person with this name and birth date is already followed: check with your "
                    "director before opening a new case."
                ),
                field="birth_name",
            )
        person = Person.objects.create(
            **{key: person_data[key] for key in PERSON_FIELDS if key in person_data}
        )
        access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=person)
    case = Case.objects.create(
        number=_next_case_number(opened_on),
        person=person,
        branch=branch,
        adviser=adviser,
        environment=branch.environment,
        opened_on=opened_on,
        intensity=intensity,
        intensity_reason=intensity_reason,
        intensity_review_on=intensity_review_on,
    )
    if adviser is not None:
        _grant(case, adviser)
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=case)
    case_changed.send(case.pk)
    return case


@transaction.atomic
def case_assign(*, acting_user: User, case: Case, adviser: User, reason: str) -> Case:
    """Give the case to another adviser of its branch (affectation): the new adviser is
    granted the case, the previous one loses it at their next request, both are told."""
    policy.check(acting_user, "case.assign", case)
    if not works_as_adviser_at(adviser, case.branch_id):
        raise SpipError(_("The adviser must work at this case's branch."), field="adviser")
    if not adviser.is_active:
        raise SpipError(_("This account is deactivated."), field="adviser")
    if case.excluded_staff.filter(pk=adviser.pk).exists():
        raise SpipError(_("This adviser is excluded from the case."), field="adviser")
    if not reason.strip():
        raise SpipError(_("Give the reason for this assignment."), field="reason")
    previous = case.adviser
    if previous == adviser:
        raise SpipError(_("This adviser already follows the case."), field="adviser")
    if previous is not None:
        _revoke(case, previous)
        notification_send(
            recipient=previous,
            message=_("Case %(number)s has been assigned to a colleague.")
            % {"number": case.number},
        )
    _grant(case, adviser)
    case.adviser = adviser
    case.version += 1
    case.save(update_fields=["adviser", "version"])
    notification_send(
        recipient=adviser,
        message=_("Case %(number)s has been assigned to you.") % {"number": case.number},
        link=f"/cases/{case.pk}/",
    )
    access_log_record(
        acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=case, reason=reason
    )
    return case


@transaction.atomic
def case_restrict(
    *,
    acting_user: User,
    case: Case,
    restricted: bool,
    excluded_staff: Sequence[User] = (),
    reason: str,
) -> Case:
    """Restrict a sensitive case to its adviser and directors (allow-list) and exclude named
    staff (deny-list); both take effect at the next request. Directors only."""
    policy.check(acting_user, "case.restrict", case)
    if not reason.strip():
        raise SpipError(_("Give the reason for this restriction."), field="reason")
    if any(user.pk == case.adviser_id for user in excluded_staff):
        raise SpipError(_("The case's own adviser cannot be excluded."), field="excluded_staff")
    if any(user.pk == acting_user.pk for user in excluded_staff):
        raise SpipError(_("You cannot exclude yourself."), field="excluded_staff")
    case.restricted = restricted
    case.version += 1
    case.save(update_fields=["restricted", "version"])
    case.excluded_staff.set(excluded_staff)
    policy.forget()
    access_log_record(
        acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=case, reason=reason
    )
    return case


@transaction.atomic
def case_transfer(*, acting_user: User, case: Case, to_branch: Branch, reason: str) -> Transfer:
    """Move a case to another branch (dessaisissement). Every grant of the old branch is
    revoked at once; the case waits, unassigned, for the receiving directors, who are told.
    Directors of the case's branch only."""
    policy.check(acting_user, "case.transfer", case)
    if to_branch.pk == case.branch_id:
        raise SpipError(_("The case is already at this branch."), field="to_branch")
    if not reason.strip():
        raise SpipError(_("Give the reason for the transfer."), field="reason")
    transfer = Transfer.objects.create(
        case=case,
        from_branch=case.branch,
        to_branch=to_branch,
        reason=reason,
        transferred_by=acting_user,
        transferred_on=timezone.localdate(),
    )
    CaseUserObjectPermission.objects.filter(content_object=case).delete()
    policy.forget()
    case.excluded_staff.clear()
    case.branch = to_branch
    case.adviser = None
    case.environment = to_branch.environment
    case.version += 1
    case.save(update_fields=["branch", "adviser", "environment", "version"])
    case_transferred(case, acting_user)
    for director in User.objects.filter(
        role=Role.DIRECTOR, directed_branches=to_branch, is_active=True
    ):
        notification_send(
            recipient=director,
            message=_("Case %(number)s has been transferred to your branch %(branch)s.")
            % {"number": case.number, "branch": to_branch.name},
            link=f"/cases/{case.pk}/",
        )
    access_log_record(
        acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=case, reason=reason
    )
    return transfer


def _terms_errors(terms: legal.MeasureTerms) -> None:
    errors = legal.validate_terms(terms)
    if errors:
        raise DomainErrors(errors)


@transaction.atomic
def measure_add(
    *, acting_user: User, case: Case, court_id: int, terms: legal.MeasureTerms
) -> Measure:
    """Add a court measure to a case within its legal bounds; the end date is computed, and
    the CP 132-44 control measures are attached to the kinds the law binds to them."""
    policy.check(acting_user, "case.edit", case)
    if terms.start_date is None or terms.decision_date is None:
        raise SpipError(_("The judgment and start dates are required."), field="start_date")
    _terms_errors(terms)
    used = COMMON_TERMS | legal.terms_fields(terms.kind)
    values = {
        name: value for name, value in vars(terms).items() if value is not None and name in used
    }
    measure = Measure(case=case, kind=terms.kind, court_id=court_id, **values)
    if measure.tig_hours is not None:
        measure.tig_hours = int(measure.tig_hours)
    measure.end_date = _end_date(terms, [])
    measure.status = _status(measure, [], timezone.localdate())
    # The constraints' rules were checked by legal.validate_terms, without a query each.
    measure.full_clean(exclude=["case", "court"], validate_constraints=False)
    measure.save()
    if terms.kind in legal.CONTROL_MEASURE_KINDS:
        Obligation.objects.bulk_create(
            Obligation(measure=measure, type=kind, imposed_on=terms.start_date, automatic=True)
            for kind in ObligationType.objects.filter(code__in=CONTROL_CODES)
        )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=measure)
    case_changed.send(measure.case_id)
    return measure


COMMON_TERMS = frozenset({"decision_date", "final_date", "start_date", "recidivism"})


def _end_date(terms: legal.MeasureTerms, events: Sequence[legal.Event]) -> date | None:
    try:
        return legal.compute_end_date(terms, events)
    except (OverflowError, ValueError):  # dates near year 9999: a typing error
        raise SpipError(_("These dates are out of range."), field="start_date") from None


def _events(measure: Measure) -> list[legal.Event]:
    return [legal.Event.from_obj(event) for event in measure.events.all()]


@transaction.atomic
def measure_event_record(
    *,
    acting_user: User,
    measure: Measure,
    kind: str,
    date: date,
    decision_reference: str,
    end_date: date | None = None,
    months: int | None = None,
    note: str = "",
) -> MeasureEvent:
    """Record a judge's decision on a measure (suspension, prolongation, revocation, early
    end...) and recompute its end date and status from all of its events."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    policy.check(acting_user, "case.edit", measure.case)
    terms = legal.MeasureTerms.from_obj(measure)
    events = _events(measure)
    new = legal.Event(
        kind=legal.EventKind(kind),
        date=date,
        end_date=end_date,
        months=months,
        decision_reference=decision_reference,
    )
    errors = legal.validate_event(terms, events, new)
    if errors:
        raise DomainErrors(errors)
    event = MeasureEvent.objects.create(
        measure=measure,
        kind=kind,
        date=date,
        end_date=end_date,
        months=months,
        decision_reference=decision_reference,
        note=note,
        recorded_by=acting_user,
    )
    _recompute(measure, [*events, new])
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=measure)
    case_changed.send(measure.case_id)
    return event


def _status(measure: Measure, events: Sequence[legal.Event], today: date) -> str:
    """A measure's status from its dates and the judge's decisions, as of `today`."""
    events = legal.closed_suspensions(events)
    kinds = {event.kind for event in events}
    if legal.EventKind.TOTAL_REVOCATION in kinds:
        return Measure.Status.REVOKED
    if legal.EventKind.EARLY_END in kinds or (measure.end_date and measure.end_date < today):
        return Measure.Status.ENDED
    if any(
        e.kind == legal.EventKind.SUSPENSION
        and e.date <= today
        and (e.end_date is None or e.end_date > today)
        for e in events
    ):
        return Measure.Status.SUSPENDED
    if measure.start_date > today:
        return Measure.Status.PENDING
    return Measure.Status.ACTIVE


def _recompute(measure: Measure, events: list[legal.Event]) -> None:
    terms = legal.MeasureTerms.from_obj(measure)
    measure.end_date = _end_date(terms, events)
    measure.status = _status(measure, events, timezone.localdate())
    measure.version += 1
    measure.save(update_fields=["end_date", "status", "version"])


@transaction.atomic
def obligation_add(
    *,
    acting_user: User,
    measure: Measure,
    type: ObligationType,
    imposed_on: date,
    details: str = "",
    check_interval_days: int | None = None,
) -> Obligation:
    """Attach an obligation or ban to a measure; the check interval defaults to the type's."""
    policy.check(acting_user, "case.edit", measure.case)
    if (type.valid_to and imposed_on > type.valid_to) or imposed_on < type.valid_from:
        raise SpipError(_("This obligation did not exist on that date."), field="type")
    if imposed_on < measure.decision_date:
        raise SpipError(_("An obligation cannot precede the judgment."), field="imposed_on")
    if imposed_on > timezone.localdate() + timedelta(days=366):
        raise SpipError(_("An obligation starts within a year."), field="imposed_on")
    obligation = Obligation.objects.create(
        measure=measure,
        type=type,
        imposed_on=imposed_on,
        details=details,
        check_interval_days=check_interval_days or type.default_check_interval_days,
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=obligation)
    case_changed.send(measure.case_id)
    return obligation


@transaction.atomic
def obligation_lift(
    *, acting_user: User, obligation: Obligation, lifted_on: date, reason: str
) -> Obligation:
    """Lift an obligation (JAP decision); control measures attached by law cannot be."""
    policy.check(acting_user, "case.edit", obligation.measure.case)
    if obligation.automatic:
        raise SpipError(_("Control measures apply by law and cannot be lifted."))
    if obligation.lifted_on:
        raise SpipError(_("This obligation is already lifted."))
    if lifted_on < obligation.imposed_on:
        raise SpipError(
            _("An obligation cannot be lifted before it is imposed."), field="lifted_on"
        )
    if not reason.strip():
        raise SpipError(_("Give the reason for lifting it."), field="reason")
    obligation.lifted_on = lifted_on
    obligation.lift_reason = reason
    obligation.version += 1
    obligation.save(update_fields=["lifted_on", "lift_reason", "version"])
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=obligation)
    case_changed.send(obligation.measure.case_id)
    return obligation


@transaction.atomic
def proof_record(
    *,
    acting_user: User,
    obligation: Obligation,
    received_on: date,
    compliant: bool,
    period_start: date | None = None,
    period_end: date | None = None,
    note: str = "",
    file: UploadedFile | None = None,
) -> Proof:
    """Record a proof (justificatif) brought for an obligation, with the adviser's verdict,
    and its file if any (PDF, JPEG or PNG up to 10 MB, type read from the content).
    A non-compliant proof flags a possible breach for the adviser to judge, nothing more."""
    policy.check(acting_user, "case.edit", obligation.measure.case)
    if received_on > timezone.localdate():
        raise SpipError(_("A proof cannot be received in the future."), field="received_on")
    if period_start and period_end and period_end < period_start:
        raise SpipError(_("The period covered must end after it starts."), field="period_end")
    file_type = proof_file_type(file) if file else ""
    proof = Proof(
        obligation=obligation,
        received_on=received_on,
        compliant=compliant,
        period_start=period_start,
        period_end=period_end,
        note=note,
        recorded_by=acting_user,
        file_type=file_type,
    )
    if file:
        # Saved under a generated name; if the transaction fails the row is not written.
        proof.file.save("proof", file, save=False)
    proof.save()
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=proof)
    case_changed.send(obligation.measure.case_id)
    return proof


@transaction.atomic
def work_placement_add(
    *,
    acting_user: User,
    measure: Measure,
    host: Partner,
    post: str,
    tutor: str,
    started_on: date,
) -> WorkPlacement:
    """Place a person sentenced to community work (TIG) with a host organisation."""
    policy.check(acting_user, "case.edit", measure.case)
    if measure.kind != legal.MeasureKind.TIG:
        raise SpipError(_("Only a community-work sentence has placements."))
    if host.department_id != measure.case.branch.department_id:
        raise SpipError(_("Choose a host from this SPIP's partner directory."), field="host")
    if started_on < measure.decision_date:
        raise SpipError(_("A placement cannot start before the judgment."), field="started_on")
    placement = WorkPlacement.objects.create(
        measure=measure, host=host, post=post, tutor=tutor, started_on=started_on
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=placement)
    return placement


@transaction.atomic
def work_hours_record(
    *, acting_user: User, placement: WorkPlacement, date: date, hours: Decimal
) -> WorkHours:
    """Record hours done at a placement; the total never exceeds the hours ordered. The
    measure row is locked so that two advisers recording at once cannot pass the total."""
    measure = Measure.objects.select_for_update().get(pk=placement.measure_id)
    policy.check(acting_user, "case.edit", measure.case)
    if date > timezone.localdate():
        raise SpipError(_("Hours cannot be recorded in advance."), field="date")
    if date < placement.started_on:
        raise SpipError(_("These hours predate the placement."), field="date")
    if not 0 < hours <= 24:
        raise SpipError(_("Hours done in one day are between 0 and 24."), field="hours")
    done = work_hours_done(measure)
    ordered = Decimal(measure.tig_hours or 0)
    if done + hours > ordered:
        raise SpipError(
            _("Only %(remaining)s of the %(ordered)s hours ordered remain to be done.")
            % {"remaining": _hours(ordered - done), "ordered": _hours(ordered)},
            field="hours",
        )
    entry = WorkHours.objects.create(
        placement=placement, date=date, hours=hours, validated_by=acting_user
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=entry)
    case_changed.send(measure.case_id)
    return entry


def work_hours_done(measure: Measure) -> Decimal:
    total = WorkHours.objects.filter(placement__measure=measure).aggregate(total=Sum("hours"))
    return total["total"] or Decimal(0)


def _hours(value: Decimal) -> str:
    return formats.number_format(value.normalize(), use_l10n=True)


@transaction.atomic
def incident_record(
    *,
    acting_user: User,
    measure: Measure,
    occurred_on: date,
    description: str,
    response: str,
    obligation: Obligation | None = None,
) -> Incident:
    """Record a breach (manquement) and the response chosen on the closed ladder."""
    policy.check(acting_user, "case.edit", measure.case)
    if obligation is not None and obligation.measure_id != measure.pk:
        raise SpipError(_("This obligation belongs to another measure."), field="obligation")
    if occurred_on > timezone.localdate():
        raise SpipError(_("An incident cannot be in the future."), field="occurred_on")
    if occurred_on < measure.decision_date:
        raise SpipError(_("An incident cannot precede the judgment."), field="occurred_on")
    incident = Incident.objects.create(
        measure=measure,
        obligation=obligation,
        occurred_on=occurred_on,
        description=description,
        response=response,
        recorded_by=acting_user,
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=incident)
    return incident


ASSESSMENT_FIELDS = (*Assessment.SPHERES, "review_on")


def _check_sphere_names(spheres: dict[str, Any]) -> None:
    unknown = set(spheres) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")


@transaction.atomic
def assessment_record(
    *, acting_user: User, case: Case, assessed_on: date, **spheres: Any
) -> Assessment:
    """Record a new assessment of the life spheres; earlier ones are kept as they were."""
    policy.check(acting_user, "case.edit", case)
    if assessed_on > timezone.localdate():
        raise SpipError(_("An assessment cannot be dated in the future."), field="assessed_on")
    review_on = spheres.get("review_on")
    if review_on and review_on <= assessed_on:
        raise SpipError(_("The review comes after the assessment."), field="review_on")
    _check_sphere_names(spheres)
    assessment = Assessment.objects.create(
        case=case, assessed_on=assessed_on, author=acting_user, **spheres
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=assessment)
    return assessment


def proof_file_download(*, acting_user: User, proof: Proof) -> None:
    """Log the download of a proof file (the view checks access first)."""
    access_log_record(acting_user=acting_user, action=AccessLog.Action.DOWNLOAD, obj=proof)


def measures_refresh_status(*, as_of: date) -> int:
    """Bring statuses in line with the calendar as of `as_of` (a Paris date): pending
    measures that have started become active, active ones past their end date end. Two
    set-based updates; suspensions, revocations and early ends are set by their events."""
    started = Measure.objects.filter(status=Measure.Status.PENDING, start_date__lte=as_of).update(
        status=Measure.Status.ACTIVE, version=F("version") + 1
    )
    ended = Measure.objects.filter(status=Measure.Status.ACTIVE, end_date__lt=as_of).update(
        status=Measure.Status.ENDED, version=F("version") + 1
    )
    return started + ended


@transaction.atomic
def case_update(
    *,
    acting_user: User,
    case: Case,
    version: int,
    intensity: IntensityLevel,
    intensity_reason: str,
    intensity_review_on: date | None,
) -> Case:
    """Change a case's follow-up intensity, its reason and review date; refused when someone
    else saved the case in the meantime."""
    policy.check(acting_user, "case.edit", case)
    case_changed.send(case.pk)
    case = update_versioned(
        case,
        version=version,
        changes={
            "intensity": intensity,
            "intensity_reason": intensity_reason,
            "intensity_review_on": intensity_review_on,
        },
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=case)
    return case


@transaction.atomic
def measure_update(
    *,
    acting_user: User,
    measure: Measure,
    version: int,
    court_id: int,
    terms: legal.MeasureTerms,
) -> Measure:
    """Correct what was recorded of a court decision (same kind), within the legal bounds;
    the end date and status are recomputed with the judge's later decisions. Refused when
    someone else saved the measure in the meantime."""
    policy.check(acting_user, "case.edit", measure.case)
    if terms.kind != measure.kind:
        raise SpipError(_("The kind of a measure cannot change: add a new measure."), field="kind")
    _terms_errors(terms)
    used = COMMON_TERMS | legal.terms_fields(terms.kind)
    changes: dict[str, Any] = {}
    for name, value in vars(terms).items():
        if name == "kind" or not hasattr(Measure, name):
            continue
        field = Measure._meta.get_field(name)
        assert isinstance(field, Field)  # a plain column of the measure, not a relation
        empty = None if field.null else field.get_default()
        changes[name] = value if name in used and value is not None else empty
    changes["tig_consent"] = bool(terms.tig_consent)
    if changes.get("tig_hours") is not None:
        changes["tig_hours"] = int(changes["tig_hours"])
    events = _events(measure)
    changes["end_date"] = _end_date(terms, events)
    draft = Measure(**{**changes, "start_date": terms.start_date})
    changes["status"] = _status(draft, events, timezone.localdate())
    changes["court_id"] = court_id
    case_changed.send(measure.case_id)
    measure = update_versioned(measure, version=version, changes=changes)
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=measure)
    return measure


@transaction.atomic
def obligation_update(
    *,
    acting_user: User,
    obligation: Obligation,
    version: int,
    details: str,
    check_interval_days: int | None,
) -> Obligation:
    """Change an obligation's details or check interval, unless someone else just did."""
    policy.check(acting_user, "case.edit", obligation.measure.case)
    case_changed.send(obligation.measure.case_id)
    obligation = update_versioned(
        obligation,
        version=version,
        changes={"details": details, "check_interval_days": check_interval_days},
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=obligation)
    return obligation


@transaction.atomic
def assessment_update(
    *, acting_user: User, assessment: Assessment, version: int, **spheres: Any
) -> Assessment:
    """Correct an assessment, unless someone else saved it in the meantime."""
    policy.check(acting_user, "case.edit", assessment.case)
    review_on = spheres.get("review_on")
    if review_on and review_on <= assessment.assessed_on:
        raise SpipError(_("The review comes after the assessment."), field="review_on")
    _check_sphere_names(spheres)
    assessment = update_versioned(assessment, version=version, changes=spheres)
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=assessment)
    return assessment


# --- Director's allocation page: substitutes for a leave, closing a case -------------------
# Appended while other sections of this module were being edited: its imports are here.


MAX_SUBSTITUTION_DAYS = 366


@transaction.atomic
def case_substitutes_set(
    *, acting_user: User, absent: User, substitute: User, until: date, reason: str
) -> list[Case]:
    """While an adviser is away, give a colleague of the same branch read and write access
    to each of the absent adviser's open cases, from now until `until` included.

    The grants carry that end date and the access policy ignores them from the next day:
    nothing has to be revoked. A case the substitute already follows for longer (or for
    good), or is excluded from, is left as it is. Each case granted is access-logged with
    the reason, and the substitute is told. Directors of the absent adviser's branch only;
    returns the cases granted.
    """
    policy.check(acting_user, "adviser.substitute", absent)
    if not is_adviser(absent):
        raise SpipError(_("The absent person must be an adviser."), field="absent")
    if substitute.pk == absent.pk:
        raise SpipError(
            _("The substitute must be someone other than the absent adviser."),
            field="substitute",
        )
    if not substitute.is_active or not works_as_adviser_at(substitute, absent.branch_id):
        raise SpipError(
            _("The substitute must be an adviser of the absent adviser's branch."),
            field="substitute",
        )
    today = timezone.localdate()
    if until < today:
        raise SpipError(_("This absence is already over."), field="until")
    if (until - today).days > MAX_SUBSTITUTION_DAYS:
        raise SpipError(
            _("A substitution lasts a year at most: set it again if the absence goes on."),
            field="until",
        )
    if not reason.strip():
        raise SpipError(_("Give the reason for this substitution."), field="reason")
    cases = list(
        own_cases(acting_user, today=today)
        .filter(adviser=absent, closed_on__isnull=True)
        .exclude(excluded_staff=substitute)
        .order_by("id")
    )
    held = dict(
        CaseUserObjectPermission.objects.filter(
            content_object__in=cases, user=substitute, permission__codename=GRANT
        ).values_list("content_object_id", "valid_until")
    )
    granted = []
    for case in cases:
        if case.pk in held and ((ends := held[case.pk]) is None or ends >= until):
            continue
        _grant(case, substitute, until=until)
        access_log_record(
            acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=case, reason=reason
        )
        granted.append(case)
    if granted:
        notification_send(
            recipient=substitute,
            message=ngettext(
                "You substitute for %(name)s until %(date)s on %(count)d case.",
                "You substitute for %(name)s until %(date)s on %(count)d cases.",
                len(granted),
            )
            % {
                "name": absent,
                "date": formats.date_format(until, "SHORT_DATE_FORMAT"),
                "count": len(granted),
            },
            link="/cases/",
        )
    return granted


@transaction.atomic
def case_close(*, acting_user: User, case: Case, closed_on: date, reason: str) -> Case:
    """Close a case once its measures are all over (ended, revoked, or past their end
    date); refused while one is pending, in progress or suspended, or before the last one
    ends. Directors of the case's branch only. The case stays readable and its grants are
    kept: only the retention purge removes case data. The adviser is told."""
    policy.check(acting_user, "case.close", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise SpipError(_("This case is already closed."))
    if not reason.strip():
        raise SpipError(_("Give the reason for closing the case."), field="reason")
    today = timezone.localdate()
    if closed_on > today:
        raise SpipError(_("A case cannot be closed in the future."), field="closed_on")
    if closed_on < case.opened_on:
        raise SpipError(_("A case cannot close before its referral date."), field="closed_on")
    measures = case.measures.all()
    if measures.filter(running_measures(today)).exists():
        raise SpipError(_("A measure of this case is still pending, in progress or suspended."))
    last_end = measures.aggregate(last=Max("end_date"))["last"]
    if last_end and closed_on < last_end:
        raise SpipError(
            _("The case cannot close before its last measure ends (%(date)s).")
            % {"date": formats.date_format(last_end, "SHORT_DATE_FORMAT")},
            field="closed_on",
        )
    case.closed_on = closed_on
    case.version += 1
    case.save(update_fields=["closed_on", "version"])
    case_closed(case, acting_user)
    access_log_record(
        acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=case, reason=reason
    )
    if case.adviser is not None:
        notification_send(
            recipient=case.adviser,
            message=_("Case %(number)s has been closed.") % {"number": case.number},
            link=f"/cases/{case.pk}/",
        )
    case_changed.send(case.pk)
    return case


# --- Proofs recorded by the workshops app -----------------------------------------------------


@transaction.atomic
def proof_record_on_completion(
    *, acting_user: User, obligation: Obligation, received_on: date, note: str
) -> Proof:
    """Record the compliant proof of an obligation fulfilled by completing a workshop or a
    course (the attendance rule was met; `workshops.services` checked who may record it).

    The person who confirmed the last attendance may be a partner contributor, who has no
    access to the case: the proof is recorded in the name of the case's adviser (or, for a
    case without one, of the acting user) and the access log names who actually triggered
    it, with the reason."""
    case = obligation.measure.case
    proof = Proof.objects.create(
        obligation=obligation,
        received_on=received_on,
        compliant=True,
        note=note[:500],
        recorded_by=case.adviser or acting_user,
    )
    access_log_record(
        acting_user=acting_user,
        action=AccessLog.Action.CREATE,
        obj=proof,
        reason=_("workshop completed"),
    )
    case_changed.send(case.pk)
    return proof
