"""The reports' part of the retention purge (`cases.retention`, registered in
`ReportingConfig.ready`): reports to the judge are the person's file as the court read it,
so they go entirely, issued ones and their PDFs included."""

from __future__ import annotations

from django.db import connection, transaction

from cases.retention import delete, delete_files_on_commit, history_delete
from reporting.models import Report


def reports_purge(case_ids: list[int]) -> dict[str, int]:
    """Delete the reports of these cases, whatever their status, their PDFs (once the purge
    commits) and their change history. An issued report's trigger refuses a DELETE unless
    the transaction declares itself the purge (`spip.case_purge`, reporting migration 0002),
    which only this function does."""
    reports = Report.objects.filter(case_id__in=case_ids)
    files = list(reports.exclude(pdf="").values_list("pdf", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL spip.case_purge = 'on'")
        deleted = delete(reports)
        # SET LOCAL lasts until the end of the purge's transaction otherwise.
        cursor.execute("SET LOCAL spip.case_purge = 'off'")
    return {
        "reports_deleted": deleted,
        "files_deleted": delete_files_on_commit(Report.pdf.field.storage, files),
        "history_rows_deleted": history_delete(Report, case_id__in=case_ids),
    }
