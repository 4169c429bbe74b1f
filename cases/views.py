"""Case pages: caseload and search, the case file, intake and the forms of every service.

Each view asks the access policy once for what it does (`case_for(user, id, "case.edit")`:
404 to strangers, 403 to those who may see but not act), runs one service, and redirects;
every view of a case file writes an access-log row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import legal, selectors, services
from cases.extensions import case_sections
from cases.forms import (
    AccessReasonForm,
    AssessmentForm,
    AssessmentUpdateForm,
    AssignForm,
    CaseFilterForm,
    CaseUpdateForm,
    EventForm,
    IncidentForm,
    IntakeForm,
    LiftForm,
    MeasureForm,
    MeasureUpdateForm,
    ObligationForm,
    ObligationUpdateForm,
    PlacementForm,
    ProofForm,
    RestrictForm,
    SearchForm,
    TransferForm,
    WorkHoursForm,
)
from cases.models import Assessment, Case, Measure, Obligation, Proof, WorkPlacement
from cases.policy import access_of, case_for, remember_reason, stated_reason
from spip import policy
from spip.forms import submit_form
from spip.models import AccessLog
from spip.services import access_log_record

PAGE_SIZE = 50


def _case_pages(request: HttpRequest) -> None:
    """Case pages exist for staff who follow cases; an admin is refused, others never see
    them (DESIGN.md: admin 403, clerk and partner 404)."""
    policy.require(request.user, "case.list")


@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """The caseload (GET, with filters) or search results (POST: terms never in a URL)."""
    _case_pages(request)
    filters = CaseFilterForm(request.GET or None)
    search = SearchForm(request.POST or None)
    context: dict[str, Any] = {"filters": filters, "search": search}
    if request.method == "POST":
        if search.is_valid():
            context["results"] = selectors.case_search(request.user, search.cleaned_data["q"])
        return render(request, "cases/case_list.html", context)
    options = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.caseload(
        request.user,
        kind=options.get("kind") or "",
        status=options.get("status") or "open",
        intensity=options.get("intensity") or "",
        ends_before=options.get("ends_before"),
        sort=options.get("sort") or "name",
    )
    context["page"] = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context["query_string"] = _without_page(request)
    return render(request, "cases/case_list.html", context)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    _case_pages(request)
    user = request.user
    case = case_for(user, case_id, "case.identity")
    full_file = policy.can(user, "case.view", case)
    if not full_file and policy.can(user, "case.state_reason", case):
        return render(
            request, "cases/access_reason.html", {"case": case, "form": AccessReasonForm()}
        )
    access_log_record(
        acting_user=user, action=AccessLog.Action.VIEW, obj=case, reason=stated_reason(case)
    )
    access = access_of(user, case)
    context: dict[str, Any] = {
        "case": case,
        "access": access,
        "can_write": policy.can(user, "case.edit", case),
        "can_read_files": full_file,
    }
    today = timezone.localdate()
    if not full_file:  # identity, contact and agenda only
        context["sections"] = case_sections(case, request.user, access, today, identity_only=True)
        return render(request, "cases/case_identity.html", context)
    context |= selectors.case_file(case, today=today)
    context["sections"] = case_sections(case, request.user, access, today)
    for section in context["sections"]:
        context["timeline"].extend(section.timeline)
    context["timeline"].sort(key=lambda entry: entry.day, reverse=True)
    context["history"] = selectors.case_history(case, context["measures"])
    context["can_assign"] = policy.can(user, "case.assign", case)
    return render(request, "cases/case_detail.html", context)


@require_http_methods(["POST"])
def case_access_reason(request: HttpRequest, case_id: int) -> HttpResponse:
    """A colleague states why they open a case outside their caseload; the reason is kept
    for the session and written with every access-log row of their visits."""
    _case_pages(request)
    case = case_for(request.user, case_id, "case.identity")
    if not policy.can(request.user, "case.state_reason", case):
        return redirect("cases:detail", case_id=case.pk)
    form = AccessReasonForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/access_reason.html", {"case": case, "form": form})
    remember_reason(request.session, case, form.cleaned_data["reason"])
    return redirect("cases:detail", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    """Intake: identity of the person and the case; a probable duplicate is proposed when
    the user may see that person's case, and never shown otherwise."""
    policy.require(request.user, "case.open")
    duplicates = None
    if (
        request.method == "POST"
        and request.POST.get("birth_date")
        and request.POST.get("birth_name")
    ):
        probe = IntakeForm(request.POST, user=request.user)
        if probe.is_valid():
            data = probe.cleaned_data
            found = services.person_find_duplicates(
                birth_date=data["birth_date"],
                birth_name=data["birth_name"],
                usage_name=data["usage_name"],
            ).filter(Exists(policy.visible(request.user, Case).filter(person=OuterRef("pk"))))
            duplicates = found if found.exists() else None
    form = IntakeForm(request.POST or None, user=request.user, duplicates=duplicates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = data.get("existing_person")
        if duplicates is not None and "existing_person" not in request.POST:
            form.add_error(
                "existing_person",
                _("A person with this name and birth date is already known: is it them?"),
            )
        else:
            opened = submit_form(
                form,
                service=lambda data: services.case_open(
                    acting_user=request.user,
                    branch=data["branch"],
                    adviser=data["adviser"],
                    opened_on=data["opened_on"],
                    intensity=data["intensity"],
                    intensity_reason=data["intensity_reason"],
                    person=existing,
                    person_data=None if existing else data,
                    confirmed_distinct=duplicates is not None,
                ),
                then=lambda case: redirect("cases:detail", case_id=case.pk),
            )
            if opened is not None:
                return opened
    return render(request, "cases/case_open.html", {"form": form, "duplicates": duplicates})


def _form_page(
    request: HttpRequest,
    case: Case,
    form: Any,
    title: str,
    action: Any,
    *,
    subject: Any = None,
) -> HttpResponse:
    """The small service forms of a case: back to the case file once done, else the form
    with its errors in place."""
    done = submit_form(
        form,
        service=action,
        then=lambda _result: redirect(reverse("cases:detail", kwargs={"case_id": case.pk})),
    )
    if done is not None:
        return done
    return render(
        request,
        "cases/service_form.html",
        {"case": case, "form": form, "title": title, "subject": subject},
    )


def _case_for(request: HttpRequest, case_id: int, action: str) -> Case:
    _case_pages(request)
    return case_for(request.user, case_id, action)


@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "case.assign")
    form = AssignForm(request.POST or None, branch=case.branch)
    return _form_page(
        request,
        case,
        form,
        _("Assign the case"),
        lambda data: services.case_assign(acting_user=request.user, case=case, **data),
    )


@require_http_methods(["GET", "POST"])
def case_restrict(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "case.restrict")
    form = RestrictForm(request.POST or None, case=case)
    return _form_page(
        request,
        case,
        form,
        _("Restrict access to the case"),
        lambda data: services.case_restrict(acting_user=request.user, case=case, **data),
    )


@require_http_methods(["GET", "POST"])
def case_transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "case.transfer")
    form = TransferForm(request.POST or None, case=case)
    transferred = submit_form(
        form,
        service=lambda data: services.case_transfer(acting_user=request.user, case=case, **data),
        # The case now belongs to another branch: back to the caseload.
        then=lambda _transfer: redirect("cases:list"),
    )
    if transferred is not None:
        return transferred
    return render(
        request,
        "cases/service_form.html",
        {"case": case, "form": form, "title": _("Transfer the case to another branch")},
    )


@require_http_methods(["GET", "POST"])
def measure_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "case.edit")
    form = MeasureForm(request.POST or None)

    def add(data: dict[str, Any]) -> None:
        court = data.pop("court")
        values = {key: value for key, value in data.items() if value not in (None, "")}
        terms = legal.MeasureTerms(**values)
        services.measure_add(acting_user=request.user, case=case, court_id=court.pk, terms=terms)

    return _form_page(request, case, form, _("Add a measure"), add)


def _measure_for(request: HttpRequest, measure_id: int) -> tuple[Measure, Case]:
    measure = get_object_or_404(Measure.objects.only("id", "case_id"), pk=measure_id)
    case = case_for(request.user, measure.case_id, "case.edit")
    return Measure.objects.get(pk=measure.pk), case


def _obligation_for(request: HttpRequest, obligation_id: int) -> tuple[Obligation, Case]:
    obligation = get_object_or_404(
        Obligation.objects.select_related("measure", "type"), pk=obligation_id
    )
    case = case_for(request.user, obligation.measure.case_id, "case.edit")
    return obligation, case


@require_http_methods(["GET", "POST"])
def measure_event(request: HttpRequest, measure_id: int) -> HttpResponse:
    _case_pages(request)
    measure, case = _measure_for(request, measure_id)
    form = EventForm(request.POST or None)
    return _form_page(
        request,
        case,
        form,
        _("Record a judge's decision"),
        lambda data: services.measure_event_record(
            acting_user=request.user, measure=measure, **data
        ),
        subject=measure,
    )


@require_http_methods(["GET", "POST"])
def obligation_add(request: HttpRequest, measure_id: int) -> HttpResponse:
    _case_pages(request)
    measure, case = _measure_for(request, measure_id)
    form = ObligationForm(request.POST or None)
    return _form_page(
        request,
        case,
        form,
        _("Add an obligation or a ban"),
        lambda data: services.obligation_add(acting_user=request.user, measure=measure, **data),
        subject=measure,
    )


@require_http_methods(["GET", "POST"])
def obligation_lift(request: HttpRequest, obligation_id: int) -> HttpResponse:
    _case_pages(request)
    obligation, case = _obligation_for(request, obligation_id)
    form = LiftForm(request.POST or None)
    return _form_page(
        request,
        case,
        form,
        _("Lift an obligation"),
        lambda data: services.obligation_lift(
            acting_user=request.user, obligation=obligation, **data
        ),
        subject=obligation,
    )


@require_http_methods(["GET", "POST"])
def proof_add(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """Record a proof; from the case file (htmx) the form opens in the obligation's row and
    the saved row replaces it, without leaving the page."""
    _case_pages(request)
    obligation, case = _obligation_for(request, obligation_id)
    form = ProofForm(request.POST or None, request.FILES or None)
    if not request.htmx:
        return _form_page(
            request,
            case,
            form,
            _("Record a proof"),
            lambda data: services.proof_record(
                acting_user=request.user, obligation=obligation, **data
            ),
            subject=obligation,
        )
    row = submit_form(
        form,
        service=lambda data: services.proof_record(
            acting_user=request.user, obligation=obligation, **data
        ),
        then=lambda _proof: render(
            request,
            "cases/_obligation_row.html",
            {
                "item": selectors.obligation_status(obligation),
                "can_write": True,
                "can_read_files": True,
            },
        ),
    )
    if row is not None:
        return row
    return render(request, "cases/_proof_inline.html", {"obligation": obligation, "form": form})


@require_http_methods(["GET", "POST"])
def placement_add(request: HttpRequest, measure_id: int) -> HttpResponse:
    _case_pages(request)
    measure, case = _measure_for(request, measure_id)
    form = PlacementForm(request.POST or None, department_id=case.branch.department_id)
    return _form_page(
        request,
        case,
        form,
        _("Place with a host organisation"),
        lambda data: services.work_placement_add(acting_user=request.user, measure=measure, **data),
        subject=measure,
    )


@require_http_methods(["GET", "POST"])
def work_hours_add(request: HttpRequest, placement_id: int) -> HttpResponse:
    _case_pages(request)
    placement = get_object_or_404(
        WorkPlacement.objects.select_related("measure", "host"), pk=placement_id
    )
    case = case_for(request.user, placement.measure.case_id, "case.edit")
    form = WorkHoursForm(request.POST or None)
    return _form_page(
        request,
        case,
        form,
        _("Record community work hours"),
        lambda data: services.work_hours_record(
            acting_user=request.user, placement=placement, **data
        ),
        subject=placement,
    )


@require_http_methods(["GET", "POST"])
def incident_add(request: HttpRequest, measure_id: int) -> HttpResponse:
    _case_pages(request)
    measure, case = _measure_for(request, measure_id)
    form = IncidentForm(request.POST or None, measure=measure)
    return _form_page(
        request,
        case,
        form,
        _("Record an incident"),
        lambda data: services.incident_record(acting_user=request.user, measure=measure, **data),
        subject=measure,
    )


@require_http_methods(["GET", "POST"])
def assessment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "case.edit")
    form = AssessmentForm(request.POST or None)
    return _form_page(
        request,
        case,
        form,
        _("New assessment"),
        lambda data: services.assessment_record(acting_user=request.user, case=case, **data),
    )


def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """An assessment as it was written (earlier ones stay readable); not for secretaries."""
    _case_pages(request)
    assessment = get_object_or_404(Assessment.objects.only("id", "case_id"), pk=assessment_id)
    case = case_for(request.user, assessment.case_id, "case.identity")
    if not policy.can(request.user, "case.view", case):
        if policy.can(request.user, "case.state_reason", case):
            return redirect("cases:detail", case_id=case.pk)  # where the reason is asked
        raise PermissionDenied
    assessment = Assessment.objects.select_related("author").get(pk=assessment.pk)
    access_log_record(
        acting_user=request.user,
        action=AccessLog.Action.VIEW,
        obj=assessment,
        reason=stated_reason(case),
    )
    return render(request, "cases/assessment_detail.html", {"case": case, "assessment": assessment})


def proof_file(request: HttpRequest, proof_id: int) -> FileResponse:
    """Serve a proof's file as an attachment, to those who may read the case file (not a
    secretary), and log the download. There is no other way to reach the file."""
    _case_pages(request)
    proof = get_object_or_404(
        Proof.objects.select_related("obligation__measure").exclude(file=""), pk=proof_id
    )
    case_for(request.user, proof.obligation.measure.case_id, "case.view")
    services.proof_file_download(acting_user=request.user, proof=proof)
    extension = proof.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        proof.file.open("rb"),
        as_attachment=True,
        filename=f"justificatif-{proof.pk}.{extension}",
        content_type=proof.file_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def case_update(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "case.edit")
    initial = {
        "version": case.version,
        "intensity": case.intensity_id,
        "intensity_reason": case.intensity_reason,
        "intensity_review_on": case.intensity_review_on,
    }
    form = CaseUpdateForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        case,
        form,
        _("Follow-up intensity"),
        lambda data: services.case_update(acting_user=request.user, case=case, **data),
    )


@require_http_methods(["GET", "POST"])
def measure_update(request: HttpRequest, measure_id: int) -> HttpResponse:
    _case_pages(request)
    measure, case = _measure_for(request, measure_id)
    names = [name for name in MeasureUpdateForm.base_fields if name not in ("version", "court")]
    initial = {name: getattr(measure, name) for name in names} | {
        "version": measure.version,
        "court": measure.court_id,
    }
    form = MeasureUpdateForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> None:
        version, court = data.pop("version"), data.pop("court")
        values = {key: value for key, value in data.items() if value not in (None, "")}
        services.measure_update(
            acting_user=request.user,
            measure=measure,
            version=version,
            court_id=court.pk,
            terms=legal.MeasureTerms(**values),
        )

    return _form_page(request, case, form, _("Correct the measure"), save, subject=measure)


@require_http_methods(["GET", "POST"])
def obligation_update(request: HttpRequest, obligation_id: int) -> HttpResponse:
    _case_pages(request)
    obligation, case = _obligation_for(request, obligation_id)
    initial = {
        "version": obligation.version,
        "details": obligation.details,
        "check_interval_days": obligation.check_interval_days,
    }
    form = ObligationUpdateForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        case,
        form,
        _("Edit the obligation"),
        lambda data: services.obligation_update(
            acting_user=request.user, obligation=obligation, **data
        ),
        subject=obligation,
    )


@require_http_methods(["GET", "POST"])
def assessment_update(request: HttpRequest, assessment_id: int) -> HttpResponse:
    _case_pages(request)
    assessment = get_object_or_404(Assessment.objects.select_related("case"), pk=assessment_id)
    case = case_for(request.user, assessment.case_id, "case.edit")
    initial = {"version": assessment.version} | {
        name: getattr(assessment, name) for name in (*Assessment.SPHERES, "review_on")
    }
    form = AssessmentUpdateForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        case,
        form,
        _("Correct the assessment"),
        lambda data: services.assessment_update(
            acting_user=request.user, assessment=assessment, **data
        ),
        subject=assessment,
    )
