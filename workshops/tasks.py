"""Tasks of the workshops app: thin, take ids, safe to run twice."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from kombu.exceptions import OperationalError

from workshops.services import attestation_render

logger = logging.getLogger(__name__)

# Extra options of `apply_async` (tests send the task to their own worker's queue).
ROUTING: dict[str, Any] = {}


@shared_task(name="workshops.tasks.render_attestation")
def render_attestation(enrollment_id: int) -> bool:
    """Render a completed enrolment's attestation (nothing when it exists already)."""
    return attestation_render(enrollment_id=enrollment_id)


def queue_attestation(enrollment_id: int) -> None:
    """Queue the attestation; called on commit of the completion. If the broker cannot be
    reached, the completion stands: the download view renders a missing attestation."""
    try:
        render_attestation.apply_async((enrollment_id,), **ROUTING)
    except OperationalError:
        logger.warning("attestation of enrolment %s not queued: broker unreachable", enrollment_id)
