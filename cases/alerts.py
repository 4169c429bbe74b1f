"""Deadline alerts for people: who sees which, grouped by urgency; snooze and acknowledge;
the nightly notifications and the weekly digest.

An adviser sees the alerts of the cases they follow (assigned, co-adviser, substitute); a
director those of the branches they direct; nobody else any. Each list runs a fixed number
of queries, whatever the number of alerts.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases import deadlines
from cases.models import Alert, Case, DigestClaim
from cases.policy import deadline_cases, own_cases
from spip import policy
from spip.exceptions import SpipError
from spip.home import Panel
from spip.models import AccessLog, Role, User
from spip.services import access_log_record, notification_send
from spip.workdays import week_start

logger = logging.getLogger(__name__)

SOON_DAYS = 7  # "this week": due within a week
HOME_LISTED = 10  # the most urgent alerts the home page lists
SNOOZE_MAX_DAYS = 92  # a snooze hides an alert for at most about three months

GROUPS = (
    ("overdue", gettext_lazy("Overdue")),
    ("today", gettext_lazy("Due today")),
    ("soon", gettext_lazy("Within a week")),
    ("later", gettext_lazy("Coming up")),
    ("information", gettext_lazy("For information")),
)


def urgency(alert: Alert, today: date) -> str:
    rule = deadlines.rule_for(alert.rule)
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
    rule = deadlines.rule_for(alert.rule)
    alert.urgency = urgency(alert, today)
    alert.label = rule.label if rule else alert.rule
    alert.source = rule.source if rule else ""
    alert.description = rule.describe(alert) if rule else ""
    alert.link = rule.link(alert) if rule else reverse("cases:detail", args=[alert.case_id])
    alert.informative = bool(rule and rule.informative)
    alert.snoozed = bool(alert.snoozed_until and alert.snoozed_until > today)
    return alert


def _live(today: date) -> Q:
    """Open, neither acknowledged nor snoozed past today."""
    return (
        Q(status=Alert.Status.OPEN, acknowledged_at__isnull=True)
        & (Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
    )  # fmt: skip


def _informative_codes() -> list[str]:
    return [rule.code for rule in deadlines.rules() if rule.informative]


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
    info = _informative_codes()
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
    alerts = user_alerts(user, today).filter(_live(today))
    counts = _counts(alerts, today)
    first = [
        decorate(alert, today)
        for alert in alerts.exclude(rule__in=_informative_codes())
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
    info = _informative_codes()
    rows = (
        alerts_of_cases(own_cases(director, today=today))
        .exclude(rule__in=info)
        .filter(acknowledged_at__isnull=True)
        .values(
            "case__adviser", "case__adviser__first_name", "case__adviser__last_name",
            "case__adviser__username", "case__branch__name",
        )
        .annotate(overdue=Count("pk", filter=Q(due_on__lt=today)), open=Count("pk"))
        .order_by("-overdue", "case__adviser__last_name", "case__adviser")
    )  # fmt: skip
    # A case waiting for an adviser (opened so, or transferred in) has its own row, which
    # leads to the allocation page where it gets one.
    return [
        AdviserOverdue(
            adviser_id=row["case__adviser"],
            name=" ".join(
                part for part in (row["case__adviser__first_name"], row["case__adviser__last_name"])
                if part
            ) or row["case__adviser__username"] or _("Cases without an adviser"),
            branch=row["case__branch__name"],
            overdue=row["overdue"],
            open=row["open"],
        )
        for row in rows
    ]  # fmt: skip


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


class AlertError(SpipError):
    pass


def alert_snooze(
    *, acting_user: User, alert: Alert, until: date, reason: str, today: date | None = None
) -> Alert:
    """Hide an open alert from the lists until `until` (after today, at most about three
    months ahead), with the reason, which the directors see. Logged on the case."""
    today = today or timezone.localdate()
    reason = reason.strip()
    if alert.status != Alert.Status.OPEN:
        raise AlertError(_("This deadline is already closed."))
    if not reason:
        raise AlertError(_("Say why this deadline can wait."), field="reason")
    if until <= today:
        raise AlertError(_("Choose a date after today."), field="until")
    if until > today + timedelta(days=SNOOZE_MAX_DAYS):
        limit = date_format(today + timedelta(days=SNOOZE_MAX_DAYS), "SHORT_DATE_FORMAT")
        raise AlertError(
            _("A deadline can be put off until %(date)s at the latest.") % {"date": limit},
            field="until",
        )
    with transaction.atomic():
        alert.snoozed_until, alert.snooze_reason, alert.snoozed_by = until, reason, acting_user
        alert.save(update_fields=["snoozed_until", "snooze_reason", "snoozed_by"])
        access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=alert.case)
    return alert


def alert_acknowledge(*, acting_user: User, alert: Alert) -> Alert:
    """Mark an informative alert as seen: it leaves the lists while its condition holds."""
    rule = deadlines.rule_for(alert.rule)
    if rule is None or not rule.informative:
        raise AlertError(_("This deadline closes once what it asks for is done."))
    if alert.status != Alert.Status.OPEN or alert.acknowledged_at:
        return alert
    with transaction.atomic():
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), acting_user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=alert.case)
    return alert


def alert_restore(*, acting_user: User, alert: Alert) -> bool:
    """Bring a snoozed or acknowledged alert back into the lists; False (nothing done) when
    it is closed meanwhile."""
    if alert.status != Alert.Status.OPEN:
        return False
    with transaction.atomic():
        alert.snoozed_until, alert.snooze_reason, alert.snoozed_by = None, "", None
        alert.acknowledged_at, alert.acknowledged_by = None, None
        alert.save(
            update_fields=[
                "snoozed_until", "snooze_reason", "snoozed_by", "acknowledged_at",
                "acknowledged_by",
            ]
        )  # fmt: skip
        access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=alert.case)
    return True


def notify_new_alerts(*, as_of: date) -> int:
    """After the nightly sweep: one notification to each adviser with alerts raised on their
    caseload and not told yet (by the sweep, or during the day by a case recompute), counts
    only; each alert is told once (again if it reopens). Returns how many were told."""
    pending = Alert.objects.filter(
        notified_at__isnull=True, status=Alert.Status.OPEN, case__closed_on__isnull=True,
        case__adviser__isnull=False, case__adviser__is_active=True,
    ).exclude(rule__in=_informative_codes())  # fmt: skip
    with transaction.atomic():
        ids = list(pending.select_for_update(of=("self",)).values_list("pk", flat=True))
        rows = (
            Alert.objects.filter(pk__in=ids)
            .values("case__adviser")
            .annotate(raised=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=as_of)))
            .order_by("case__adviser")
        )
        advisers = {user.pk: user for user in User.objects.filter(
            pk__in=[row["case__adviser"] for row in rows]
        )}  # fmt: skip
        link = reverse("cases:deadlines")
        with translation.override(settings.LANGUAGE_CODE):
            for row in rows:
                message = ngettext(
                    "%(count)s new deadline on your caseload",
                    "%(count)s new deadlines on your caseload",
                    row["raised"],
                ) % {"count": row["raised"]}
                if row["overdue"]:
                    message += " " + ngettext(
                        "(%(count)s overdue)", "(%(count)s overdue)", row["overdue"]
                    ) % {"count": row["overdue"]}
                notification_send(recipient=advisers[row["case__adviser"]], message=message,
                                  link=link)  # fmt: skip
        Alert.objects.filter(pk__in=ids).update(notified_at=timezone.now())
    return len(advisers)


def digest_send(*, as_of: date) -> int:
    """Send each active adviser with open deadlines the digest of the week of `as_of`:
    overdue ones and those due by Sunday. Each adviser's digest is claimed (a row inserted)
    before the e-mail leaves, so that the task run twice sends it once; a failed sending
    gives the claim back for a later run. The e-mail names cases by number and initials
    only. Returns how many e-mails left."""
    monday = week_start(as_of)
    sunday = monday + timedelta(days=6)
    already = DigestClaim.objects.filter(week=monday).values("recipient")
    alerts = (
        Alert.objects.filter(_live(as_of), due_on__lte=sunday, case__closed_on__isnull=True)
        .exclude(rule__in=_informative_codes())
        .filter(case__adviser__role=Role.ADVISER, case__adviser__is_active=True)
        .exclude(case__adviser__email="")
        .exclude(case__adviser__in=already)
        .select_related("case__person", "case__adviser")
        .order_by("case__adviser", "due_on", "case__number")
    )
    by_adviser: dict[int, list[Alert]] = defaultdict(list)
    advisers: dict[int, User] = {}
    for alert in alerts:
        by_adviser[alert.case.adviser_id].append(decorate(alert, as_of))
        advisers[alert.case.adviser_id] = alert.case.adviser
    sent = 0
    for adviser_id, rows in by_adviser.items():
        if not _claim(adviser_id, monday):
            continue
        try:
            _send_digest(advisers[adviser_id], rows, monday, as_of)
        except Exception:
            DigestClaim.objects.filter(recipient_id=adviser_id, week=monday).delete()
            logger.exception("A deadline digest could not be sent; a later run will retry")
            continue
        DigestClaim.objects.filter(recipient_id=adviser_id, week=monday).update(
            sent_at=timezone.now()
        )
        sent += 1
    return sent


def _claim(adviser_id: int, monday: date) -> bool:
    try:
        with transaction.atomic():
            DigestClaim.objects.create(recipient_id=adviser_id, week=monday)
    except IntegrityError:
        return False
    return True


def _send_digest(adviser: User, alerts: list[Alert], monday: date, as_of: date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "adviser": adviser,
            "monday": monday,
            "overdue": [alert for alert in alerts if alert.due_on < as_of],
            "week": [alert for alert in alerts if alert.due_on >= as_of],
            "url": settings.SITE_URL.rstrip("/") + reverse("cases:deadlines"),
        }
        subject = _("Your deadlines for the week of %(date)s") % {
            "date": date_format(monday, "SHORT_DATE_FORMAT")
        }
        body = render_to_string("cases/alerts/digest.txt", context)
    send_mail(subject, body, None, [adviser.email])


def home_panel(user: User, today: date) -> Panel | None:
    """The home page's deadlines: the adviser's by urgency (two queries), or for a director
    the deadlines per adviser of the branches they direct (one query)."""
    if policy.can(user, "deadline.team"):
        context = {"rows": overdue_by_adviser(user, today)}
    elif policy.can(user, "deadline.list"):
        context = home_summary(user, today) | {"rows": None}
    else:
        return None
    return Panel(template="cases/alerts/_home_panel.html", context=context, order=15)


def seed_deadlines(*, stdout: Any = None, **_: Any) -> None:
    """Demo: sweep the deadlines of everything the other seeders built, as the nightly task
    would (a second run adds nothing)."""
    counts = deadlines.sweep(as_of=timezone.localdate())
    if stdout is not None:
        raised = sum(count.created for count in counts.values())
        stdout.write(f"Demo deadlines: {raised} alerts raised by the sweep.")
