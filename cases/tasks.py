"""Periodic tasks of the case files. Thin: they call services and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from cases import alerts, deadlines, retention
from cases.services import measures_refresh_status

logger = logging.getLogger(__name__)


@shared_task(name="cases.tasks.refresh_measure_statuses")
def refresh_measure_statuses() -> int:
    """Nightly: measures whose start or end date has passed change status (Paris date)."""
    return measures_refresh_status(as_of=timezone.localdate())


@shared_task(name="cases.sweep_deadlines", time_limit=30 * 60, soft_time_limit=25 * 60)
def sweep_deadlines() -> dict[str, list[int]]:
    """Nightly: every deadline rule swept for the Paris date, then each adviser told of the
    alerts raised on their caseload. Safe to run twice: the second run raises nothing."""
    as_of = timezone.localdate()
    counts = deadlines.sweep(as_of=as_of)
    alerts.notify_new_alerts(as_of=as_of)
    logger.info(
        "Deadline sweep: %s",
        ", ".join(f"{code} +{c.created} ~{c.updated} -{c.closed}" for code, c in counts.items()),
    )
    return {code: [c.created, c.updated, c.closed] for code, c in counts.items()}


@shared_task(name="cases.send_digests", time_limit=30 * 60, soft_time_limit=25 * 60)
def send_digests() -> int:
    """Monday morning: each adviser's digest of the week's deadlines, once per week."""
    return alerts.digest_send(as_of=timezone.localdate())


@shared_task(name="cases.retention_purge", time_limit=30 * 60, soft_time_limit=25 * 60)
def retention_purge() -> dict[str, int]:
    """Nightly: access-log rows and case data past their retention period (`cases.retention`),
    counts only in the result and the log. Stops starting batches after 20 minutes, well
    within its limits; the next night goes on. Safe to run twice: the second removes nothing."""
    return retention.retention_purge(as_of=timezone.localdate(), stop_after=20 * 60)
