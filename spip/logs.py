"""Keep personal data out of logs and error reports.

URLs never carry personal data (search terms are posted), so paths may be logged; request
bodies, cookies and local variables may hold names and must never leave the process.
"""

from __future__ import annotations

import logging
from typing import Any

from django.views.debug import SafeExceptionReporterFilter


class NoPersonalDataFilter(logging.Filter):
    """Drop the request object that Django attaches to `django.request` records, so that no
    handler can format its body, cookies or headers."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


class PersonalDataFreeReporterFilter(SafeExceptionReporterFilter):
    """Error reports show no POST data and no frame variables at all, whatever DEBUG says."""

    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> list[tuple[str, str]]:
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
