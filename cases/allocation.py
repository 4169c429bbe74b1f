"""The director's allocation page: adviser loads, the unassigned queue, substitutes in place
and cases whose measures are all over.

How much a case weighs is a convention of the service, not a law: it lives in the tables
below, so that changing it is an edit here. A running measure weighs its kind's weight times
its case's intensity factor; an adviser's load is the sum over their open cases, shown
against `TARGET_LOAD`, the load of one full-time adviser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from cases.legal import MeasureKind
from cases.models import Case, CaseUserObjectPermission, Measure
from cases.policy import GRANT, own_cases
from spip.models import Branch, Role, User

KIND_WEIGHTS: dict[str, Decimal] = {
    MeasureKind.PROBATION: Decimal("1"),
    MeasureKind.PROBATION_REINFORCED: Decimal("1.5"),
    MeasureKind.TIG: Decimal("1"),
    MeasureKind.DDSE_SENTENCE: Decimal("1.5"),
    MeasureKind.DDSE_ADJUSTMENT: Decimal("1.5"),
    MeasureKind.SEMI_LIBERTY: Decimal("1.5"),
    MeasureKind.OUTSIDE_PLACEMENT: Decimal("1.5"),
    MeasureKind.PAROLE: Decimal("1.5"),
    MeasureKind.RELEASE_UNDER_CONSTRAINT: Decimal("1.25"),
    MeasureKind.SOCIO_JUDICIAL: Decimal("2"),
    MeasureKind.COURSE: Decimal("0.5"),
    MeasureKind.JUDICIAL_CONTROL: Decimal("1"),
    MeasureKind.ARSE: Decimal("1.5"),
}
# By `IntensityLevel.code`; a level added later in the reference table counts as standard.
INTENSITY_FACTORS: dict[str, Decimal] = {
    "renforcee": Decimal("1.5"),
    "soutenue": Decimal("1.25"),
    "standard": Decimal("1"),
    "allegee": Decimal("0.5"),
}
# Standard-probation equivalents one full-time adviser can follow (a branch setting: a
# Montluçon adviser follows 60 to 75 people, many under reinforced or close follow-up).
TARGET_LOAD = Decimal(90)
LIST_LIMIT = 100  # rows of the queue and of the cases to close shown at once


def intensity_factor(code: str) -> Decimal:
    return INTENSITY_FACTORS.get(code, Decimal(1))


def measure_weight(kind: str, intensity_code: str) -> Decimal:
    return KIND_WEIGHTS[kind] * intensity_factor(intensity_code)


def running_measures(as_of: date, prefix: str = "") -> Q:
    """Measures still running on `as_of`: pending, suspended, or active until their end date.
    A status is computed when the measure changes, so an active measure whose end date has
    passed since is over even if its status still says otherwise."""
    p = prefix
    active = Q(**{f"{p}status": Measure.Status.ACTIVE}) & (
        Q(**{f"{p}end_date__isnull": True}) | Q(**{f"{p}end_date__gte": as_of})
    )
    return Q(**{f"{p}status__in": [Measure.Status.PENDING, Measure.Status.SUSPENDED]}) | active


@dataclass
class AdviserLoad:
    adviser: User
    open_cases: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    load: Decimal = Decimal(0)
    kind_counts: list[int] = field(default_factory=list)  # in the page's column order

    @property
    def over_target(self) -> bool:
        return self.load > TARGET_LOAD


@dataclass
class Substitution:
    substitute: User
    absent: User
    until: date
    cases: int


@dataclass
class AllocationPage:
    branches: list[Branch]
    advisers: list[AdviserLoad]
    kinds: list[MeasureKind]
    queue: list[Case]
    queue_total: int
    closable: list[Case]
    closable_total: int
    substitutions: list[Substitution]
    target: Decimal = TARGET_LOAD

    @property
    def meter_max(self) -> Decimal:
        return max([self.target * Decimal("1.5"), *(item.load for item in self.advisers)])

    @property
    def meter_low(self) -> Decimal:
        return self.target * Decimal("0.9")


def branch_advisers(branches: list[Branch]) -> QuerySet[User]:
    """Advisers of these branches: active ones, and former ones who still hold open cases
    (shown so that the director gives those cases to someone)."""
    holding = Case.objects.filter(adviser=OuterRef("pk"), closed_on__isnull=True)
    return (
        User.objects.filter(role=Role.ADVISER, branch__in=branches)
        .filter(Q(is_active=True) | Q(Exists(holding)))
        .select_related("branch")
        .order_by("branch__name", "last_name", "first_name", "id")
    )


def adviser_loads(branches: list[Branch], *, as_of: date) -> list[AdviserLoad]:
    """Open cases by measure kind and weighted load of each adviser, in three queries. They
    count every case of the branches, those the director is excluded from included: only
    numbers are shown, and a load that left them out would mislead."""
    loads = {adviser.pk: AdviserLoad(adviser) for adviser in branch_advisers(branches)}
    open_cases = Case.objects.filter(
        branch__in=branches, adviser__in=list(loads), closed_on__isnull=True
    )
    counts = open_cases.values("adviser_id").annotate(total=Count("id")).order_by()
    for row in counts:
        loads[row["adviser_id"]].open_cases = row["total"]
    rows = (
        Measure.objects.filter(running_measures(as_of), case__in=open_cases)
        .values("case__adviser_id", "kind", "case__intensity__code")
        .annotate(cases=Count("case_id", distinct=True), measures=Count("id"))
        .order_by()
    )
    for row in rows:
        item, kind = loads[row["case__adviser_id"]], row["kind"]
        # A case has one intensity: its cases of one kind are counted in one row only.
        item.by_kind[kind] = item.by_kind.get(kind, 0) + row["cases"]
        item.load += row["measures"] * measure_weight(kind, row["case__intensity__code"])
    return list(loads.values())


def _with_running_kinds(cases: QuerySet[Case], as_of: date) -> QuerySet[Case]:
    # Not distinct: two measures of one kind weigh twice.
    return cases.annotate(
        running_kinds=ArrayAgg(
            "measures__kind", filter=running_measures(as_of, "measures__"), default=[]
        )
    )


def unassigned_queue(director: User, *, as_of: date) -> QuerySet[Case]:
    """Open cases of the directed branches that no adviser follows, oldest referral first."""
    cases = own_cases(director, today=as_of).filter(adviser__isnull=True, closed_on__isnull=True)
    running = running_measures(as_of, "measures__")
    return (
        cases.select_related("person", "branch", "intensity")
        .annotate(
            measure_kinds=ArrayAgg("measures__kind", distinct=True, filter=running, default=[])
        )
        .order_by("opened_on", "id")
    )


def closable_cases(director: User, *, as_of: date) -> QuerySet[Case]:
    """Open cases of the directed branches that have measures, none of them still running."""
    measures = Measure.objects.filter(case=OuterRef("pk"))
    return (
        own_cases(director, today=as_of)
        .filter(closed_on__isnull=True)
        .filter(Exists(measures))
        .exclude(Exists(measures.filter(running_measures(as_of))))
        .select_related("person", "adviser")
        .annotate(last_end=Max("measures__end_date"))
        .order_by(Coalesce("last_end", "opened_on"), "id")
    )


def substitutions(
    branches: list[Branch], people: dict[int, User], *, as_of: date
) -> list[Substitution]:
    """Substitutes in place on `as_of`: who replaces whom, until when, on how many cases."""
    rows = (
        CaseUserObjectPermission.objects.filter(
            content_object__branch__in=branches,
            content_object__closed_on__isnull=True,
            permission__codename=GRANT,
            valid_until__gte=as_of,
        )
        .values("user_id", "content_object__adviser_id", "valid_until")
        .annotate(cases=Count("id"))
        .order_by("valid_until", "user_id")
    )
    return [
        Substitution(
            substitute=people[row["user_id"]],
            absent=people[row["content_object__adviser_id"]],
            until=row["valid_until"],
            cases=row["cases"],
        )
        for row in rows
        if row["user_id"] in people and row["content_object__adviser_id"] in people
    ]


def allocation_page(director: User, *, as_of: date) -> AllocationPage:
    """Everything `/director/caseloads/` shows, in a fixed number of queries."""
    branches = list(director.directed_branches.order_by("name"))
    advisers = adviser_loads(branches, as_of=as_of)
    present = {kind for item in advisers for kind in item.by_kind}
    kinds = [kind for kind in MeasureKind if kind in present]
    for item in advisers:
        item.kind_counts = [item.by_kind.get(kind, 0) for kind in kinds]
    queue = unassigned_queue(director, as_of=as_of)
    closable = closable_cases(director, as_of=as_of)
    people = {item.adviser.pk: item.adviser for item in advisers}
    queued = list(queue[:LIST_LIMIT])
    for case in queued:  # whom each case may be given to: active advisers of its branch
        case.adviser_choices = [
            item.adviser
            for item in advisers
            if item.adviser.branch_id == case.branch_id and item.adviser.is_active
        ]
    return AllocationPage(
        branches=branches,
        advisers=advisers,
        kinds=kinds,
        queue=queued,
        queue_total=queue.count(),
        closable=list(closable[:LIST_LIMIT]),
        closable_total=closable.count(),
        substitutions=substitutions(branches, people, as_of=as_of),
    )


def adviser_cases(director: User, adviser: User, *, as_of: date) -> list[Case]:
    """An adviser's open cases in the directed branches, heaviest first, each with its
    `weight` and the labels of its running measures."""
    cases = own_cases(director, today=as_of).filter(adviser=adviser, closed_on__isnull=True)
    cases = list(_with_running_kinds(cases.select_related("person", "intensity"), as_of))
    for case in cases:
        case.weight = sum(
            (measure_weight(kind, case.intensity.code) for kind in case.running_kinds),
            Decimal(0),
        )
        case.kind_labels = sorted({MeasureKind(kind).label for kind in case.running_kinds})
    return sorted(cases, key=lambda case: (-case.weight, case.number))
