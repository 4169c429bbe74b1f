"""Celery application. The beat schedule lives here, in code, not in the database.

Nothing is scheduled with `eta`/`countdown`: Redis would redeliver such a message after the
visibility timeout. Time-based work is found by the periodic tasks below, which claim rows
in the database.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spip.settings")

app = Celery("spip")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "spip.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=10),
    },
    "refresh-measure-statuses": {
        "task": "cases.tasks.refresh_measure_statuses",
        "schedule": crontab(hour=0, minute=20),
    },
    # After the measure statuses, so that measures ended overnight close their alerts. The
    # deadline tasks live in `deadlines.tasks` under the names they had in `cases` (see there).
    "sweep-deadlines": {
        "task": "cases.sweep_deadlines",
        "schedule": crontab(hour=1, minute=0),
    },
    # Monday 07:00; the later runs send the digests a failure held back (each adviser's
    # digest is claimed in the database, so none goes twice).
    "send-deadline-digests": {
        "task": "cases.send_digests",
        "schedule": crontab(minute="0,15,30,45", hour="7-10", day_of_week="mon"),
    },
    "send-interview-reminders": {
        "task": "interviews.send_reminders",
        "schedule": crontab(minute="*/5"),
    },
    "retry-report-issues": {
        "task": "reporting.retry_issues",
        "schedule": crontab(minute="*/5"),
    },
    # Access log after a year, case data five years after their last measure (counts only).
    "retention-purge": {
        "task": "cases.retention_purge",
        "schedule": crontab(hour=3, minute=40),
    },
}
