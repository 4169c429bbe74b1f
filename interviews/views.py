"""Interview pages: agenda, scheduling, outcome logging (htmx), convocation letter, calendar
feed. Access follows the case (`interviews.policy`, `cases.policy`): secretaries schedule and
print convocations but never see notes; clerks and partners get 404, an admin 403."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.allocation import running_measures
from cases.models import Case
from cases.policy import case_for, own_cases, stated_reason
from interviews import policy as interviews_policy
from interviews import selectors, services
from interviews.calendar import calendar_feed as build_feed
from interviews.forms import (
    AgendaForm,
    AgendaScheduleForm,
    ConvocationSentForm,
    IncidentForm,
    OutcomeForm,
    RescheduleForm,
    ScheduleForm,
    VersionForm,
)
from interviews.models import Interview
from interviews.policy import oversees_agendas, schedulable_cases
from interviews.reminders import STALE_CLAIM
from spip import policy
from spip.exceptions import SpipError
from spip.forms import submit_form
from spip.models import AccessLog, Role
from spip.pdf import pdf_response, render_pdf
from spip.services import access_log_record
from spip.workdays import week_start


def _interview_for(request: HttpRequest, interview_id: int, action: str) -> Interview:
    """Fetch an interview with its case and `require` the action on it: the interview pages
    exist for those for whom the case pages exist (admin 403 even on a missing id), then
    404 to those for whom the case does not exist, 403 to those who may not do this."""
    policy.require(request.user, "case.list")
    interview = get_object_or_404(
        Interview.objects.select_related(
            "adviser",
            "case__person",
            "case__branch__department",
            "case__adviser",
            "case__intensity",
        ),
        pk=interview_id,
    )
    policy.require(request.user, action, interview)
    return interview


def _advisers_for_case(case: Case) -> list[Any]:
    """Who may hold the case's interviews: its advisers (assigned, co-advisers,
    substitutes) — a handful of people, each checked against the case's access policy."""
    from spip.models import User

    advisers = User.objects.filter(
        role=Role.ADVISER, branch_id=case.branch_id, is_active=True
    ).order_by("last_name", "first_name")
    return [adviser for adviser in advisers if interviews_policy.may_hold(adviser, case)]


# --- Agenda ----------------------------------------------------------------------------------


@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "agenda.view")
    today = timezone.localdate()
    view, day, adviser_id = AgendaForm(request.GET).cleaned(today)
    advisers = selectors.agenda_advisers(request.user)
    if adviser_id:
        chosen = [adviser for adviser in advisers if adviser.pk == adviser_id]
        if not chosen:
            raise Http404
        advisers = chosen
    many = len(advisers) > 1
    view = view or ("day" if many else "week")
    if view == "week":
        first, days = week_start(day), 7
        if many:  # one adviser at a time in the week view
            advisers = advisers[:1]
    else:
        first, days = day, 1
    columns = selectors.agenda(
        request.user, advisers, [first + timedelta(days=offset) for offset in range(days)]
    )
    step = timedelta(days=days)
    return render(
        request,
        "interviews/agenda.html",
        {
            "view": view,
            "first": first,
            "last": first + timedelta(days=days - 1),
            "columns": columns,
            "advisers": selectors.agenda_advisers(request.user) if many or adviser_id else [],
            "adviser_id": adviser_id,
            "previous": first - step,
            "next": first + step,
            "today": today,
            "days": [first + timedelta(days=offset) for offset in range(days)],
            "can_schedule": policy.can(request.user, "interview.schedule"),
        },
    )


@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    """Past interviews whose outcome is still to be logged, and reminders to check."""
    policy.require(request.user, "interview.outcomes")
    return render(
        request,
        "interviews/outcomes.html",
        {
            "interviews": list(selectors.outcomes_to_log(request.user)[:200]),
            "uncertain": list(selectors.uncertain_reminders(request.user)[:50]),
            "names_advisers": oversees_agendas(request.user),
        },
    )


# --- Scheduling ------------------------------------------------------------------------------


def _schedule_page(
    request: HttpRequest, form: Any, *, case: Case | None, title: str, action: Any
) -> HttpResponse:
    def schedule(data: dict[str, Any]) -> Interview:
        try:
            return action(data)
        except SpipError as error:
            if error.field == "start":  # the form asks for the time on its own
                error.field = "at"
            raise

    done = submit_form(
        form,
        service=schedule,
        then=lambda interview: redirect("interviews:detail", interview_id=interview.pk),
    )
    if done is not None:
        return done
    return render(request, "interviews/schedule.html", {"form": form, "case": case, "title": title})


@require_http_methods(["GET", "POST"])
def schedule_for_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id, "interview.schedule")
    today = timezone.localdate()
    suggested = selectors.suggested_next_date(case, today=today)
    form = ScheduleForm(
        request.POST or None,
        advisers=_advisers_for_case(case),
        initial={"adviser": case.adviser_id, "day": suggested, "place": case.branch.name},
    )
    return _schedule_page(
        request,
        form,
        case=case,
        title=_("Plan an interview"),
        action=lambda data: services.interview_schedule(
            acting_user=request.user, case=case, **form.service_arguments()
        ),
    )


@require_http_methods(["GET", "POST"])
def schedule_from_agenda(request: HttpRequest) -> HttpResponse:
    """From the agenda: choose one of the agenda's adviser's cases, then the time."""
    policy.require(request.user, "interview.schedule")
    advisers = selectors.agenda_advisers(request.user)
    if not advisers:
        raise Http404
    adviser_id = request.GET.get("adviser") or request.POST.get("adviser")
    adviser = next((a for a in advisers if str(a.pk) == str(adviser_id)), advisers[0])
    cases = own_cases(adviser).filter(
        closed_on__isnull=True, pk__in=schedulable_cases(request.user).values("pk")
    )
    initial: dict[str, Any] = {"adviser": adviser.pk}
    agenda_form = AgendaForm(request.GET)
    if agenda_form.is_valid() and agenda_form.cleaned_data.get("day"):
        initial["day"] = agenda_form.cleaned_data["day"]
    form = AgendaScheduleForm(request.POST or None, advisers=advisers, cases=cases, initial=initial)

    def action(data: dict[str, Any]) -> Interview:
        return services.interview_schedule(
            acting_user=request.user, case=data["case"], **form.service_arguments()
        )

    return _schedule_page(request, form, case=None, title=_("Plan an interview"), action=action)


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview_for(request, interview_id, "interview.schedule")
    case = interview.case
    start = timezone.localtime(interview.start)
    form = RescheduleForm(
        request.POST or None,
        advisers=_advisers_for_case(case) or [interview.adviser],
        initial={
            "adviser": interview.adviser_id,
            "day": start.date(),
            "at": start.time(),
            "duration": interview.duration,
            "kind": interview.kind,
            "place": interview.place,
            "version": interview.version,
        },
    )
    return _schedule_page(
        request,
        form,
        case=case,
        title=_("Move the interview"),
        action=lambda data: services.interview_reschedule(
            acting_user=request.user,
            interview=interview,
            version=data["version"],
            **form.service_arguments(),
        ),
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview_for(request, interview_id, "interview.schedule")
    form = VersionForm(request.POST or None, initial={"version": interview.version})
    done = submit_form(
        form,
        service=lambda data: services.interview_cancel(
            acting_user=request.user, interview=interview, version=data["version"]
        ),
        then=lambda cancelled: redirect("interviews:detail", interview_id=cancelled.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "interviews/cancel.html",
        {"form": form, "interview": interview, "case": interview.case},
    )


# --- The interview and its outcome ----------------------------------------------------------


@require_GET
def detail(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The interview, with its notes for those who may read the case file (each view of the
    notes is logged); a secretary sees the schedule only."""
    interview = _interview_for(request, interview_id, "interview.view")
    case = interview.case
    # Outside their caseload, an adviser reads the notes once they stated a reason, which
    # the case file asks for first.
    outside_caseload = policy.can(request.user, "case.state_reason", case)
    shows_notes = policy.can(request.user, "case.view", case)
    if outside_caseload and not shows_notes:
        return redirect("cases:detail", case_id=case.pk)
    access_log_record(
        acting_user=request.user,
        action=AccessLog.Action.VIEW,
        obj=interview if shows_notes else case,
        reason=stated_reason(case) if outside_caseload else "",
    )
    may = policy.can_map(request.user, interview, "interview.outcome", "interview.schedule")
    context: dict[str, Any] = {
        "interview": interview,
        "case": case,
        "shows_notes": shows_notes,
        "may": may,
        "history": list(interview.history.order_by("-pgh_created_at")[:20]),
        "sent_form": ConvocationSentForm(),
        "reminder_stale": interview.reminder == Interview.Reminder.CLAIMED
        and interview.reminder_claimed_at is not None
        and interview.reminder_claimed_at < timezone.now() - STALE_CLAIM,
    }
    if may["interview_outcome"]:
        context |= _outcome_context(interview, case)
    return render(request, "interviews/detail.html", context)


def _outcome_context(interview: Interview, case: Case, form: Any = None) -> dict[str, Any]:
    today = timezone.localdate()
    day = min(timezone.localtime(interview.start).date(), today)
    obligations = selectors.proof_obligations(case, today=day)
    form = form or OutcomeForm(
        obligations=obligations,
        initial={
            "status": interview.status if interview.status in Interview.OUTCOMES else "",
            "outcome": interview.outcome,
            "notes": interview.notes,
            "version": interview.version,
        },
    )
    context: dict[str, Any] = {"outcome_form": form, "interview": interview, "case": case}
    if interview.missed_without_excuse():
        measures = case.measures.filter(running_measures(today)).order_by("start_date")
        context["incident_form"] = IncidentForm(
            measures=measures,
            initial={
                "description": _("Convocation of %(slot)s not answered, without excuse.")
                % {"slot": services._slot(interview.start)}
            },
        )
    return context


@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, interview_id: int) -> HttpResponse:
    """Log the outcome in one form (htmx: the form is replaced in place by the result)."""
    interview = _interview_for(request, interview_id, "interview.outcome")
    case = interview.case
    if request.method == "GET":
        access_log_record(acting_user=request.user, action=AccessLog.Action.VIEW, obj=interview)
        return render(request, "interviews/_outcome.html", _outcome_context(interview, case))
    today = timezone.localdate()
    day = min(timezone.localtime(interview.start).date(), today)
    form = OutcomeForm(request.POST, obligations=selectors.proof_obligations(case, today=day))

    def logged(result: tuple[Interview, list[Any]]) -> HttpResponse:
        saved, recorded = result
        if not request.htmx:
            return redirect("interviews:detail", interview_id=saved.pk)
        context = _outcome_context(saved, case) | {"saved": True, "recorded": recorded}
        return render(request, "interviews/_outcome.html", context)

    done = submit_form(
        form,
        service=lambda data: services.interview_outcome_record(
            acting_user=request.user,
            interview=interview,
            version=data["version"],
            status=data["status"],
            outcome=data["outcome"],
            notes=data["notes"],
            proofs=form.proofs(),
        ),
        then=logged,
    )
    if done is not None:
        return done
    return render(request, "interviews/_outcome.html", _outcome_context(interview, case, form))


@require_POST
def incident(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The adviser confirms the incident proposed for a missed interview."""
    interview = _interview_for(request, interview_id, "interview.outcome")
    case = interview.case
    measures = case.measures.filter(running_measures(timezone.localdate())).order_by("start_date")
    form = IncidentForm(request.POST, measures=measures)

    def recorded(_incident: Any) -> HttpResponse:
        if request.htmx:
            interview.refresh_from_db()
            context = _outcome_context(interview, case) | {"incident_saved": True}
            return render(request, "interviews/_outcome.html", context)
        return redirect("interviews:detail", interview_id=interview.pk)

    done = submit_form(
        form,
        service=lambda data: services.interview_incident_record(
            acting_user=request.user, interview=interview, **data
        ),
        then=recorded,
    )
    if done is not None:
        return done
    context = _outcome_context(interview, case) | {"incident_form": form}
    return render(request, "interviews/_outcome.html", context)


# --- Convocation ----------------------------------------------------------------------------


@require_GET
def convocation(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The convocation letter (PDF), for the person to receive by hand or by post."""
    interview = _interview_for(request, interview_id, "interview.schedule")
    case = interview.case
    if interview.status != Interview.Status.PLANNED:
        raise Http404
    services.convocation_printed(acting_user=request.user, interview=interview)
    obligations = selectors.proof_obligations(case, today=timezone.localdate())
    person = case.person
    data = render_pdf(
        "interviews/convocation_pdf.html",
        {
            "title": _("Convocation"),
            "author": interview.adviser.get_full_name(),
            "branch": case.branch,
            "interview": interview,
            "start": timezone.localtime(interview.start),
            "case": case,
            "person": person,
            "obligations": obligations,
            "today": timezone.localdate(),
        },
    )
    return pdf_response(data, f"convocation-{interview.pk}.pdf")


@require_POST
def convocation_sent(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview_for(request, interview_id, "interview.schedule")
    form = ConvocationSentForm(request.POST)
    if form.is_valid():
        # No longer planned (cancelled or held meanwhile): the page shows the current state.
        with contextlib.suppress(SpipError):
            services.interview_convocation_sent(
                acting_user=request.user, interview=interview, channel=form.cleaned_data["channel"]
            )
    return redirect("interviews:detail", interview_id=interview.pk)


@require_POST
def reminder_retry(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview_for(request, interview_id, "interview.schedule")
    # Already decided by someone else: the page shows the current state.
    with contextlib.suppress(SpipError):
        services.reminder_retry(acting_user=request.user, interview=interview)
    return redirect("interviews:detail", interview_id=interview.pk)


# --- Calendar feed --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Make (or remake) and revoke the address of the user's calendar feed."""
    policy.require(request.user, "interview.outcomes")
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(acting_user=request.user)
        else:
            token = services.calendar_token_create(acting_user=request.user)
            feed_url = request.build_absolute_uri(
                reverse("interviews:calendar_feed", kwargs={"token": token})
            )
    has_feed = request.user.calendar_tokens.filter(revoked_at__isnull=True).exists()
    return render(request, "interviews/calendar.html", {"feed_url": feed_url, "has_feed": has_feed})


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed of an adviser's interviews: case numbers and initials only."""
    user = selectors.calendar_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(build_feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="entretiens.ics"'
    return response
