"""What interviews add to the case file and to the home page."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.extensions import SectionContent
from cases.models import Case
from cases.policy import Access
from cases.selectors import TimelineEntry
from interviews import selectors
from interviews.models import Interview
from interviews.policy import home_agenda
from spip import policy
from spip.home import Panel
from spip.models import User
from spip.workdays import next_working_day

TIMELINE_LABELS = {
    Interview.Status.HELD: _("Interview held"),
    Interview.Status.MISSED: _("Interview missed"),
    Interview.Status.EXCUSED: _("Interview excused"),
}


def interviews_section(case: Case, user: User, access: Access, today: date) -> SectionContent:
    """Upcoming and past interviews of the case (never their notes), in two queries."""
    interviews = selectors.case_interviews(case.pk)
    now = timezone.now()
    upcoming = [i for i in interviews if i.status == Interview.Status.PLANNED and i.end >= now]
    past = [i for i in interviews if i not in upcoming]
    can_schedule = policy.can(user, "interview.schedule", case)
    timeline = [
        TimelineEntry(
            timezone.localtime(interview.start).date(),
            str(TIMELINE_LABELS[interview.status]),
            f"{interview.get_kind_display()} — {interview.adviser.get_full_name()}",
        )
        for interview in interviews
        if interview.status in TIMELINE_LABELS
    ]
    last_held = next((i for i in interviews if i.status == Interview.Status.HELD), None)
    suggested = None
    if can_schedule and not case.closed_on:
        suggested = selectors.suggested_next_date(
            case, today=today, last=last_held.start if last_held else None
        )
    return SectionContent(
        template="interviews/_case_section.html",
        context={
            "case": case,
            "upcoming": list(reversed(upcoming)),
            "past": past[:20],
            "past_count": len(past),
            "can_schedule": can_schedule and not case.closed_on,
            "suggested": suggested,
            "last_held": last_held,
        },
        timeline=timeline,
    )


def home_panel(user: User, today: date) -> Panel | None:
    """Those who log outcomes: the interviews to log and to check; an adviser's own
    interviews of today and the next working day of their branch (Monday, seen on a
    Friday)."""
    if not policy.can(user, "interview.outcomes"):
        return None
    dates = [today, next_working_day(today, user.branch)]
    advisers = home_agenda(user)
    columns = selectors.agenda(user, advisers, dates) if advisers else []
    days = columns[0].days if columns else []
    return Panel(
        template="interviews/_home_panel.html",
        context={
            "days": days,
            "tomorrow": today + timedelta(days=1),
            "to_log": selectors.outcomes_to_log(user).count(),
            "uncertain": selectors.uncertain_reminders(user).count(),
        },
        order=10,
    )
