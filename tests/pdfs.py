"""Reading PDFs back in tests: documents are checked by their extracted text."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-"), "not a PDF"
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def pdf_metadata(data: bytes) -> dict[str, str]:
    return {key: str(value) for key, value in (PdfReader(io.BytesIO(data)).metadata or {}).items()}
