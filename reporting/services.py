"""Every change of a report to the judge.

draft ──submit──▶ submitted ──validate──▶ validated ──(Celery: render)──▶ issued
  ▲                   │                        │  ▲
  └──return (comment)─┘                        ▼  │ retry (beat, or a button)
                                             failed

The adviser (anyone with write access to the case) drafts and submits; a director of the
case's branch returns it with a comment or validates (countersigns) it; validation queues
the task that renders the PDF/A, stores it with its SHA-256 and marks the report issued in
one step, so that a clerk never sees a half-written file. An issued report never changes
again (a database trigger refuses it): any later change is a new report.

Who may do what is `reporting.policy`'s: each service `check`s the action its view
`require`d, which the policy answers once per request.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.extensions import case_changed
from cases.models import Case, Measure
from reporting import prefill, rules
from reporting.models import Kind, Report
from spip import policy
from spip.exceptions import DomainErrors, SpipError
from spip.models import AccessLog, Role, User
from spip.pdf import html_to_pdf, render_html
from spip.queueing import queue_on_commit
from spip.services import access_log_record, notification_send
from spip.versioning import (
    changed_fields,
    check_version,
    lock_row,
    save_new_version,
)

logger = logging.getLogger(__name__)

# Fields the adviser edits while drafting (the autosave sends all of them).
DRAFT_FIELDS = (
    "court",
    "judge",
    "penal_situation",
    "offence_relation",
    "personal_situation",
    "health_followup",
    "analysis",
    "proposal",
    "proposal_details",
)
# What a report must say before it goes to the director.
REQUIRED_ON_SUBMIT = ("judge", "penal_situation", "analysis", "proposal")
# The beat task retries a failed issue this many times; then a person must press "retry".
AUTOMATIC_ATTEMPTS = 5
# A validated report not issued after this long lost its task (broker down): queue it again.
STALLED_AFTER = timedelta(minutes=10)

NOT_EDITABLE = gettext_lazy(
    "This report is no longer a draft: it cannot be changed. Any change to an issued report "
    "is a new report."
)


def allowed_courts(report: Report) -> list[int]:
    """Where a report may go: the court of the case's branch (the JAP following the
    person) or the court that ordered the measure — never any court of the country."""
    return sorted({report.case.branch.court_id, report.measure.court_id})


def _changed(report: Report, name: str) -> str:
    """What a concurrent edit names in a report: that a section changed, not its text."""
    return _("changed")


def _link(report: Report) -> str:
    return reverse("reporting:detail", kwargs={"report_id": report.pk})


# --- Drafting --------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, acting_user: User, case: Case, measure: Measure, kind: str, today: date | None = None
) -> Report:
    """A new draft about one measure of the case, prefilled from the case file."""
    policy.check(acting_user, "report.draft", case)
    today = today or timezone.localdate()
    if measure.case_id != case.pk:
        raise SpipError(_("This measure belongs to another case."), field="measure")
    if case.closed_on:
        raise SpipError(_("This case is closed: no new report can be drafted."))
    if kind not in Kind.values:
        raise SpipError(_("Choose a kind of report."), field="kind")
    court = case.branch.court
    previous = (
        Report.objects.filter(case=case, court=court).exclude(judge="").order_by("-id").first()
    )
    report = Report.objects.create(
        case=case,
        measure=measure,
        kind=kind,
        court=court,
        judge=previous.judge if previous else "",
        due_date=rules.due_date(kind, case, measure, today),
        author=acting_user,
        **prefill.prefill(case, measure, kind, today),
    )
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CREATE, obj=report)
    return report


def _refuse_unless_draft(report: Report) -> None:
    if report.status != Report.Status.DRAFT:
        raise SpipError(NOT_EDITABLE)


@transaction.atomic
def report_save(
    *, acting_user: User, report: Report, version: int, changes: dict[str, Any]
) -> Report:
    """Save what the adviser typed (the form's save and every autosave). Refused once the
    report has left the draft state, or when someone else saved it in the meantime (what
    they saved is named; nothing is overwritten)."""
    policy.check(acting_user, "report.draft", report)
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not a draft field: {sorted(unknown)}")
    court = changes.get("court")
    if court is not None and getattr(court, "pk", court) not in allowed_courts(report):
        raise SpipError(
            _("Choose the court following the person or the sentencing court."), field="court"
        )
    lock_row(report)
    _refuse_unless_draft(report)
    if report.version != version and not changed_fields(report, typed=changes):
        return report  # what is saved already is what was sent (e.g. a late autosave)
    check_version(report, version=version, typed=changes, shown=_changed)
    save_new_version(report, changes={**changes, "saved_at": Now()})
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=report)
    return report


@transaction.atomic
def report_discard(*, acting_user: User, report: Report, version: int) -> None:
    """Delete a draft that was never submitted (a report started by mistake, or twice).
    Once submitted, a report stays: returned, it is corrected; issued, it is kept."""
    policy.check(acting_user, "report.draft", report)
    lock_row(report)
    if report.status != Report.Status.DRAFT or report.submitted_at is not None:
        raise SpipError(_("Only a draft that was never submitted can be deleted."))
    check_version(report, version=version, named=["status"])
    access_log_record(
        acting_user=acting_user,
        action=AccessLog.Action.CHANGE,
        obj=report,
        reason=_("draft deleted"),
    )
    report.delete()


def report_preview(
    *, acting_user: User, report: Report, typed: dict[str, Any] | None = None
) -> bytes:
    """The draft PDF, marked "PROJET" on every page (any state before issue). `typed` is
    what the editing form holds now (shown, not saved)."""
    policy.check(acting_user, "report.view", report)
    if report.status == Report.Status.ISSUED:
        raise SpipError(_("This report is issued: download the issued document."))
    access_log_record(acting_user=acting_user, action=AccessLog.Action.PRINT, obj=report)
    return render_report(report, draft=True, typed=typed)


# --- Workflow --------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, acting_user: User, report: Report, version: int) -> Report:
    """Send the draft to the branch's directors for validation."""
    policy.check(acting_user, "report.draft", report)
    lock_row(report)
    _refuse_unless_draft(report)
    check_version(report, version=version, named=["status"])
    missing = [
        SpipError(_("Fill in this section before submitting the report."), field=name)
        for name in REQUIRED_ON_SUBMIT
        if not str(getattr(report, name)).strip()
    ]
    if missing:
        raise DomainErrors(missing)
    save_new_version(report, changes={"status": Report.Status.SUBMITTED, "submitted_at": Now()})
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=report)
    message = _("A report is waiting for your validation (case %(number)s).") % {
        "number": report.case.number
    }
    for director in report.case.branch.directors.filter(is_active=True).exclude(
        pk__in=report.case.excluded_staff.values("pk")
    ):
        notification_send(recipient=director, message=message, link=_link(report))
    return report


def _director_decision(
    acting_user: User,
    report: Report,
    version: int,
    *,
    refused: str,
    changes: dict[str, Any],
    message: str,
) -> Report:
    """Apply a director's decision on a submitted report and tell its author."""
    lock_row(report)
    if report.status != Report.Status.SUBMITTED:
        raise SpipError(refused)
    check_version(report, version=version, named=["status"])
    save_new_version(report, changes=changes)
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=report)
    notification_send(
        recipient=report.author,
        message=message % {"number": report.case.number},
        link=_link(report),
    )
    return report


@transaction.atomic
def report_return(*, acting_user: User, report: Report, version: int, comment: str) -> Report:
    """A director sends the report back to its author with a comment."""
    policy.check(acting_user, "report.validate", report)
    comment = comment.strip()
    if not comment:
        raise SpipError(_("Say what the author should change."), field="comment")
    return _director_decision(
        acting_user,
        report,
        version,
        refused=_("Only a submitted report can be returned."),
        changes={"status": Report.Status.DRAFT, "return_comment": comment, "returned_at": Now()},
        message=_("Your report on case %(number)s was returned with a comment."),
    )


@transaction.atomic
def report_validate(*, acting_user: User, report: Report, version: int) -> Report:
    """A director countersigns the report; the PDF is issued by a task after commit."""
    policy.check(acting_user, "report.validate", report)
    if report.author_id == acting_user.pk:
        raise SpipError(_("A report cannot be countersigned by its author."))
    report = _director_decision(
        acting_user,
        report,
        version,
        refused=_("Only a submitted report can be validated."),
        changes={
            "status": Report.Status.VALIDATED,
            "validator": acting_user,
            "validated_at": timezone.now(),
        },
        message=_("Your report on case %(number)s was validated; it is being issued."),
    )
    queue_on_commit("reporting.issue_report", report.pk)
    case_changed.send(report.case_id)
    return report


# --- Issue -----------------------------------------------------------------------------------


def report_context(report: Report, *, draft: bool) -> dict[str, Any]:
    case = report.case
    return {
        "title": f"{report.get_kind_display().capitalize()} — {case.number}",
        "author": report.author.get_full_name(),
        "language": "fr",
        "branch": case.branch,
        "draft": draft,
        "report": report,
        "case": case,
        "person": case.person,
        "measure": report.measure,
        "court": report.court,
        "day": timezone.localdate(report.issued_at) if report.issued_at else timezone.localdate(),
        "validated_on": timezone.localdate(report.validated_at) if report.validated_at else None,
    }


def render_report(report: Report, *, draft: bool, typed: dict[str, Any] | None = None) -> bytes:
    """The report as PDF/A, in French whoever asks (a document of the French service)."""
    report = Report.objects.select_related(
        "case__person", "case__branch__department", "measure", "court", "author", "validator"
    ).get(pk=report.pk)
    for name, value in (typed or {}).items():
        setattr(report, name, value)
    with translation.override("fr"):
        html = render_html("reporting/report_pdf.html", report_context(report, draft=draft))
    return html_to_pdf(html)


def report_issue(*, report_id: int) -> bool:
    """Render, store and issue a validated report; returns whether it issued it now.

    Safe to run twice, concurrently or after a crash: the row is locked for the render and
    only a validated (or failed) report is issued. The file is written under a fresh name
    first; the report points to it, with its hash, only in the transaction that marks it
    issued (a file whose transaction did not commit is removed). A failure is recorded as
    "issuing failed" (the error's kind only, nothing of the person) and retried by the
    beat task."""
    written: list[str] = []
    try:
        return _issue(report_id, written)
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise


@transaction.atomic
def _issue(report_id: int, written: list[str]) -> bool:
    report = (
        Report.objects.select_for_update(of=("self",))
        .filter(pk=report_id, status__in=[Report.Status.VALIDATED, Report.Status.FAILED])
        .first()
    )
    if report is None:
        return False
    try:
        with transaction.atomic():  # a savepoint: a failed query must not end the lock
            data = render_report(report, draft=False)
    except Exception as error:  # noqa: BLE001 — every failure must leave a visible state
        _issue_failed(report, error)
        return False
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            name = default_storage.save(
                report.pdf.field.generate_filename(report, "report.pdf"), ContentFile(data)
            )
            written.append(name)
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.ISSUED,
                pdf=name,
                sha256=digest,
                issued_at=timezone.now(),
                issue_attempts=F("issue_attempts") + 1,
                issue_error="",
            )
    except Exception as error:  # noqa: BLE001 — storage full, permissions...
        for name in written:
            default_storage.delete(name)
        written.clear()
        _issue_failed(report, error)
        return False
    transaction.on_commit(lambda: _tell_issued(report.pk))
    case_changed.send(report.case_id)
    return True


def _issue_failed(report: Report, error: Exception) -> None:
    first = report.status != Report.Status.FAILED
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED,
        issue_attempts=F("issue_attempts") + 1,
        issue_error=type(error).__name__[:200],
    )
    logger.warning("report %s: issuing failed (%s)", report.pk, type(error).__name__)
    if first:
        _tell_issue_failed(report)


def _tell_issue_failed(report: Report) -> None:
    message = _("The report on case %(number)s could not be issued; it will be retried.") % {
        "number": report.case.number
    }
    for user in {report.author, report.validator}:
        if user is not None:
            notification_send(recipient=user, message=message, link=_link(report))


def _tell_issued(report_id: int) -> None:
    """The author, and the clerks of the court the report is addressed to."""
    report = Report.objects.select_related("case", "author").get(pk=report_id)
    notification_send(
        recipient=report.author,
        message=_("Your report on case %(number)s was issued to the court.")
        % {"number": report.case.number},
        link=_link(report),
    )
    for clerk in User.objects.filter(role=Role.CLERK, court_id=report.court_id, is_active=True):
        notification_send(
            recipient=clerk,
            message=_("A report was issued to your court (case %(number)s).")
            % {"number": report.case.number},
            link=reverse("reporting:inbox"),
        )


def report_issue_retry(*, acting_user: User, report: Report) -> None:
    """Someone asks for a failed issue to be tried again now."""
    policy.check(acting_user, "report.view", report)
    if report.status not in (Report.Status.FAILED, Report.Status.VALIDATED):
        raise SpipError(_("Only a report whose issuing failed can be retried."))
    access_log_record(acting_user=acting_user, action=AccessLog.Action.CHANGE, obj=report)
    queue_on_commit("reporting.issue_report", report.pk)


def stalled_issues(*, now: Any = None) -> list[int]:
    """Reports to issue again: failed ones still within their automatic attempts, and
    validated ones whose task was lost (not issued long after validation)."""
    now = now or timezone.now()
    return list(
        Report.objects.filter(
            Q(status=Report.Status.FAILED, issue_attempts__lt=AUTOMATIC_ATTEMPTS)
            | Q(status=Report.Status.VALIDATED, validated_at__lt=now - STALLED_AFTER)
        )
        .order_by("validated_at")
        .values_list("pk", flat=True)[:200]
    )


# --- Download --------------------------------------------------------------------------------


class DocumentUnavailable(SpipError):
    default_message = gettext_lazy(
        "The stored document is missing or no longer matches its fingerprint: it is not "
        "served. The service's administrators have been alerted."
    )


def report_file(*, acting_user: User, report: Report) -> bytes:
    """The issued file, checked against its SHA-256; the download is logged and the first
    download by the court's clerk (whoever has the court's inbox) is recorded on the
    report."""
    if report.status != Report.Status.ISSUED:
        raise SpipError(_("This report has not been issued."))
    policy.check(acting_user, "report.download", report)
    try:
        with report.pdf.open("rb") as handle:
            data = handle.read()
    except OSError as error:
        logger.error("report %s: stored file unreadable (%s)", report.pk, type(error).__name__)
        raise DocumentUnavailable() from None
    if hashlib.sha256(data).hexdigest() != report.sha256:
        logger.error("report %s: stored file does not match its SHA-256", report.pk)
        raise DocumentUnavailable()
    access_log_record(acting_user=acting_user, action=AccessLog.Action.DOWNLOAD, obj=report)
    if policy.can(acting_user, "report.inbox"):
        Report.objects.filter(pk=report.pk, downloaded_at__isnull=True).update(downloaded_at=Now())
    return data
