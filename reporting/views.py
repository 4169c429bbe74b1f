"""Report pages: drafting with autosave (htmx), the draft PDF, the adviser's reports, the
directors' validation queue, the clerk's inbox and the issued file's download.

Each view `require`s one action of `reporting.policy` (its service `check`s the same one,
answered once per request). Access follows the case: only those who may write to the case
(its advisers and the branch's directors) open its reports; a secretary or a colleague gets
403, strangers 404. A clerk sees only issued reports addressed to their court, through the
inbox and the download view; every other report page answers them 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case
from cases.policy import case_for
from reporting import selectors, services
from reporting.forms import (
    ClerkFilterForm,
    ReportCreateForm,
    ReportDraftForm,
    ReturnForm,
    VersionForm,
)
from reporting.models import Report
from spip import policy
from spip.exceptions import SpipError
from spip.forms import apply_domain_error, submit_form
from spip.models import AccessLog
from spip.pdf import pdf_response
from spip.services import access_log_record

INBOX_PAGE_SIZE = 50
# Reading a report (GET) or writing it (POST: the editing form, the preview of what is typed).
_DRAFT_OR_VIEW = {"GET": "report.view", "POST": "report.draft"}


def _report_for(request: HttpRequest, report_id: int, action: str) -> tuple[Report, Case]:
    """Fetch a report with its case and `require` the action on it: 404 to those for whom
    it does not exist (a missing id included), 403 to those who see it but may not do this
    (secretaries and colleagues; directors for the drafting actions, and so on)."""
    report = (
        Report.objects.select_related(
            "case__person",
            "case__branch__department",
            "case__adviser",
            "case__intensity",
            "measure__court",
            "court",
            "author",
            "validator",
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    policy.require(request.user, action, report)
    return report, report.case


# --- Lists ----------------------------------------------------------------------------------


@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports of the user's caseload by status, and the reports due soon."""
    policy.require(request.user, "report.list")
    today = timezone.localdate()
    return render(
        request,
        "reporting/my_reports.html",
        {
            "reports": selectors.adviser_reports(request.user),
            "due": selectors.reports_due(request.user, today),
            "today": today,
        },
    )


@require_GET
def validation_queue(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "report.validation_queue")
    return render(
        request, "reporting/validation.html", {"reports": selectors.validation_queue(request.user)}
    )


@require_GET
def clerk_inbox(request: HttpRequest) -> HttpResponse:
    """Issued reports addressed to the clerk's court, newest first, with filters."""
    policy.require(request.user, "report.inbox")
    court = request.user.court
    filters = ClerkFilterForm(request.GET or None, court=court)
    options = filters.cleaned_data if filters.is_valid() else {}
    reports = selectors.clerk_inbox(request.user, options)
    page = Paginator(reports, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reporting/clerk_inbox.html",
        {"filters": filters, "page": page, "court": court, "query_string": params.urlencode()},
    )


# --- Drafting -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id, "report.draft")
    measures = case.measures.order_by("-start_date", "-id")
    form = ReportCreateForm(
        request.POST or None, measures=measures, initial={"kind": request.GET.get("kind", "")}
    )
    done = submit_form(
        form,
        service=lambda data: services.report_create(
            acting_user=request.user, case=case, measure=data["measure"], kind=data["kind"]
        ),
        then=lambda report: redirect("reporting:detail", report_id=report.pk),
    )
    if done is not None:
        return done
    context = {"form": form, "case": case, "has_measures": measures.exists()}
    return render(request, "reporting/new.html", context)


def _detail_context(report: Report, case: Case, request: HttpRequest, **extra: Any) -> dict:
    user = request.user
    drafts = report.editable and policy.can(user, "report.draft", report)
    context = {
        "report": report,
        "case": case,
        "person": case.person,
        "editing": drafts,
        "can_validate": report.status == Report.Status.SUBMITTED
        and report.author_id != user.pk
        and policy.can(user, "report.validate", report),
        "can_retry": report.status == Report.Status.FAILED,
        "can_discard": drafts and report.submitted_at is None,
        "history": list(report.history.order_by("-pgh_created_at")[:20]),
    }
    if context["editing"] and "form" not in extra:
        context["form"] = ReportDraftForm.for_report(report)
    if context["can_validate"] and "return_form" not in extra:
        context["return_form"] = ReturnForm(initial={"version": report.version})
        context["validate_form"] = VersionForm(initial={"version": report.version})
    return context | extra


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report: its editing form while a draft (POST saves it, without JavaScript), then
    read-only, with the director's actions."""
    report, case = _report_for(request, report_id, _DRAFT_OR_VIEW[request.method])
    if request.method == "GET":
        access_log_record(acting_user=request.user, action=AccessLog.Action.VIEW, obj=report)
        return render(request, "reporting/detail.html", _detail_context(report, case, request))
    _saved, refused = _save_from_form(request, report, case)
    if refused is not None:
        return refused
    messages.success(request, _("The report was saved."))
    return redirect("reporting:detail", report_id=report.pk)


@require_POST
def autosave(request: HttpRequest, report_id: int) -> HttpResponse:
    """What the adviser typed, saved in the background (htmx). Answers the status line and
    the new version; 400 with the field errors, 409 when the report may not be saved now
    (someone else saved it, or it has left the draft state). An expired session answers
    401 (`spip.middleware`): the page keeps the text and saves it after signing in again."""
    report, _case = _report_for(request, report_id, "report.draft")
    form = ReportDraftForm(request.POST, report=report)
    status = 200
    error = ""
    if not form.is_valid():
        status, error = 400, _("Not saved: check the fields marked in red, then save.")
    else:
        try:
            report = services.report_save(
                acting_user=request.user,
                report=report,
                version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except SpipError as refused:  # someone else saved, or no longer a draft
            status, error = 409, str(refused.message)
    return render(
        request,
        "reporting/_autosave_status.html",
        {"report": report, "error": error, "form": form},
        status=status,
    )


@never_cache
@require_GET
def session_token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token for a page open across a sign-in (the autosave asks for it once
    the session is back; signing in renews the token)."""
    return JsonResponse({"token": get_token(request)})


@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as PDF, marked "PROJET" on every page. From the editing form (POST), it
    shows what is typed, without saving it (the autosave does)."""
    report, case = _report_for(request, report_id, _DRAFT_OR_VIEW[request.method])
    typed = None
    if request.method == "POST":
        form = ReportDraftForm(request.POST, report=report)
        if not form.is_valid():
            context = _detail_context(report, case, request, form=form)
            return render(request, "reporting/detail.html", context, status=409)
        typed = form.changes()
    try:
        data = services.report_preview(acting_user=request.user, report=report, typed=typed)
    except SpipError:
        return redirect("reporting:detail", report_id=report.pk)
    return pdf_response(data, f"projet-rapport-{report.pk}.pdf")


def _save_from_form(
    request: HttpRequest, report: Report, case: Case
) -> tuple[Report | None, HttpResponse | None]:
    """Save the editing form posted with a button: (the saved report, None), or (None, the
    page with its errors) when it cannot be saved — nothing typed is lost."""
    form = ReportDraftForm(request.POST, report=report)
    saved = submit_form(
        form,
        service=lambda data: services.report_save(
            acting_user=request.user,
            report=report,
            version=data["version"],
            changes=form.changes(),
        ),
        then=lambda saved: saved,
    )
    if saved is not None:
        return saved, None
    context = _detail_context(report, case, request, form=form)
    return None, render(request, "reporting/detail.html", context, status=409)


@require_POST
def submit(request: HttpRequest, report_id: int) -> HttpResponse:
    """Save what is typed, then send that version to the directors."""
    report, case = _report_for(request, report_id, "report.draft")
    saved, refused = _save_from_form(request, report, case)
    if refused is not None:
        return refused
    try:
        services.report_submit(acting_user=request.user, report=saved, version=saved.version)
    except SpipError as error:
        data = request.POST.copy()
        data["version"] = str(saved.version)
        form = ReportDraftForm(data, report=saved)
        form.is_valid()
        apply_domain_error(form, error)
        return render(
            request, "reporting/detail.html", _detail_context(saved, case, request, form=form)
        )
    messages.success(request, _("The report was sent to the director for validation."))
    return redirect("reporting:detail", report_id=report.pk)


@require_POST
def discard(request: HttpRequest, report_id: int) -> HttpResponse:
    """Delete a draft never submitted (the page asks for confirmation first)."""
    report, case = _report_for(request, report_id, "report.draft")
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.report_discard(
                acting_user=request.user, report=report, version=form.cleaned_data["version"]
            )
        except SpipError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The draft was deleted."))
            return redirect("cases:detail", case_id=case.pk)
    return redirect("reporting:detail", report_id=report.pk)


def _director_form(request: HttpRequest, report_id: int, form_class: Any) -> tuple:
    """A director's decision on a report: the report, its case and the posted form."""
    report, case = _report_for(request, report_id, "report.validate")
    return report, case, form_class(request.POST)


@require_POST
def validate(request: HttpRequest, report_id: int) -> HttpResponse:
    report, _case, form = _director_form(request, report_id, VersionForm)
    if form.is_valid():
        try:
            services.report_validate(
                acting_user=request.user, report=report, version=form.cleaned_data["version"]
            )
        except SpipError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("The report is validated; its PDF will follow in a few minutes.")
            )
    return redirect("reporting:detail", report_id=report.pk)


@require_POST
def return_to_author(request: HttpRequest, report_id: int) -> HttpResponse:
    report, case, form = _director_form(request, report_id, ReturnForm)
    if form.is_valid():
        try:
            services.report_return(
                acting_user=request.user,
                report=report,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except SpipError as error:
            if error.field != "comment":  # decided meanwhile: the page shows the state
                messages.error(request, str(error.message))
                return redirect("reporting:detail", report_id=report.pk)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The report was returned to its author."))
            return redirect("reporting:validation")
    report.refresh_from_db()
    context = _detail_context(report, case, request, return_form=form)
    context.setdefault("validate_form", VersionForm(initial={"version": report.version}))
    return render(request, "reporting/detail.html", context)


@require_POST
def retry(request: HttpRequest, report_id: int) -> HttpResponse:
    report, _case = _report_for(request, report_id, "report.view")
    try:
        services.report_issue_retry(acting_user=request.user, report=report)
    except SpipError as error:
        messages.error(request, str(error.message))
    else:
        messages.info(request, _("The report will be issued again in a moment."))
    return redirect("reporting:detail", report_id=report.pk)


# --- The issued file ------------------------------------------------------------------------


@require_GET
def download(request: HttpRequest, report_id: int) -> HttpResponse:
    """The issued PDF: for the clerk of the court it is addressed to, and for those who may
    write to the case. Every download is logged."""
    report, _case = _report_for(request, report_id, "report.download")
    try:
        data = services.report_file(acting_user=request.user, report=report)
    except services.DocumentUnavailable as error:
        return render(request, "reporting/integrity.html", {"message": error.message}, status=503)
    return pdf_response(data, f"rapport-{report.pk}.pdf", attachment=True)
