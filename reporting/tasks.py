"""Tasks of the reporting app: thin, take ids, safe to run twice."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from kombu.exceptions import OperationalError

from reporting.services import report_issue, stalled_issues

logger = logging.getLogger(__name__)

# Extra options of `apply_async` (tests send the task to their own worker's queue).
ROUTING: dict[str, Any] = {}


@shared_task(name="reporting.issue_report")
def issue_report(report_id: int) -> bool:
    """Render and issue a validated report (nothing when it is issued already)."""
    return report_issue(report_id=report_id)


@shared_task(name="reporting.retry_issues")
def retry_issues() -> int:
    """Beat: queue again the reports whose issuing failed or whose task was lost."""
    stalled = stalled_issues()
    for report_id in stalled:
        queue_issue(report_id)
    return len(stalled)


def queue_issue(report_id: int) -> None:
    """Queue the issue of a report; called on commit of its validation. If the broker cannot
    be reached, the validation stands and the beat task queues the report later."""
    try:
        issue_report.apply_async((report_id,), **ROUTING)
    except OperationalError:
        logger.warning("report %s not queued for issue: broker unreachable", report_id)
