"""The deadlines' part of the retention purge (`cases.retention`, registered in
`DeadlinesConfig.ready`): a purged case's alerts only served to follow the person."""

from __future__ import annotations

from cases.retention import delete
from deadlines.models import Alert


def alerts_purge(case_ids: list[int]) -> dict[str, int]:
    """Delete the alerts of these cases (open or closed, snoozed or not)."""
    return {"alerts_deleted": delete(Alert.objects.filter(case_id__in=case_ids))}
