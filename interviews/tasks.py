"""Celery tasks of the interviews app (run by beat; see `spip.celery`)."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from interviews.reminders import reminders_send


@shared_task(name="interviews.send_reminders")
def send_reminders() -> dict[str, int]:
    """Send the reminders due now. Safe to run twice or from two workers at once: each
    reminder is claimed in the database before it is sent."""
    return asdict(reminders_send())
