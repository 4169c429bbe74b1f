"""PDF rendering for every document that leaves the service (convocations, attestations,
reports to the judge): WeasyPrint, A4, French by default, PDF/A.

WeasyPrint only ever reads the project's own static files: `StaticFilesFetcher` answers
URLs under `STATIC_URL` on the document's private base URL from the static finders and
refuses everything else (no network, no other file on disk).
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered with this base URL; it resolves nowhere, the fetcher answers it.
BASE_URL = "https://documents.spip.invalid/"


class RefusedResource(ValueError):
    """WeasyPrint asked for something other than one of the project's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves the project's own static files and nothing else."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        prefix = urlsplit(BASE_URL)
        static_path = "/" + settings.STATIC_URL.lstrip("/")
        if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc) or not (
            parts.path.startswith(static_path)
        ):
            raise RefusedResource(f"Refused resource outside the static files: {url}")
        relative = unquote(parts.path[len(static_path) :])
        found = _static_file(relative)
        if not found:
            raise RefusedResource(f"No such static file: {relative}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _static_file(relative: str) -> str | None:
    """The file behind a static path: the collected one (hashed names, as `{% static %}`
    writes them when deployed), else the app's source file (development, tests)."""
    if ".." in relative.split("/"):
        return None
    try:
        if staticfiles_storage.exists(relative):
            return staticfiles_storage.path(relative)
    except (NotImplementedError, SuspiciousFileOperation):
        pass
    return finders.find(relative)


def render_html(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """The bytes of the PDF/A document for `html` (title, author and language come from the
    document's <title>, <meta name="author"> and <html lang>)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant="pdf/a-3b", uncompressed_pdf=False)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template that extends `pdf/base.html` to PDF.

    The context may set `draft=True`: every page then carries the word "PROJET"."""
    return html_to_pdf(render_html(template_name, context))


def pdf_response(data: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    """A generated PDF as a private, uncached answer. `filename` names the document by its
    id, never by the person."""
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
