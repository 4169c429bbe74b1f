"""Checks on uploaded proof files: size, and type read from the content, not the name."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from spip.exceptions import SpipError

MAX_PROOF_BYTES = 10 * 1024 * 1024
# The first bytes of each accepted format (its "magic number").
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def proof_file_type(upload: UploadedFile) -> str:
    """The MIME type of an accepted proof file; SpipError on `file` otherwise."""
    if upload.size > MAX_PROOF_BYTES:
        raise SpipError(
            _("The file is too large (%(size)s): 10 MB at most.")
            % {"size": filesizeformat(upload.size)},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, file_type in SIGNATURES.items():
        if head.startswith(signature):
            return file_type
    raise SpipError(
        _("Only PDF, JPEG or PNG files are accepted; this file is neither, whatever its name."),
        field="file",
    )
