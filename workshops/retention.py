"""The workshops' part of the retention purge (`cases.retention`, registered in
`WorkshopsConfig.ready`): enrolments and attendance stay, counted; the attestation, which
names the person, goes."""

from __future__ import annotations

from cases.retention import delete_files_on_commit, history_delete
from workshops.models import Attendance, Enrollment


def enrollments_purge(case_ids: list[int]) -> dict[str, int]:
    """Blank the reason of the enrolments of these cases, delete their attestation files
    (once the purge commits) and the change history of the enrolments and their attendance."""
    enrollments = Enrollment.objects.filter(case_id__in=case_ids)
    files = list(enrollments.exclude(attestation="").values_list("attestation", flat=True))
    anonymised = enrollments.update(reason="", attestation="")
    history = history_delete(
        Attendance, enrollment_id__in=enrollments.values("pk")
    ) + history_delete(Enrollment, case_id__in=case_ids)
    return {
        "enrollments_anonymised": anonymised,
        "files_deleted": delete_files_on_commit(Enrollment.attestation.field.storage, files),
        "history_rows_deleted": history,
    }
