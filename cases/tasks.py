"""Periodic tasks of the case files. Thin: they call services and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from cases import retention
from cases.services import measures_refresh_status

logger = logging.getLogger(__name__)


@shared_task(name="cases.tasks.refresh_measure_statuses")
def refresh_measure_statuses() -> int:
    """Nightly: measures whose start or end date has passed change status (Paris date)."""
    return measures_refresh_status(as_of=timezone.localdate())


@shared_task(name="cases.retention_purge", time_limit=30 * 60, soft_time_limit=25 * 60)
def retention_purge() -> dict[str, int]:
    """Nightly: access-log rows and case data past their retention period (`cases.retention`),
    counts only in the result and the log. Stops starting batches after 20 minutes, well
    within its limits; the next night goes on. Safe to run twice: the second removes nothing."""
    return retention.retention_purge(as_of=timezone.localdate(), stop_after=20 * 60)
