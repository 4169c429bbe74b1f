"""Reading interviews: agendas, outcomes to log, a case's interviews. Each function runs a
fixed number of queries whatever the number of interviews. Whose agendas and which
interviews a user may see is the policy's answer (`interviews.policy`)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, Obligation
from interviews import policy as interviews_policy
from interviews.models import CalendarToken, Interview
from interviews.reminders import STALE_CLAIM
from spip import policy
from spip.models import User
from spip.workdays import on_or_after_working_day, on_or_before_working_day


def agenda_advisers(viewer: User) -> list[User]:
    """Whose agenda the viewer may see (the policy's answer), in name order."""
    return interviews_policy.agenda_advisers(viewer)


def _visible_interviews(viewer: User) -> QuerySet[Interview]:
    """Interviews the viewer may see on an agenda or a list (the policy's answer)."""
    return policy.visible(viewer, Interview).select_related("case__person", "adviser")


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
    """Past interviews still marked planned: their outcome is to be logged (an adviser's
    visible interviews are their own)."""
    now = now or timezone.now()
    interviews = _visible_interviews(viewer).filter(status=Interview.Status.PLANNED, start__lt=now)
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


def proof_obligations(case: Case, *, today: date) -> list[Obligation]:
    """The obligations whose proofs an interview checks: proof expected, not lifted, on a
    measure still running."""
    from cases.allocation import running_measures

    return list(
        Obligation.objects.filter(
            measure__case=case, type__proof_expected=True, lifted_on__isnull=True
        )
        .filter(running_measures(today, prefix="measure__"))
        .select_related("type", "measure")
        .order_by("measure__start_date", "type__legal_code", "pk")
    )


_UNKNOWN = object()


def suggested_next_date(case: Case, *, today: date, last: Any = _UNKNOWN) -> date:
    """The latest date the next interview may take place under the case's follow-up
    intensity, counted from the last interview held (`last`, its start, read from the
    database unless given), on a working day of the case's branch."""
    if last is _UNKNOWN:
        last = (
            Interview.objects.filter(case=case, status=Interview.Status.HELD)
            .order_by("-start")
            .values_list("start", flat=True)
            .first()
        )
    interval = case.intensity.max_interval_days
    if last is None:
        suggested = today + timedelta(days=min(7, interval))
    else:
        suggested = timezone.localtime(last).date() + timedelta(days=interval)
    suggested = on_or_before_working_day(suggested, case.branch)
    if suggested < today:  # overdue: as soon as possible
        return on_or_after_working_day(today, case.branch)
    return suggested


# --- Calendar feed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_user(token: str) -> User | None:
    found = (
        CalendarToken.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .filter(Q(user__is_active=True))
        .select_related("user")
        .first()
    )
    return found.user if found else None
