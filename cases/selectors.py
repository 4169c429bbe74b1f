"""Read queries for the case pages, each a fixed number of queries whatever the volume."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    Incident,
    Measure,
    MeasureEvent,
    Normalised,
    Obligation,
    Proof,
    WorkHours,
    WorkPlacement,
)
from cases.policy import caseload_cases, visible_cases
from spip.models import User

# word_similarity() of "lefebvre" in "lefevre jerome" is 0.55: pg_trgm's default threshold
# (0.6) would miss such a spelling; 0.45 still keeps unrelated names out.
WORD_SIMILARITY_THRESHOLD = 0.45
SEARCH_LIMIT = 50
DUE_SOON_DAYS = 7

SORTS = {
    "name": ("person__birth_name", "person__first_names", "id"),
    "-name": ("-person__birth_name", "-person__first_names", "-id"),
    "number": ("number",),
    "-number": ("-number",),
    "end": ("next_end", "id"),
    "-end": ("-next_end", "-id"),
    "opened": ("opened_on", "id"),
    "-opened": ("-opened_on", "-id"),
}


CURRENT = [Measure.Status.ACTIVE, Measure.Status.SUSPENDED, Measure.Status.PENDING]


def _with_summary(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The list columns: person, intensity, adviser, the kinds of the current measures and
    their nearest end. The measures are read per listed case (by the index on their case)
    rather than joined and grouped: a GROUP BY over six joins cost more to plan than to run."""
    current = Measure.objects.filter(case=OuterRef("pk"), status__in=CURRENT)
    return cases.select_related("person", "intensity", "adviser").annotate(
        measure_kinds=ArraySubquery(current.values("kind").distinct().order_by("kind")),
        next_end=Subquery(
            current.order_by(F("end_date").asc(nulls_last=True)).values("end_date")[:1]
        ),
    )


def caseload(
    user: User,
    *,
    kind: str = "",
    status: str = "open",
    intensity: str = "",
    ends_before: date | None = None,
    sort: str = "name",
) -> QuerySet[Case]:
    """The user's caseload (an adviser's cases, a director's branches, a secretary's branch),
    filtered and sorted."""
    cases = caseload_cases(user)
    if status == "open":
        cases = cases.filter(closed_on__isnull=True)
    elif status == "closed":
        cases = cases.filter(closed_on__isnull=False)
    # Filters on measures are EXISTS subqueries: a join would repeat cases and need DISTINCT.
    if kind:
        cases = cases.filter(Exists(Measure.objects.filter(case=OuterRef("pk"), kind=kind)))
    if intensity:
        cases = cases.filter(intensity__code=intensity)
    if ends_before:
        cases = cases.filter(
            Exists(
                Measure.objects.filter(
                    case=OuterRef("pk"), end_date__lte=ends_before, status__in=CURRENT
                )
            )
        )
    return _with_summary(cases).order_by(*SORTS.get(sort, SORTS["name"]))


NUMBER_PATTERN = re.compile(r"[0-9][0-9-]*")


def ranked_matches(user: User, term: str) -> QuerySet[Case]:
    """The user's visible cases whose person's name resembles `term`, best first.

    The similarity is computed for the visible cases' people (a branch's worth, whatever
    the size of the country), not looked up in the national trigram index: a common name
    matches thousands of people elsewhere, all fetched and then thrown away."""
    # The stubs type the first argument as a string; PostgreSQL takes any expression.
    score = TrigramWordSimilarity(Normalised(Value(term)), "person__search_name")  # type: ignore[arg-type]
    return (
        visible_cases(user)
        .annotate(score=score)
        .filter(score__gte=WORD_SIMILARITY_THRESHOLD)
        .order_by("-score", "person__birth_name", "id")
    )


def case_search(user: User, term: str) -> list[Case]:
    """Cases visible to `user` whose person's name resembles `term` (accents, case and small
    typos ignored), or whose number starts with it when it looks like a case number; best
    matches first.

    Two steps: the best matches among the user's visible cases (`ranked_matches`), then the
    summary of those 50 cases. Ranking before summarising keeps the measures out of the
    ranking query (computing it for every candidate costs more than a second query);
    ranking among visible cases only means that a common name matched by thousands of
    people elsewhere never pushes the user's own person out of the results."""
    term = " ".join(term.split())[:100]
    if not term:
        return []
    if NUMBER_PATTERN.fullmatch(term):
        matches = visible_cases(user).filter(number__startswith=term)
        return list(_with_summary(matches).order_by("number")[:SEARCH_LIMIT])
    best = list(ranked_matches(user, term).values_list("pk", flat=True)[:SEARCH_LIMIT])
    found = {case.pk: case for case in _with_summary(visible_cases(user).filter(pk__in=best))}
    return [found[pk] for pk in best if pk in found]  # one anonymised or moved in between


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    label: str
    detail: str = ""


@dataclass
class ObligationStatus:
    obligation: Obligation
    last_proof: Proof | None
    due_on: date | None
    state: str  # "lifted", "none" (no proof expected), "up_to_date", "due_soon", "overdue"


def case_file(case: Case, *, today: date | None = None) -> dict[str, Any]:
    """Everything the case file page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    measures = list(
        case.measures.select_related("court").prefetch_related(
            Prefetch("events", queryset=MeasureEvent.objects.order_by("date", "id")),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("type").prefetch_related(
                    Prefetch("proofs", queryset=Proof.objects.order_by("-received_on", "-id"))
                ),
            ),
            Prefetch(
                "placements",
                queryset=WorkPlacement.objects.select_related("host").prefetch_related(
                    Prefetch("hours", queryset=WorkHours.objects.order_by("date", "id"))
                ),
            ),
            Prefetch("incidents", queryset=Incident.objects.select_related("obligation__type")),
        )
    )
    assessments = list(case.assessments.select_related("author"))
    transfers = list(case.transfers.select_related("from_branch", "to_branch"))
    incident_since = today - timedelta(days=INCIDENT_WINDOW_DAYS)
    obligations: list[ObligationStatus] = []
    timeline: list[TimelineEntry] = [TimelineEntry(case.opened_on, _("Case opened (referral)"))]
    for measure in measures:
        measure.elapsed_percent = _elapsed(measure, today)
        measure.incidents_12_months = sum(
            1 for incident in measure.incidents.all() if incident.occurred_on > incident_since
        )
        if measure.kind == "tig":
            measure.work = work_progress(measure, today)
        timeline.append(TimelineEntry(measure.start_date, _("Measure starts"), str(measure)))
        for incident in measure.incidents.all():
            timeline.append(
                TimelineEntry(incident.occurred_on, _("Incident"), incident.get_response_display())
            )
        for placement in measure.placements.all():
            timeline.append(TimelineEntry(placement.started_on, _("Placement"), str(placement)))
        for event in measure.events.all():
            timeline.append(TimelineEntry(event.date, event.get_kind_display(), str(measure)))
        for obligation in measure.obligations.all():
            proofs = list(obligation.proofs.all())
            obligations.append(_obligation_status(obligation, proofs, today))
            if not obligation.automatic:
                timeline.append(
                    TimelineEntry(obligation.imposed_on, _("Obligation imposed"), str(obligation))
                )
            if obligation.lifted_on:
                timeline.append(
                    TimelineEntry(obligation.lifted_on, _("Obligation lifted"), str(obligation))
                )
            for proof in proofs:
                verdict = _("compliant") if proof.compliant else _("not compliant")
                timeline.append(
                    TimelineEntry(
                        proof.received_on, _("Proof received"), f"{obligation} — {verdict}"
                    )
                )
    for transfer in transfers:
        timeline.append(
            TimelineEntry(transfer.transferred_on, _("Transfer"), f"{transfer} — {transfer.reason}")
        )
    for assessment in assessments:
        timeline.append(
            TimelineEntry(assessment.assessed_on, _("Assessment"), str(assessment.author))
        )
    timeline.sort(key=lambda entry: entry.day, reverse=True)
    return {
        "measures": measures,
        "obligations": obligations,
        "timeline": timeline,
        "assessments": assessments,
    }


INCIDENT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class WorkProgress:
    """Where a community-work sentence stands: hours done, left, and the pace it needs."""

    ordered: Decimal
    done: Decimal
    deadline: date | None
    weekly_pace: Decimal | None  # hours a week to finish by the deadline; None when done/late

    @property
    def remaining(self) -> Decimal:
        return max(self.ordered - self.done, Decimal(0))

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.ordered)) if self.ordered else 0

    @property
    def late(self) -> bool:
        return self.remaining > 0 and self.weekly_pace is None


def tig_pace(remaining: Decimal, today: date, deadline: date | None) -> Decimal | None:
    """Hours a week still needed to finish by the deadline, rounded up to the half hour;
    None when nothing remains, or when the deadline is past or unknown."""
    if remaining <= 0 or deadline is None or deadline <= today:
        return None
    weeks = Decimal((deadline - today).days) / 7
    return Decimal(math.ceil(remaining / weeks * 2)) / 2


def work_progress(measure: Measure, today: date) -> WorkProgress:
    """Progress of a TIG from its prefetched placements and hours (no query)."""
    done = sum(
        (entry.hours for placement in measure.placements.all() for entry in placement.hours.all()),
        Decimal(0),
    )
    ordered = Decimal(measure.tig_hours or 0)
    pace = tig_pace(ordered - done, today, measure.end_date)
    return WorkProgress(ordered, done, measure.end_date, pace)


def _elapsed(measure: Measure, today: date) -> int | None:
    if not measure.end_date or measure.end_date <= measure.start_date:
        return None
    total = (measure.end_date - measure.start_date).days
    done = (min(today, measure.end_date) - measure.start_date).days
    return max(0, min(100, round(100 * done / total)))


def _obligation_status(
    obligation: Obligation, proofs: list[Proof], today: date
) -> ObligationStatus:
    last = proofs[0] if proofs else None
    if obligation.lifted_on:
        return ObligationStatus(obligation, last, None, "lifted")
    if not obligation.type.proof_expected or not obligation.check_interval_days:
        return ObligationStatus(obligation, last, None, "none")
    due = obligation.proof_due_on(last.received_on if last else None)
    assert due is not None
    if due < today:
        state = "overdue"
    elif due <= today + timedelta(days=DUE_SOON_DAYS):
        state = "due_soon"
    else:
        state = "up_to_date"
    return ObligationStatus(obligation, last, due, state)


def obligation_status(obligation: Obligation, *, today: date | None = None) -> ObligationStatus:
    """One obligation's proof status (the row of the case file), in one query."""
    proofs = list(obligation.proofs.order_by("-received_on", "-id")[:1])
    return _obligation_status(obligation, proofs, today or timezone.localdate())


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    who: str
    what: str
    action: str
    changes: list[tuple[str, Any, Any]]  # (field label, before, after)


HISTORY_LIMIT = 100


def case_history(case: Case, measures: list[Measure]) -> list[HistoryEntry]:
    """Who changed what on the case and everything recorded under it, before and after,
    newest first; a fixed number of queries (one per level of the case's tree)."""
    from pghistory.models import Events

    obligations = [o for m in measures for o in m.obligations.all()]
    placements = [p for m in measures for p in m.placements.all()]
    groups: list[Any] = [
        Events.objects.tracks(case.person),
        Events.objects.references(case),
    ]
    for children in (measures, obligations, placements):
        if children:
            groups.append(Events.objects.references(*children))
    events = {
        (event.pgh_model, event.pgh_id): event
        for group in groups
        for event in group.order_by("-pgh_created_at")[:HISTORY_LIMIT]
    }.values()
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=[*user_ids, 0])}
    entries = [_history_entry(event, names) for event in events]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:HISTORY_LIMIT]


def _history_entry(event: Any, names: dict[int, str]) -> HistoryEntry:
    from django.apps import apps

    history_model = apps.get_model(event.pgh_model)
    tracked = history_model.pgh_tracked_model
    fields = {field.attname: field for field in tracked._meta.concrete_fields}
    changes = [
        (str(fields[name].verbose_name) if name in fields else name, before, after)
        for name, (before, after) in sorted((event.pgh_diff or {}).items())
        if name != "version"
    ]
    user = (event.pgh_context or {}).get("user")
    return HistoryEntry(
        at=event.pgh_created_at,
        who=names.get(user, _("system")) if user is not None else _("system"),
        what=str(tracked._meta.verbose_name),
        action=_("creation") if event.pgh_label == "insert" else _("change"),
        changes=changes,
    )
