"""Periodic tasks of the case files. Thin: they call services and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from cases.services import measures_refresh_status


@shared_task(name="cases.tasks.refresh_measure_statuses")
def refresh_measure_statuses() -> int:
    """Nightly: measures whose start or end date has passed change status (Paris date)."""
    return measures_refresh_status(as_of=timezone.localdate())
