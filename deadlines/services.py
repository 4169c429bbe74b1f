"""Deadline alerts, changed: snooze, acknowledge and restore one alert; the nightly
notifications after the sweep and the weekly digest. Reads are in `deadlines.selectors`, the
engine that raises and closes alerts in `deadlines.engine`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deadlines import engine, selectors
from deadlines.models import Alert, DigestClaim
from spip.exceptions import SpipError
from spip.models import AccessLog, Role, User
from spip.services import access_log_record, notification_send
from spip.workdays import week_start

logger = logging.getLogger(__name__)

SNOOZE_MAX_DAYS = 92  # a snooze hides an alert for at most about three months


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
    rule = engine.rule_for(alert.rule)
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
                "snoozed_until",
                "snooze_reason",
                "snoozed_by",
                "acknowledged_at",
                "acknowledged_by",
            ]
        )
        access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=alert.case)
    return True


def notify_new_alerts(*, as_of: date) -> int:
    """After the nightly sweep: one notification to each adviser with alerts raised on their
    caseload and not told yet (by the sweep, or during the day by a case recompute), counts
    only; each alert is told once (again if it reopens). Returns how many were told."""
    pending = Alert.objects.filter(
        notified_at__isnull=True,
        status=Alert.Status.OPEN,
        case__closed_on__isnull=True,
        case__adviser__isnull=False,
        case__adviser__is_active=True,
    ).exclude(rule__in=selectors.informative_codes())
    with transaction.atomic():
        ids = list(pending.select_for_update(of=("self",)).values_list("pk", flat=True))
        rows = (
            Alert.objects.filter(pk__in=ids)
            .values("case__adviser")
            .annotate(raised=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=as_of)))
            .order_by("case__adviser")
        )
        advisers = {
            user.pk: user
            for user in User.objects.filter(pk__in=[row["case__adviser"] for row in rows])
        }
        link = reverse("deadlines:list")
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
                notification_send(
                    recipient=advisers[row["case__adviser"]], message=message, link=link
                )
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
        Alert.objects.filter(
            selectors.live(as_of), due_on__lte=sunday, case__closed_on__isnull=True
        )
        .exclude(rule__in=selectors.informative_codes())
        .filter(case__adviser__role=Role.ADVISER, case__adviser__is_active=True)
        .exclude(case__adviser__email="")
        .exclude(case__adviser__in=already)
        .select_related("case__person", "case__adviser")
        .order_by("case__adviser", "due_on", "case__number")
    )
    by_adviser: dict[int, list[Alert]] = defaultdict(list)
    advisers: dict[int, User] = {}
    for alert in alerts:
        adviser = alert.case.adviser
        assert adviser is not None  # the query keeps cases with an active adviser only
        by_adviser[adviser.pk].append(selectors.decorate(alert, as_of))
        advisers[adviser.pk] = adviser
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
            "url": str(settings.SITE_URL).rstrip("/") + reverse("deadlines:list"),
        }
        subject = _("Your deadlines for the week of %(date)s") % {
            "date": date_format(monday, "SHORT_DATE_FORMAT")
        }
        body = render_to_string("deadlines/digest.txt", context)
    send_mail(subject, body, None, [adviser.email])
