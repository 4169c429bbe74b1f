"""Tasks of the workshops app: thin, take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="workshops.tasks.render_attestation")
def render_attestation(enrollment_id: int) -> bool:
    """Render a completed enrolment's attestation (nothing when it exists already). If it was
    never queued (broker down), the download view renders it."""
    from workshops.services import attestation_render

    return attestation_render(enrollment_id=enrollment_id)
