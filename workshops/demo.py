"""Demo workshops at Montluçon, added to `seed_demo` (see `WorkshopsConfig.ready`).

Four programmes: a citizenship course (CP 131-5-1) whose sessions are over, so that most of
its people completed it with their attestation; for three of them the judge ordered the
course as an obligation (CP 132-45 18°, added to a probation-type measure with room for
it), which gets its compliant proof on completion. Eco-citizenship and addiction awareness
are under way, the latter with the CSAPA and its `partenaire` login, full with a waiting
list; parental responsibility is still to come.

Deterministic and idempotent: people are drawn from the demo identities (not from the
database's order), workshops are recognised by branch and title and created once with their
sessions (dated from the day of that first run), and each planned enrolment and attendance
is added only where it is missing. Everything goes through `workshops.services`, as the
people who would do it: the adviser of each case enrols, facilitators and the partner
record attendance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cases import services as case_services
from cases.demo import identities, transferred
from cases.legal import CONTROL_MEASURE_KINDS, CourseKind
from cases.models import Case, Measure, Obligation, ObligationType
from spip.models import Branch, Partner, User
from workshops import services
from workshops.models import Attendance, Enrollment, Session, Workshop

MONTLUCON = "Montluçon"
CSAPA = "CSAPA Addictions Montluçon"


@dataclass(frozen=True)
class WorkshopPlan:
    title: str
    kind: str
    theme: str
    description: str
    capacity: int
    min_sessions: int
    facilitators: tuple[str, ...]
    sessions: tuple[tuple[int, str], ...]  # (days from the first run, topic)
    people: int
    course_kind: str = ""
    with_csapa: bool = False
    obligation_code: str = ""  # obligation the enrolment fulfils
    ordered: int = 0  # how many of the people the judge ordered it (an obligation is added)


PLANS = (
    WorkshopPlan(
        "Stage de citoyenneté — automne",
        Workshop.Kind.COURSE,
        "Valeurs de la République, droits et devoirs du citoyen",
        "Stage de citoyenneté ordonné au titre de l'article 131-5-1 du code pénal.",
        capacity=10,
        min_sessions=3,
        facilitators=("conseiller", "cpip.bernard"),
        sessions=(
            (-36, "Les valeurs de la République"),
            (-29, "Droits et devoirs"),
            (-22, "La justice et la loi"),
            (-15, "Vivre ensemble, bilan"),
        ),
        people=8,
        course_kind=CourseKind.CITIZENSHIP,
        obligation_code="citizenship-course",
        ordered=3,
    ),
    WorkshopPlan(
        "Éco-citoyenneté",
        Workshop.Kind.WORKSHOP,
        "Environnement et engagement local",
        "Atelier collectif : tri, réparation, chantier nature avec la commune.",
        capacity=8,
        min_sessions=3,
        facilitators=("cpip.fabre",),
        sessions=(
            (-9, "Les déchets du quotidien"),
            (5, "Atelier réparation"),
            (12, "Chantier nature"),
            (19, "Bilan et engagement"),
        ),
        people=6,
    ),
    WorkshopPlan(
        "Prévention des addictions",
        Workshop.Kind.WORKSHOP,
        "Alcool, cannabis : risques, ressources et soins",
        "Programme coanimé avec le CSAPA Addictions Montluçon.",
        capacity=8,
        min_sessions=3,
        facilitators=("cpip.dumas",),
        sessions=(
            (-6, "Représentations et usages"),
            (8, "Risques et conduite"),
            (15, "Les ressources du territoire"),
            (22, "Projet personnel"),
        ),
        people=11,
        with_csapa=True,
    ),
    WorkshopPlan(
        "Stage de responsabilité parentale",
        Workshop.Kind.COURSE,
        "Être parent : droits, devoirs et soutien",
        "Stage de responsabilité parentale (article 131-5-1 du code pénal).",
        capacity=12,
        min_sessions=3,
        facilitators=("cpip.lemaire",),
        sessions=(
            (10, "Le rôle de parent"),
            (17, "L'autorité parentale"),
            (24, "Ressources et soutien"),
        ),
        people=5,
        course_kind=CourseKind.PARENTAL_RESPONSIBILITY,
    ),
)


def _people() -> list[tuple[str, str, date]]:
    """Montluçon people who can join a workshop: followed, neither restricted nor excluded
    nor transferred; in a fixed order that does not depend on the database."""
    people = identities()
    moved = {person.key for person, _from, _to in transferred(people)}
    chosen = [
        person
        for person in people
        if person.branch == MONTLUCON
        and person.adviser
        and not person.restricted
        and not person.excluded
        and person.key not in moved
    ]
    rng = random.Random("spip-allier-demo-workshops")  # noqa: S311 - demo data
    rng.shuffle(chosen)
    return [person.key for person in chosen]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed_workshops(*, branches: dict[str, Branch], stdout: Any, **_: Any) -> None:
    """Add the demo workshops, enrolments and attendance that are not there yet."""
    branch = branches[MONTLUCON]
    today = timezone.localdate()
    usernames = {"directrice", "partenaire"} | {n for plan in PLANS for n in plan.facilitators}
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    director = users["directrice"]
    csapa = Partner.objects.filter(department=branch.department, name=CSAPA).first()
    keys = _people()
    created = {"workshops": 0, "enrolments": 0, "attendances": 0}
    offset = 0
    for plan in PLANS:
        planned = keys[offset : offset + plan.people]
        offset += plan.people
        workshop = Workshop.objects.filter(branch=branch, title=plan.title).first()
        if workshop is None:
            workshop = _create(plan, branch, director, users, csapa, today)
            created["workshops"] += 1
        cases = _cases(branch, planned)
        ordered = 0
        for key in planned:
            case = cases.get(key)
            if case is None or case.adviser is None:
                continue
            enrollment = Enrollment.objects.filter(workshop=workshop, case=case).first()
            if enrollment is None:
                obligation = None
                if plan.obligation_code and ordered < plan.ordered:
                    obligation = _ordered_course(case, plan.obligation_code, today)
                enrollment = services.enrollment_create(
                    acting_user=case.adviser, workshop=workshop, case=case, obligation=obligation
                )
                created["enrolments"] += 1
            ordered += enrollment.obligation_id is not None
            created["attendances"] += _attend(plan, workshop, enrollment, key, users, today)
    stdout.write(
        "Demo workshops created: "
        + ", ".join(f"{count} {what}" for what, count in created.items())
        + "."
    )


def _create(
    plan: WorkshopPlan,
    branch: Branch,
    director: User,
    users: dict[str, User],
    csapa: Partner | None,
    today: date,
) -> Workshop:
    partners = [csapa] if plan.with_csapa and csapa else []
    contributors = [users["partenaire"]] if partners and "partenaire" in users else []
    workshop = services.workshop_create(
        acting_user=director,
        branch_id=branch.pk,
        title=plan.title,
        kind=plan.kind,
        course_kind=plan.course_kind,
        theme=plan.theme,
        description=plan.description,
        capacity=plan.capacity,
        min_sessions=plan.min_sessions,
        facilitators=[users[name] for name in plan.facilitators if name in users],
        partners=partners,
        contributors=contributors,
    )
    for days, topic in plan.sessions:
        day = today + timedelta(days=days)
        services.session_add(
            acting_user=director,
            workshop=workshop,
            starts_at=_at(day, 14),
            ends_at=_at(day, 16, 30),
            place="SPIP, salle collective — 12 rue des Conches",
            topic=topic,
        )
    return workshop


def _ordered_course(case: Case, code: str, today: date) -> Obligation | None:
    """The course obligation the judge added to the person's probation-type measure (added
    here once, through the service, on a measure with room for it), or None when the case
    has no such measure."""
    existing = Obligation.objects.filter(measure__case=case, type__code=code).first()
    if existing is not None:
        return existing
    measure = (
        Measure.objects.filter(
            case=case, kind__in=CONTROL_MEASURE_KINDS, status=Measure.Status.ACTIVE
        )
        .annotate(special=Count("obligations", filter=Q(obligations__automatic=False)))
        .filter(special__lt=3, decision_date__lte=today - timedelta(days=60))
        .order_by("start_date", "id")
        .first()
    )
    if measure is None:
        return None
    return case_services.obligation_add(
        acting_user=case.adviser,
        measure=measure,
        type=ObligationType.objects.get(code=code),
        imposed_on=max(measure.start_date, today - timedelta(days=60)),
        details="Stage de citoyenneté ordonné par le JAP (CP 132-45 18°)",
    )


def _cases(branch: Branch, keys: list[tuple[str, str, date]]) -> dict[tuple, Case]:
    names = {key[0] for key in keys}
    found = Case.objects.filter(
        branch=branch, closed_on__isnull=True, person__birth_name__in=names
    ).select_related("person", "adviser")
    return {
        (case.person.birth_name, case.person.first_names, case.person.birth_date): case
        for case in found
    }


def _attend(
    plan: WorkshopPlan,
    workshop: Workshop,
    enrollment: Enrollment,
    key: tuple,
    users: dict[str, User],
    today: date,
) -> int:
    """Attendance at the sessions already held, drawn per person; returns how many added."""
    if enrollment.status not in (Enrollment.Status.ENROLLED, Enrollment.Status.COMPLETED):
        return 0
    recorder = users.get("partenaire") if plan.with_csapa else users.get(plan.facilitators[0])
    if recorder is None:
        return 0
    rng = random.Random("|".join(map(str, key)) + "|" + plan.title)  # noqa: S311
    done = set(
        Attendance.objects.filter(enrollment=enrollment).values_list("session_id", flat=True)
    )
    added = 0
    sessions = Session.objects.filter(workshop=workshop, starts_at__date__lte=today)
    for session in sessions.order_by("starts_at", "id"):
        draw = rng.random()
        if session.pk in done:
            continue
        status = (
            Attendance.Status.PRESENT
            if draw < 0.8
            else Attendance.Status.ABSENT
            if draw < 0.9
            else Attendance.Status.EXCUSED
        )
        services.attendance_record(
            acting_user=recorder, session=session, enrollment=enrollment, status=status
        )
        added += 1
    return added
