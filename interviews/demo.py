"""Demo interviews: a history for every demo case (held, missed, excused) and, for every
Montluçon adviser, this week's and next week's agenda, with a few outcomes left to log."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from interviews.models import Interview
from spip.workdays import on_or_before_working_day, week_start, working_days

SLOTS = [
    time(9, 0),
    time(9, 45),
    time(10, 30),
    time(11, 15),
    time(14, 0),
    time(14, 45),
    time(15, 30),
    time(16, 15),
]
PLACES = ["Bureau 2", "Bureau 3", "Bureau 5", "Salle d’entretien 1"]
NOTES = [
    "Point sur la recherche d’emploi ; inscription France Travail faite.",
    "Justificatifs de soins apportés ; suivi régulier au CSAPA.",
    "Situation de logement précaire ; orientation vers le SIAO.",
    "Versements à la victime réguliers, reçus présentés.",
    "Bonne adhésion au suivi ; aborde les faits avec plus de recul.",
    "Rappel des obligations ; difficultés familiales évoquées.",
]


def seed_interviews(
    *, department: Any, branches: dict[str, Any], stdout: Any = None, **_: Any
) -> None:
    if Interview.objects.filter(case__branch__department=department).exists():
        return
    rng = random.Random(20261123)  # noqa: S311 — demo data
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    now = timezone.now()
    cases = list(
        Case.objects.filter(branch__department=department, adviser__isnull=False)
        .select_related("intensity", "branch__department", "adviser")
        .order_by("pk")
    )
    taken: set[tuple[int, datetime]] = set()
    rows: list[Interview] = []

    def add(case: Case, start: datetime, status: str, **extra: Any) -> None:
        if (case.adviser_id, start) in taken or (-case.person_id, start) in taken:
            return
        taken.add((case.adviser_id, start))
        taken.add((-case.person_id, start))
        rows.append(
            Interview(
                case=case,
                person_id=case.person_id,
                adviser_id=case.adviser_id,
                start=start,
                duration=45,
                end=start + timedelta(minutes=45),
                status=status,
                kind=extra.pop("kind", Interview.Kind.FOLLOW_UP),
                place=rng.choice(PLACES),
                created_by_id=case.adviser_id,
                **extra,
            )
        )

    def at(day: date, branch: Any) -> datetime:
        day = on_or_before_working_day(day, branch)
        return datetime.combine(day, rng.choice(SLOTS)).replace(tzinfo=zone)

    for case in cases:
        # History: one interview per intensity interval since the referral, up to last week.
        interval = case.intensity.max_interval_days
        day = case.opened_on + timedelta(days=rng.randint(5, 20))
        first = True
        while day < today - timedelta(days=7):
            start = at(day, case.branch)
            roll = rng.random()
            status = Interview.Status.HELD
            if roll > 0.9:
                status = Interview.Status.EXCUSED
            elif roll > 0.78:
                status = Interview.Status.MISSED
            held = status == Interview.Status.HELD
            add(
                case,
                start,
                status,
                kind=Interview.Kind.INTAKE if first else Interview.Kind.FOLLOW_UP,
                notes=rng.choice(NOTES) if held else "",
                outcome="Suivi poursuivi." if held else "",
                outcome_logged_at=start + timedelta(hours=1),
                convocation_sent_at=start - timedelta(days=14),
                convocation_channel=Interview.Channel.HAND,
            )
            first = False
            day += timedelta(days=interval - rng.randint(0, min(7, interval // 3)))
    # The agendas: the working days of this week and next week for Montluçon advisers (about
    # 4 a day each), so the next working day has its convocations on a weekend or holiday
    # too, and a few interviews of the last days still to log.
    montlucon = branches.get("Montluçon") or next(iter(branches.values()))
    monday = week_start(today)
    days = working_days(monday - timedelta(days=3), monday + timedelta(days=11), montlucon)
    by_adviser: dict[int, list[Case]] = {}
    for case in cases:
        if case.branch_id == montlucon.pk and not case.closed_on:
            by_adviser.setdefault(case.adviser_id, []).append(case)
    for adviser_cases in by_adviser.values():
        starts = [
            datetime.combine(day, slot).replace(tzinfo=zone)
            for day in days
            for slot in sorted(rng.sample(SLOTS, 4))
        ]
        # The two latest past interviews wait for their outcome ("outcomes to log").
        to_log = [start for start in starts if start < now][-2:]
        for start in starts:
            case = rng.choice(adviser_cases)
            if start < now and start not in to_log:
                logged = start + timedelta(hours=1)
                add(
                    case,
                    start,
                    Interview.Status.HELD,
                    notes=rng.choice(NOTES),
                    outcome="Suivi poursuivi.",
                    outcome_logged_at=logged,
                )
            else:
                future = start > now
                add(
                    case,
                    start,
                    Interview.Status.PLANNED,
                    convocation_sent_at=now - timedelta(days=10) if future else None,
                    convocation_channel=Interview.Channel.POST if future else "",
                )
    with transaction.atomic():
        Interview.objects.bulk_create(rows, batch_size=2000)
    if stdout:
        stdout.write(f"Demo interviews created: {len(rows)}.")
