"""Workshop pages: the list, a workshop, its sessions' attendance grids, enrolment from
the workshop or from the case file, attestations.

Each view fetches the workshop (its session, enrolment, attendance, or the case) for the
user through `workshops.policy`, which requires the action of the page once: 404 to
strangers, 403 to those who may see but not act. Partners get their own templates, fed by
selectors that hold names and attendance only; every page a partner opens is written to the
access log, as is every staff page that names people.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.policy import own_cases
from spip import policy
from spip.exceptions import NotAllowed, SpipError
from spip.forms import submit_form
from spip.models import AccessLog
from spip.services import access_log_record
from workshops import selectors, services
from workshops.forms import (
    AbsenceIncidentForm,
    AttendanceForm,
    DropForm,
    EnrolCaseForm,
    EnrolWorkshopForm,
    SessionForm,
    WorkshopForm,
    WorkshopUpdateForm,
)
from workshops.models import Attendance, Enrollment
from workshops.policy import (
    attendance_for,
    case_to_enrol,
    enrolment_for,
    partner_pages,
    session_for,
    workshop_for,
)


def workshop_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "workshop.list")
    today = timezone.localdate()
    workshops = selectors.workshop_list(request.user, today)
    if partner_pages(request.user):
        access_log_record(
            acting_user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="workshops.workshop",
            object_id="list",
        )
        return render(request, "workshops/partner_list.html", {"workshops": workshops})
    return render(request, "workshops/workshop_list.html", {"workshops": workshops})


@require_http_methods(["GET", "POST"])
def workshop_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "workshop.create")
    form = WorkshopForm(request.POST or None, user=request.user)

    def create(data: dict[str, Any]) -> Any:
        data = dict(data)
        branch = data.pop("branch")
        return services.workshop_create(acting_user=request.user, branch_id=branch.pk, **data)

    done = submit_form(
        form,
        service=create,
        then=lambda workshop: redirect("workshops:detail", workshop_id=workshop.pk),
    )
    if done is not None:
        return done
    return render(
        request, "workshops/form.html", {"form": form, "title": _("New workshop"), "workshop": None}
    )


@require_http_methods(["GET", "POST"])
def workshop_update(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """Change a workshop, its people and its status (the branch's directors)."""
    workshop = workshop_for(request.user, workshop_id, "workshop.edit")
    initial = {
        name: getattr(workshop, name)
        for name in (
            "title",
            "kind",
            "course_kind",
            "theme",
            "description",
            "capacity",
            "min_sessions",
            "status",
            "version",
        )
    } | {
        "facilitators": list(workshop.facilitators.all()),
        "partners": list(workshop.partners.all()),
        "contributors": list(workshop.contributors.all()),
    }
    form = WorkshopUpdateForm(request.POST or None, initial=initial, user=request.user)
    done = submit_form(  # a concurrent edit keeps what the user typed
        form,
        service=lambda data: services.workshop_update(
            acting_user=request.user, workshop=workshop, **data
        ),
        then=lambda saved: redirect("workshops:detail", workshop_id=saved.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "workshops/form.html",
        {"form": form, "title": _("Edit the workshop"), "workshop": workshop},
    )


def workshop_detail(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = workshop_for(request.user, workshop_id, "workshop.view")
    access_log_record(acting_user=request.user, action=AccessLog.Action.VIEW, obj=workshop)
    if partner_pages(request.user):
        return render(
            request,
            "workshops/partner_workshop.html",
            {"workshop_id": workshop.pk, "page": selectors.partner_workshop_page(workshop)},
        )
    may = policy.can_map(
        request.user, workshop, "workshop.manage", "workshop.edit", "workshop.enrol"
    )
    page = selectors.workshop_page(workshop, request.user, manages=may["workshop_manage"])
    context = {
        "workshop": workshop,
        "page": page,
        "may": may,
        "fill_percent": min(100, round(100 * len(page.enrolled) / workshop.capacity)),
    }
    return render(request, "workshops/workshop_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = workshop_for(request.user, workshop_id, "workshop.manage")
    form = SessionForm(request.POST or None, workshop=workshop)
    done = submit_form(
        form,
        service=lambda data: services.session_add(
            acting_user=request.user, workshop=workshop, **data
        ),
        then=lambda _session: redirect("workshops:detail", workshop_id=workshop.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "workshops/form.html",
        {"form": form, "title": _("New session"), "workshop": workshop},
    )


def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """The attendance grid of a session: names and attendance, nothing else."""
    session = session_for(request.user, session_id, "workshop.attendance")
    access_log_record(acting_user=request.user, action=AccessLog.Action.VIEW, obj=session)
    return render(
        request,
        "workshops/session_grid.html",
        {
            "session": session,
            "rows": selectors.session_grid(session, request.user),
            "statuses": Attendance.Status.choices,
            "started": timezone.localtime(session.starts_at).date() <= timezone.localdate(),
        },
    )


@require_POST
def attendance_set(request: HttpRequest, session_id: int, enrollment_id: int) -> HttpResponse:
    """Record one person's attendance at a session. From the grid (htmx) the answer is the
    person's row; otherwise, back to the grid."""
    session = session_for(request.user, session_id, "workshop.attendance")
    enrollment = get_object_or_404(
        Enrollment.objects.only("id", "workshop_id", "status"),
        pk=enrollment_id,
        workshop_id=session.workshop_id,
    )
    form = AttendanceForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose an attendance.")
    else:
        try:
            services.attendance_record(
                acting_user=request.user,
                session=session,
                enrollment=enrollment,
                status=form.cleaned_data["status"],
            )
        except NotAllowed:
            raise PermissionDenied from None
        except SpipError as failure:
            error = str(failure.message)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("workshops:session", session_id=session.pk)
    rows = selectors.session_grid(session, request.user, enrollment_id=enrollment.pk)
    if not rows:  # no longer expected at the sessions (dropped meanwhile)
        raise Http404
    if error:  # nothing recorded, yet the row shown names the person: a view, logged
        access_log_record(acting_user=request.user, action=AccessLog.Action.VIEW, obj=session)
    return render(
        request,
        "workshops/_grid_row.html",
        {
            "session": session,
            "row": rows[0],
            "statuses": Attendance.Status.choices,
            "error": error,
            "started": True,
        },
    )


def _enrol(request: HttpRequest, form: Any, action: Any, back: Any) -> HttpResponse | None:
    """Enrol from either side; once done, say where the person stands and go `back`."""

    def enrolled(enrollment: Enrollment) -> HttpResponse:
        if enrollment.status == Enrollment.Status.WAITLISTED:
            messages.warning(request, _("The workshop is full: the person is on the waiting list."))
        elif enrollment.status == Enrollment.Status.PROPOSED:
            messages.info(request, _("The workshop was proposed."))
        else:
            messages.success(request, _("The person is enrolled."))
        return back

    return submit_form(form, service=action, then=enrolled)


@require_http_methods(["GET", "POST"])
def enrol_from_workshop(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """Enrol one of the user's own cases (of the workshop's branch)."""
    workshop = workshop_for(request.user, workshop_id, "workshop.enrol")
    cases = own_cases(request.user).filter(branch_id=workshop.branch_id, closed_on__isnull=True)
    form = EnrolCaseForm(request.POST or None, cases=cases)

    def enrol(data: dict[str, Any]) -> Enrollment:
        return services.enrollment_create(acting_user=request.user, workshop=workshop, **data)

    done = _enrol(request, form, enrol, redirect("workshops:detail", workshop_id=workshop.pk))
    if done is not None:
        return done
    return render(
        request,
        "workshops/form.html",
        {"form": form, "title": _("Enrol a person"), "workshop": workshop},
    )


@require_http_methods(["GET", "POST"])
def enrol_from_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """Enrol the person of a case the user follows in an open workshop of its branch."""
    case = case_to_enrol(request.user, case_id)
    form = EnrolWorkshopForm(
        request.POST or None,
        case=case,
        workshops=selectors.open_workshops_for_case(case.branch_id),
    )

    def enrol(data: dict[str, Any]) -> Enrollment:
        return services.enrollment_create(acting_user=request.user, case=case, **data)

    done = _enrol(request, form, enrol, redirect("cases:detail", case_id=case.pk))
    if done is not None:
        return done
    return render(
        request,
        "workshops/case_form.html",
        {"form": form, "title": _("Enrol in a workshop"), "case": case},
    )


@require_http_methods(["GET", "POST"])
def enrollment_drop(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Withdraw a person: their adviser, or those who run the workshop."""
    enrollment = enrolment_for(request.user, enrollment_id, "workshop.withdraw")
    form = DropForm(request.POST or None)
    done = submit_form(
        form,
        service=lambda data: services.enrollment_drop(
            acting_user=request.user, enrollment=enrollment, reason=data["reason"]
        ),
        then=lambda _dropped: redirect("workshops:detail", workshop_id=enrollment.workshop_id),
    )
    if done is not None:
        return done
    return render(
        request,
        "workshops/form.html",
        {"form": form, "title": _("Withdraw from the workshop"), "workshop": enrollment.workshop},
    )


@require_POST
def enrollment_confirm(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = enrolment_for(request.user, enrollment_id, "workshop.enrol")
    try:
        services.enrollment_confirm(acting_user=request.user, enrollment=enrollment)
    except NotAllowed:
        raise PermissionDenied from None
    except SpipError as error:
        messages.error(request, str(error.message))
    return redirect("workshops:detail", workshop_id=enrollment.workshop_id)


def attestation(request: HttpRequest, enrollment_id: int) -> FileResponse:
    """A completed enrolment's attestation, for those who follow the case (rendered here if
    the worker has not done it yet). Logged."""
    enrollment = enrolment_for(request.user, enrollment_id, "workshop.attestation")
    if enrollment.status != Enrollment.Status.COMPLETED:
        raise Http404
    if not enrollment.attestation:
        services.attestation_render(enrollment_id=enrollment.pk)
        enrollment.refresh_from_db(fields=["attestation"])
    services.attestation_download(acting_user=request.user, enrollment=enrollment)
    response = FileResponse(
        enrollment.attestation.open("rb"),
        as_attachment=True,
        filename=f"attestation-{enrollment.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def absence_incident(request: HttpRequest, attendance_id: int) -> HttpResponse:
    """The person's adviser turns a workshop absence into an incident on the measure."""
    attendance = attendance_for(request.user, attendance_id, "workshop.absence_incident")
    case = attendance.enrollment.case
    day = timezone.localtime(attendance.session.starts_at).date()
    initial = {
        "occurred_on": day,
        "description": _("Absent from the session of %(date)s of the workshop “%(workshop)s”.")
        % {"date": services.short_date(day), "workshop": attendance.enrollment.workshop},
    }
    form = AbsenceIncidentForm(request.POST or None, initial=initial)
    done = submit_form(
        form,
        service=lambda data: services.absence_to_incident(
            acting_user=request.user, attendance=attendance, **data
        ),
        then=lambda _incident: redirect("cases:detail", case_id=case.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "workshops/case_form.html",
        {"form": form, "title": _("Record the absence as an incident"), "case": case},
    )
