"""Deadline alerts for people, read: who sees which, grouped by urgency; the home panel and
the director's table per adviser.

An adviser sees the alerts of the cases they follow (assigned, co-adviser, substitute); a
director those of the branches they direct; nobody else any. Each list runs a fixed number
of queries, whatever the number of alerts. Changes (snooze, acknowledge, the nightly
notifications, the weekly digest) are in `deadlines.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from cases.policy import own_cases
from deadlines import engine
from deadlines.models import Alert
from deadlines.policy import deadline_cases
from spip import policy
from spip.home import Panel
from spip.models import Role, User

SOON_DAYS = 7  # "this week": due within a week
HOME_LISTED = 10  # the most urgent alerts the home page lists

GROUPS = (
    ("overdue", gettext_lazy("Overdue")),
    ("today", gettext_lazy("Due today")),
    ("soon", gettext_lazy("Within a week")),
    ("later", gettext_lazy("Coming up")),
    ("information", gettext_lazy("For information")),
)


def urgency(alert: Alert, today: date) -> str:
    rule = engine.rule_for(alert.rule)
    if rule is not None and rule.informative:
        return "information"
    if alert.due_on < today:
        return "overdue"
    if alert.due_on == today:
        return "today"
    if alert.due_on <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return "later"


def decorate(alert: Alert, today: date) -> Alert:
    """Attach what a row shows: the rule's label and source, a description, the link to the
    page where it is resolved, its urgency (no query)."""
    rule = engine.rule_for(alert.rule)
    alert.urgency = urgency(alert, today)
    alert.label = rule.label if rule else alert.rule
    alert.source = rule.source if rule else ""
    alert.description = rule.describe(alert) if rule else ""
    alert.link = rule.link(alert) if rule else reverse("cases:detail", args=[alert.case_id])
    alert.informative = bool(rule and rule.informative)
    alert.snoozed = bool(alert.snoozed_until and alert.snoozed_until > today)
    return alert


def live(today: date) -> Q:
    """Open, neither acknowledged nor snoozed past today."""
    return Q(status=Alert.Status.OPEN, acknowledged_at__isnull=True) & (
        Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today)
    )


def informative_codes() -> list[str]:
    return [rule.code for rule in engine.rules() if rule.informative]


def alerts_of_cases(cases: QuerySet[Case]) -> QuerySet[Alert]:
    return Alert.objects.filter(
        status=Alert.Status.OPEN, case__in=cases.filter(closed_on__isnull=True).values("pk")
    )


def user_alerts(user: User, today: date) -> QuerySet[Alert]:
    """The open alerts of the user's own caseload (none for roles without one)."""
    return alerts_of_cases(deadline_cases(user, today=today))


@dataclass
class Group:
    key: str
    label: Any
    count: int = 0
    alerts: list[Alert] = field(default_factory=list)


def _counts(alerts: QuerySet[Alert], today: date) -> dict[str, int]:
    info = informative_codes()
    actionable = ~Q(rule__in=info)
    return alerts.aggregate(
        overdue=Count("pk", filter=actionable & Q(due_on__lt=today)),
        today=Count("pk", filter=actionable & Q(due_on=today)),
        soon=Count(
            "pk", filter=actionable & Q(due_on__gt=today, due_on__lte=today + timedelta(SOON_DAYS))
        ),
        later=Count("pk", filter=actionable & Q(due_on__gt=today + timedelta(SOON_DAYS))),
        information=Count("pk", filter=Q(rule__in=info)),
    )


def home_summary(user: User, today: date) -> dict[str, Any]:
    """The adviser's live alerts counted by urgency and the most urgent listed: two queries."""
    alerts = user_alerts(user, today).filter(live(today))
    counts = _counts(alerts, today)
    first = [
        decorate(alert, today)
        for alert in alerts.exclude(rule__in=informative_codes())
        .select_related("case__person")
        .order_by("due_on", "case__number", "id")[:HOME_LISTED]
    ]
    groups = [Group(key, label, counts[key]) for key, label in GROUPS]
    return {"groups": groups, "first": first, "total": sum(counts.values())}


@dataclass
class AlertList:
    groups: list[Group]
    snoozed: list[Alert]
    acknowledged: list[Alert]


def alert_list(alerts: QuerySet[Alert], today: date) -> AlertList:
    """Every open alert of a caseload grouped by urgency, the snoozed and acknowledged ones
    apart (one query)."""
    groups = {key: Group(key, label) for key, label in GROUPS}
    snoozed: list[Alert] = []
    acknowledged: list[Alert] = []
    for alert in alerts.select_related("case__person", "snoozed_by").order_by(
        "due_on", "case__number", "id"
    ):
        decorate(alert, today)
        if alert.acknowledged_at:
            acknowledged.append(alert)
        elif alert.snoozed:
            snoozed.append(alert)
        else:
            group = groups[alert.urgency]
            group.alerts.append(alert)
            group.count += 1
    return AlertList(list(groups.values()), snoozed, acknowledged)


@dataclass
class AdviserOverdue:
    adviser_id: int | None
    name: str
    branch: str
    overdue: int
    open: int


def overdue_by_adviser(director: User, today: date) -> list[AdviserOverdue]:
    """For a director: per adviser of the branches they direct (and for the cases waiting for
    one), the open deadlines and those overdue (snoozed ones included: the director sees what
    waits), in one query."""
    if not policy.can(director, "deadline.team"):
        return []
    info = informative_codes()
    rows = (
        alerts_of_cases(own_cases(director, today=today))
        .exclude(rule__in=info)
        .filter(acknowledged_at__isnull=True)
        .values(
            "case__adviser",
            "case__adviser__first_name",
            "case__adviser__last_name",
            "case__adviser__username",
            "case__branch__name",
        )
        .annotate(overdue=Count("pk", filter=Q(due_on__lt=today)), open=Count("pk"))
        .order_by("-overdue", "case__adviser__last_name", "case__adviser")
    )
    # A case waiting for an adviser (opened so, or transferred in) has its own row, which
    # leads to the allocation page where it gets one.
    return [
        AdviserOverdue(
            adviser_id=row["case__adviser"],
            name=" ".join(
                part
                for part in (row["case__adviser__first_name"], row["case__adviser__last_name"])
                if part
            )
            or row["case__adviser__username"]
            or _("Cases without an adviser"),
            branch=row["case__branch__name"],
            overdue=row["overdue"],
            open=row["open"],
        )
        for row in rows
    ]


def adviser_for_director(director: User, adviser_id: int) -> User:
    """An adviser of a branch the director directs, else 404."""
    adviser = (
        User.objects.filter(pk=adviser_id, role=Role.ADVISER)
        .filter(branch__in=director.directed_branches.all())
        .first()
    )
    if adviser is None:
        raise Http404
    return adviser


def adviser_alerts_for_director(director: User, adviser: User, today: date) -> QuerySet[Alert]:
    return alerts_of_cases(own_cases(director, today=today).filter(adviser=adviser))


def alert_for_user(user: User, alert_id: int) -> Alert:
    """An alert of a case the user follows or directs; 404 otherwise."""
    alert = Alert.objects.filter(pk=alert_id).select_related("case__person").first()
    if alert is None:
        raise Http404
    policy.require(user, "deadline.snooze", alert)
    return alert


def home_panel(user: User, today: date) -> Panel | None:
    """The home page's deadlines: the adviser's by urgency (two queries), or for a director
    the deadlines per adviser of the branches they direct (one query)."""
    if policy.can(user, "deadline.team"):
        context = {"rows": overdue_by_adviser(user, today)}
    elif policy.can(user, "deadline.list"):
        context = home_summary(user, today) | {"rows": None}
    else:
        return None
    return Panel(template="deadlines/_home_panel.html", context=context, order=15)
