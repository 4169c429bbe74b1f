"""Periodic tasks of the deadlines. Thin: they call the engine and the services and are safe
to run twice.

Their registered names are still `cases.…`, as when they lived in `cases`: the beat schedule
(`spip.celery`) names them so, and so do messages already queued when the code is deployed (a
renamed task would leave those unknown to the worker, and a night without a sweep).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="cases.sweep_deadlines", time_limit=30 * 60, soft_time_limit=25 * 60)
def sweep_deadlines() -> dict[str, list[int]]:
    """Nightly: every deadline rule swept for the Paris date, then each adviser told of the
    alerts raised on their caseload. Safe to run twice: the second run raises nothing."""
    from deadlines import engine, services

    as_of = timezone.localdate()
    counts = engine.sweep(as_of=as_of)
    services.notify_new_alerts(as_of=as_of)
    logger.info(
        "Deadline sweep: %s",
        ", ".join(f"{code} +{c.created} ~{c.updated} -{c.closed}" for code, c in counts.items()),
    )
    return {code: [c.created, c.updated, c.closed] for code, c in counts.items()}


@shared_task(name="cases.send_digests", time_limit=30 * 60, soft_time_limit=25 * 60)
def send_digests() -> int:
    """Monday morning: each adviser's digest of the week's deadlines, once per week."""
    from deadlines import services

    return services.digest_send(as_of=timezone.localdate())
