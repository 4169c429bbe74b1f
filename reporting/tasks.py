"""Tasks of the reporting app: thin, take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from spip.queueing import send_task


@shared_task(name="reporting.issue_report")
def issue_report(report_id: int) -> bool:
    """Render and issue a validated report (nothing when it is issued already)."""
    from reporting.services import report_issue

    return report_issue(report_id=report_id)


@shared_task(name="reporting.retry_issues")
def retry_issues() -> int:
    """Beat: queue again the reports whose issuing failed or whose task was lost (the
    broker was down when they were validated, a worker died)."""
    from reporting.services import stalled_issues

    stalled = stalled_issues()
    for report_id in stalled:
        send_task("reporting.issue_report", report_id)
    return len(stalled)
