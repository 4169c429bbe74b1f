"""Reminders sent to the person about 48 hours before an interview.

A beat task runs `reminders_send` every few minutes. Each reminder is first claimed in the
database (`SELECT … FOR UPDATE SKIP LOCKED`, then marked `claimed` and committed), and only
then sent; the result is written on the interview. Two runs or two workers at once claim
disjoint rows, and a claimed row is never picked up again: if a worker dies between the claim
and the result, the interview keeps its `claimed` mark, and after 15 minutes the adviser is
shown it, to check and resend by hand — never silently sent twice.

Transports: e-mail through Django's e-mail backend; text messages through the backend named
by `SMS_BACKEND` (`LoggingSmsBackend` until a provider is chosen). The person's opt-out
(`Person.sms_opt_out`) is honoured. Messages say where and when, nothing else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from interviews.models import Interview

logger = logging.getLogger(__name__)

AHEAD = timedelta(hours=48)
# Not worth a reminder any more: the interview is too close.
TOO_LATE = timedelta(hours=2)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 50


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send `text` to `phone`; return the provider's message reference."""


class LoggingSmsBackend:
    """Stands in for an SMS provider: logs that a message would leave (never its text nor
    the full number)."""

    def send(self, phone: str, text: str) -> str:
        logger.info("SMS reminder to a number ending in %s (%d characters)", phone[-2:], len(text))
        return "logged"


class ReminderError(Exception):
    pass


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def _claim(now: datetime, batch: int) -> tuple[list[int], datetime]:
    """Claim up to `batch` reminders due at `now`; the claim is stamped with the real time
    (a stale claim is one older than 15 minutes by the clock) and identifies this run."""
    claimed_at = timezone.now()
    with transaction.atomic():
        ids = list(
            Interview.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Interview.Status.PLANNED,
                reminder=Interview.Reminder.NONE,
                start__gt=now + TOO_LATE,
                start__lte=now + AHEAD,
            )
            .order_by("start")
            .values_list("pk", flat=True)[:batch]
        )
        Interview.objects.filter(pk__in=ids).update(
            reminder=Interview.Reminder.CLAIMED, reminder_claimed_at=claimed_at
        )
    return ids, claimed_at


def reminder_text(interview: Interview) -> str:
    start = timezone.localtime(interview.start)
    branch = interview.case.branch
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Reminder: you are expected at the probation service (%(branch)s) on %(day)s at "
            "%(time)s%(place)s. If you cannot come, call %(phone)s."
        ) % {
            "branch": branch.name,
            "day": formats.date_format(start, "l j F Y"),
            "time": formats.time_format(start, "TIME_FORMAT"),
            "place": f", {interview.place}" if interview.place else "",
            "phone": branch.phone or _("your adviser"),
        }
    return text


def _send_one(interview: Interview) -> tuple[str, str]:
    """Send the reminder of one claimed interview; return (state, result)."""
    person = interview.person
    text = reminder_text(interview)
    channels = []
    if person.email:
        send_mail(
            _("Your appointment at the probation service"),
            text,
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
        channels.append(_("e-mail"))
    if person.phone and not person.sms_opt_out:
        sms_backend().send(person.phone, text)
        channels.append(_("text message"))
    if not channels:
        if person.phone and person.sms_opt_out:
            return Interview.Reminder.SKIPPED, _("Not sent: the person refuses text messages.")
        return Interview.Reminder.SKIPPED, _("Not sent: no e-mail address or phone number.")
    return Interview.Reminder.SENT, _("Sent by %(channels)s.") % {"channels": ", ".join(channels)}


def reminders_send(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    while True:
        ids, claimed_at = _claim(now, batch)
        if not ids:
            break
        result.claimed += len(ids)
        interviews = Interview.objects.filter(pk__in=ids).select_related("person", "case__branch")
        for interview in interviews:
            with override(settings.LANGUAGE_CODE):
                try:
                    state, message = _send_one(interview)
                except Exception as error:  # noqa: BLE001 — recorded on the interview
                    logger.warning(
                        "Reminder for interview %s failed: %s", interview.pk, type(error).__name__
                    )
                    state = Interview.Reminder.FAILED
                    message = _("Failed (%(error)s).") % {"error": type(error).__name__}
            # Only this run's claim: one reset by the adviser meanwhile is theirs now.
            Interview.objects.filter(
                pk=interview.pk,
                reminder=Interview.Reminder.CLAIMED,
                reminder_claimed_at=claimed_at,
            ).update(
                reminder=state,
                reminder_result=message[:200],
                reminder_sent_at=timezone.now() if state == Interview.Reminder.SENT else None,
            )
            counter = {Interview.Reminder.SENT: "sent", Interview.Reminder.SKIPPED: "skipped"}
            name = counter.get(state, "failed")
            setattr(result, name, getattr(result, name) + 1)
    logger.info(
        "Reminders: %d claimed, %d sent, %d skipped, %d failed",
        result.claimed,
        result.sent,
        result.skipped,
        result.failed,
    )
    return result


def stale_claims(now: datetime | None = None):  # type: ignore[no-untyped-def]
    """Claims older than 15 minutes without a result: a worker died mid-send."""
    now = now or timezone.now()
    return Interview.objects.filter(
        reminder=Interview.Reminder.CLAIMED, reminder_claimed_at__lt=now - STALE_CLAIM
    )
