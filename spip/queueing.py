"""Queueing Celery tasks once the data they need is committed — the one way every app does.

A saved change never turns into an error because the broker is down: the message is sent
after commit, over a connection that gives up quickly, and any failure to send is logged
(task name and ids only, never personal data) and left to the beat task that picks up
stalled work (`reporting.retry_issues`, the attestation rendered on download, the nightly
sweep…). Tasks are named, not imported, so that services never import their tasks.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# Extra options of `send_task` (tests send the tasks to their own worker's queue).
ROUTING: dict[str, Any] = {}


def queue_on_commit(task_name: str, *args: int | str) -> None:
    """Send the task named `task_name` with `args` (ids) once the current transaction
    commits (at once outside a transaction). Never raises for a broker failure."""
    transaction.on_commit(partial(send_task, task_name, *args))


def send_task(task_name: str, *args: int | str) -> bool:
    """Send the task now; False (and a warning in the log) when the broker cannot take it."""
    from spip.celery import app

    try:
        # A connection of its own, not the pool's: it reads the broker URL now and fails
        # within the connect timeout instead of retrying while a web worker waits.
        with app.connection_for_write(
            connect_timeout=settings.CELERY_QUEUE_CONNECT_TIMEOUT,
            transport_options={"max_retries": 0},  # one attempt: kombu would sleep and retry
        ) as connection:
            app.send_task(
                task_name,
                args=args,
                connection=connection,
                ignore_result=True,  # nothing waits on it: the result backend is not touched
                retry=False,
                **ROUTING,
            )
    except Exception as error:  # any broker or backend failure: the beat retry takes over
        logger.warning(
            "task %s%r not queued: %s (left to the periodic retry)",
            task_name,
            args,
            type(error).__name__,
        )
        return False
    return True
