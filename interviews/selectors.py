"""Reading interviews: agendas, outcomes to log, a case's interviews. Each function runs a
fixed number of queries whatever the number of interviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.policy import own_cases, visible_cases
from interviews.models import Interview
from interviews.reminders import STALE_CLAIM
from spip.models import Role, User


def agenda_advisers(viewer: User) -> list[User]:
    """Whose agenda the viewer may see: their own (adviser); the advisers of the branches
    they direct (director) or of their branch (secretary)."""
    if viewer.role == Role.ADVISER:
        return [viewer]
    if viewer.role == Role.DIRECTOR:
        branches = Q(branch__in=viewer.directed_branches.all())
    elif viewer.role == Role.SECRETARY:
        branches = Q(branch_id=viewer.branch_id)
    else:
        return []
    return list(
        User.objects.filter(branches, role=Role.ADVISER, is_active=True).order_by(
            "last_name", "first_name"
        )
    )


def _visible_interviews(viewer: User) -> QuerySet[Interview]:
    """Interviews the viewer may see on an agenda: their own, and for directors and
    secretaries those of cases they may open (never a restricted case they are not named
    on, nor one they are excluded from)."""
    interviews = Interview.objects.select_related("case__person", "adviser")
    if viewer.role == Role.ADVISER:
        # Never a case the adviser may not open (restricted, excluded, transferred away).
        return interviews.filter(adviser=viewer, case__in=visible_cases(viewer).values("pk"))
    cases = own_cases(viewer) if viewer.role == Role.DIRECTOR else visible_cases(viewer)
    return interviews.filter(case__in=cases.values("pk"))


def day_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(first, time.min).replace(tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), time.min).replace(tzinfo=zone)
    return start, end


@dataclass
class AgendaDay:
    day: date
    interviews: list[Interview] = field(default_factory=list)


@dataclass
class AgendaColumn:
    adviser: User
    days: list[AgendaDay]


def agenda(viewer: User, advisers: list[User], dates: list[date]) -> list[AgendaColumn]:
    """Interviews of `advisers` on `dates` (Paris days, in order, not necessarily
    consecutive), one column per adviser, cancelled ones included (shown struck through)."""
    start, end = day_bounds(dates[0], (dates[-1] - dates[0]).days + 1)
    by_key: dict[tuple[int, date], list[Interview]] = defaultdict(list)
    for interview in (
        _visible_interviews(viewer)
        .filter(adviser__in=advisers, start__gte=start, start__lt=end)
        .order_by("start", "pk")
    ):
        by_key[(interview.adviser_id, timezone.localtime(interview.start).date())].append(interview)
    return [
        AgendaColumn(adviser, [AgendaDay(day, by_key[(adviser.pk, day)]) for day in dates])
        for adviser in advisers
    ]


def outcomes_to_log(viewer: User, *, now: datetime | None = None) -> QuerySet[Interview]:
    """Past interviews still marked planned: their outcome is to be logged."""
    now = now or timezone.now()
    interviews = _visible_interviews(viewer).filter(status=Interview.Status.PLANNED, start__lt=now)
    if viewer.role == Role.ADVISER:
        interviews = interviews.filter(adviser=viewer)
    return interviews.order_by("start", "pk")


def uncertain_reminders(viewer: User, *, now: datetime | None = None) -> QuerySet[Interview]:
    """Reminders claimed more than 15 minutes ago without a result (a worker died while
    sending): the adviser checks and decides, nothing is resent by itself."""
    now = now or timezone.now()
    return (
        _visible_interviews(viewer)
        .filter(reminder=Interview.Reminder.CLAIMED, reminder_claimed_at__lt=now - STALE_CLAIM)
        .filter(status=Interview.Status.PLANNED)
        .order_by("start")
    )


def case_interviews(case_id: int) -> list[Interview]:
    return list(
        Interview.objects.filter(case_id=case_id).select_related("adviser").order_by("-start")
    )
