"""Periodic and on-demand tasks of the core app. Tasks take ids, are idempotent and thin."""

from __future__ import annotations

import socket

from celery import shared_task
from django.core import management
from django.db import connection


@shared_task(name="spip.tasks.ping")
def ping() -> dict[str, str]:
    """Answer from a worker, proving that it runs and reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    return {"worker": socket.gethostname(), "database": database}


@shared_task(name="spip.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")
