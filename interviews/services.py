"""Every change to interviews goes through these functions: access, rules, access log.

Each one asks `spip.policy` the question its view asked (`interview.schedule`,
`interview.outcome`, `interview.outcomes`), so that no other door gets around it.

Times are aware datetimes (stored in UTC); what a user types is a Paris wall-clock time,
turned into one by `paris_datetime`, so an interview at 09:00 stays at 09:00 on either side
of a daylight-saving change.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.extensions import case_changed
from cases.models import Case, Incident, Measure, Proof
from interviews import policy as interviews_policy
from interviews import selectors
from interviews.models import CalendarToken, Interview
from spip import policy
from spip.exceptions import SpipError
from spip.models import AccessLog, User
from spip.services import access_log_record
from spip.versioning import update_versioned

# Office hours in which an interview may start (home visits included).
EARLIEST_START, LATEST_START = time(7, 0), time(21, 0)


def paris_datetime(day: date, at: time) -> datetime:
    """The aware datetime of a Paris wall-clock time; a time that does not exist that day
    (the hour skipped when summer time starts) is refused rather than shifted."""
    zone = ZoneInfo(settings.TIME_ZONE)
    value = datetime.combine(day, at).replace(tzinfo=zone)
    if value.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != (
        datetime.combine(day, at)
    ):
        raise SpipError(
            _("This time does not exist on that day (clocks go forward)."), field="start"
        )
    return value


def local(value: datetime) -> datetime:
    return timezone.localtime(value)


def _slot(value: datetime) -> str:
    value = local(value)
    return _("%(day)s at %(time)s") % {
        "day": formats.date_format(value, "SHORT_DATE_FORMAT"),
        "time": formats.time_format(value, "TIME_FORMAT"),
    }


def _check_adviser(case: Case, adviser: User) -> None:
    if not interviews_policy.may_hold(adviser, case):
        raise SpipError(_("Choose an adviser who follows this case."), field="adviser")


# An interview that has just begun (a person who came without an appointment) may still be
# recorded; anything earlier is the past.
JUST_BEGUN = timedelta(hours=1)


def _check_time(start: datetime, duration: int) -> None:
    if not 5 <= duration <= 480:
        raise SpipError(_("A duration between 5 minutes and 8 hours."), field="duration")
    start_local = local(start)
    if start < timezone.now() - JUST_BEGUN:
        raise SpipError(_("An interview cannot be planned in the past."), field="start")
    if not EARLIEST_START <= start_local.time() <= LATEST_START:
        raise SpipError(_("Choose a time between 07:00 and 21:00."), field="start")


def _check_overlaps(
    adviser: User, case: Case, start: datetime, end: datetime, *, exclude: int | None = None
) -> None:
    """Name the interview in the way, for the adviser and for the person (without saying
    whom the adviser sees then)."""
    busy = Interview.objects.filter(status__in=Interview.BUSY, start__lt=end, end__gt=start)
    if exclude:
        busy = busy.exclude(pk=exclude)
    clash = busy.filter(adviser=adviser).order_by("start").first()
    if clash:
        raise SpipError(
            _("%(adviser)s already has an interview from %(start)s to %(end)s.")
            % {
                "adviser": adviser.get_full_name() or adviser.username,
                "start": _slot(clash.start),
                "end": formats.time_format(local(clash.end), "TIME_FORMAT"),
            },
            field="start",
        )
    clash = busy.filter(person_id=case.person_id).order_by("start").first()
    if clash:
        raise SpipError(
            _("This person already has an appointment from %(start)s to %(end)s.")
            % {
                "start": _slot(clash.start),
                "end": formats.time_format(local(clash.end), "TIME_FORMAT"),
            },
            field="start",
        )


def _overlap_refused() -> SpipError:
    return SpipError(_("This time slot was just taken: choose another one."), field="start")


@transaction.atomic
def interview_schedule(
    *,
    acting_user: User,
    case: Case,
    adviser: User,
    start: datetime,
    duration: int,
    kind: str,
    place: str = "",
) -> Interview:
    """Plan an interview (a convocation) for a case."""
    policy.check(acting_user, "interview.schedule", case)
    case_changed.send(case.pk)  # runs only if this transaction commits
    if case.closed_on:
        raise SpipError(_("This case is closed."))
    _check_adviser(case, adviser)
    _check_time(start, duration)
    end = start + timedelta(minutes=duration)
    _check_overlaps(adviser, case, start, end)
    interview = Interview(
        case=case,
        person_id=case.person_id,
        adviser=adviser,
        start=start,
        end=end,
        duration=duration,
        kind=kind,
        place=place,
        created_by=acting_user,
    )
    try:
        with transaction.atomic():
            interview.save()
    except IntegrityError as error:
        if "no_overlap" in str(error):
            raise _overlap_refused() from error
        raise
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=interview)
    return interview


@transaction.atomic
def interview_reschedule(
    *,
    acting_user: User,
    interview: Interview,
    version: int,
    start: datetime,
    duration: int,
    place: str,
    kind: str,
    adviser: User,
) -> Interview:
    """Move a planned interview. The earlier time stays in its change history; the
    convocation and the reminder are for the new time, so both are to be sent again."""
    case = interview.case
    policy.check(acting_user, "interview.schedule", interview)
    if interview.status != Interview.Status.PLANNED:
        raise SpipError(_("Only a planned interview can be moved."))
    case_changed.send(case.pk)
    _check_adviser(case, adviser)
    _check_time(start, duration)
    end = start + timedelta(minutes=duration)
    _check_overlaps(adviser, case, start, end, exclude=interview.pk)
    changes = {
        "start": start,
        "end": end,
        "duration": duration,
        "place": place,
        "kind": kind,
        "adviser": adviser,
    }
    if start != interview.start or place != interview.place:
        changes |= {
            "convocation_sent_at": None,
            "convocation_channel": "",
            "reminder": "",
            "reminder_sent_at": None,
            "reminder_result": "",
        }
    try:
        with transaction.atomic():
            interview = update_versioned(interview, version=version, changes=changes)
    except IntegrityError as error:
        if "no_overlap" in str(error):
            raise _overlap_refused() from error
        raise
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=interview)
    return interview


@transaction.atomic
def interview_cancel(*, acting_user: User, interview: Interview, version: int) -> Interview:
    policy.check(acting_user, "interview.schedule", interview)
    if interview.status != Interview.Status.PLANNED:
        raise SpipError(_("Only a planned interview can be cancelled."))
    case_changed.send(interview.case_id)
    interview = update_versioned(
        interview, version=version, changes={"status": Interview.Status.CANCELLED}
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=interview)
    return interview


@transaction.atomic
def interview_outcome_record(
    *,
    acting_user: User,
    interview: Interview,
    version: int,
    status: str,
    outcome: str,
    notes: str,
    proofs: dict[int, bool] | None = None,
) -> tuple[Interview, list[Proof]]:
    """Log what happened, and record in the same step the proofs checked during the
    interview (`proofs`: obligation id → compliant)."""
    case = interview.case
    policy.check(acting_user, "interview.outcome", interview)
    case_changed.send(case.pk)
    if status not in Interview.OUTCOMES:
        raise SpipError(_("Choose what happened."), field="status")
    if interview.status == Interview.Status.CANCELLED:
        raise SpipError(_("This interview was cancelled."))
    now = timezone.now()
    if status in (Interview.Status.HELD, Interview.Status.MISSED) and interview.start > now:
        raise SpipError(_("This interview has not taken place yet."), field="status")
    if interview.incident_id and status != Interview.Status.MISSED:
        raise SpipError(
            _("An incident was recorded for this missed interview: its outcome stays."),
            field="status",
        )
    if status in Interview.BUSY and interview.status not in Interview.BUSY:
        # An excused or missed interview freed its slot; someone may have taken it since.
        _check_overlaps(
            interview.adviser, case, interview.start, interview.end, exclude=interview.pk
        )
    proofs = proofs or {}
    if proofs and status != Interview.Status.HELD:
        raise SpipError(
            _("Proofs are checked only during an interview that was held."), field="status"
        )
    day = min(local(interview.start).date(), timezone.localdate())
    allowed = {
        obligation.pk: obligation for obligation in selectors.proof_obligations(case, today=day)
    }
    recorded = []
    for obligation_id, compliant in proofs.items():
        obligation = allowed.get(obligation_id)
        if obligation is None:
            raise SpipError(_("This obligation does not expect a proof any more."))
        recorded.append(
            case_services.proof_record(
                acting_user=acting_user,
                obligation=obligation,
                received_on=day,
                compliant=compliant,
                note=_("Checked during the interview"),
            )
        )
    try:
        with transaction.atomic():
            interview = update_versioned(
                interview,
                version=version,
                changes={
                    "status": status,
                    "outcome": outcome,
                    "notes": notes,
                    "outcome_logged_at": now,
                },
            )
    except IntegrityError as error:
        if "no_overlap" in str(error):
            raise _overlap_refused() from error
        raise
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=interview)
    return interview, recorded


@transaction.atomic
def interview_incident_record(
    *,
    acting_user: User,
    interview: Interview,
    measure: Measure,
    response: str,
    description: str,
) -> Incident:
    """The adviser confirms that a missed interview is a breach (CP 132-44 1°)."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    policy.check(acting_user, "interview.outcome", interview)
    if interview.status != Interview.Status.MISSED:
        raise SpipError(_("Only a missed interview can become an incident."))
    if interview.incident_id:
        raise SpipError(_("An incident was already recorded for this interview."))
    if measure.case_id != interview.case_id:
        raise SpipError(_("Choose a measure of this case."), field="measure")
    obligation = measure.obligations.filter(type__code="control-convocations").first()
    incident = case_services.incident_record(
        acting_user=acting_user,
        measure=measure,
        occurred_on=local(interview.start).date(),
        description=description,
        response=response,
        obligation=obligation,
    )
    Interview.objects.filter(pk=interview.pk).update(incident=incident)
    return incident


@transaction.atomic
def interview_convocation_sent(
    *, acting_user: User, interview: Interview, channel: str
) -> Interview:
    policy.check(acting_user, "interview.schedule", interview)
    if interview.status != Interview.Status.PLANNED:
        raise SpipError(_("Only a planned interview is convened."))
    if channel not in Interview.Channel.values:
        raise SpipError(_("Choose how the convocation was given."), field="channel")
    Interview.objects.filter(pk=interview.pk).update(
        convocation_sent_at=timezone.now(), convocation_channel=channel
    )
    interview.refresh_from_db()
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=interview)
    return interview


def convocation_printed(*, acting_user: User, interview: Interview) -> None:
    policy.check(acting_user, "interview.schedule", interview)
    access_log_record(acting_user=acting_user, action=AccessLog.Action.PRINT, obj=interview)


@transaction.atomic
def reminder_retry(*, acting_user: User, interview: Interview) -> Interview:
    """A claim left by a worker that died: the adviser checked whether the person got the
    reminder and asks for it to be sent again."""
    policy.check(acting_user, "interview.schedule", interview)
    from interviews.reminders import STALE_CLAIM

    updated = Interview.objects.filter(
        pk=interview.pk,
        reminder=Interview.Reminder.CLAIMED,
        status=Interview.Status.PLANNED,
        reminder_claimed_at__lt=timezone.now() - STALE_CLAIM,
    ).update(reminder="", reminder_claimed_at=None, reminder_result="")
    if not updated:
        raise SpipError(_("This reminder is not waiting for a decision."))
    interview.refresh_from_db()
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=interview)
    return interview


def cancel_planned_on_transfer(case: Case, acting_user: User) -> None:
    """A case moved to another branch: the old branch's planned interviews are cancelled
    (the receiving branch plans its own), so no reminder goes out for them."""
    planned = Interview.objects.filter(case=case, status=Interview.Status.PLANNED)
    for interview in planned:
        access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=interview)
    planned.update(status=Interview.Status.CANCELLED, version=F("version") + 1)


# --- Calendar feed ------------------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, acting_user: User) -> str:
    """A new secret for the user's feed (the previous one stops working). Returned once."""
    policy.check(acting_user, "interview.outcomes")
    calendar_token_revoke(acting_user=acting_user)
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=acting_user, token_hash=selectors.token_hash(token))
    return token


def calendar_token_revoke(*, acting_user: User) -> int:
    return CalendarToken.objects.filter(user=acting_user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
