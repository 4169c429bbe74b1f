"""The interviews' part of the retention purge (`cases.retention`, registered in
`InterviewsConfig.ready`): interviews stay, counted by kind and status, without their text."""

from __future__ import annotations

from cases.retention import history_delete
from interviews.models import Interview


def interviews_purge(case_ids: list[int]) -> dict[str, int]:
    """Blank the place, private notes, outcome and reminder result of the interviews of
    these cases and delete their change history."""
    anonymised = Interview.objects.filter(case_id__in=case_ids).update(
        place="", notes="", outcome="", reminder_result=""
    )
    return {
        "interviews_anonymised": anonymised,
        "history_rows_deleted": history_delete(Interview, case_id__in=case_ids),
    }
