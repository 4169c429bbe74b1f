"""The PDF renderer: A4 with letterhead and "N / M" footer, PDF/A metadata, the DRAFT mark,
and a URL fetcher that serves the project's static files and nothing else."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.template import Context, Template
from pypdf import PdfReader

from spip.pdf import BASE_URL, RefusedResource, StaticFilesFetcher, html_to_pdf
from tests.factories import BranchFactory
from tests.pdfs import pdf_metadata, pdf_pages

pytestmark = pytest.mark.django_db

DOCUMENT = Template(
    "{% extends 'pdf/base.html' %}{% block content %}<h1>{{ title }}</h1>"
    "{% for n in lines %}<p>Ligne {{ n }} du document.</p>{% endfor %}{% endblock %}"
)


def _render(**context) -> bytes:
    context = {"title": "Convocation", "author": "Claire Martin", "lines": range(3)} | context
    return html_to_pdf(DOCUMENT.render(Context(context)))


def test_letterhead_footer_and_metadata():
    branch = BranchFactory(name="Montluçon", phone="04 70 00 00 00")
    pages = pdf_pages(_render(branch=branch, lines=range(120)))
    assert len(pages) >= 2
    assert "Montluçon" in pages[0] and "Ministère de la Justice" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text
    metadata = pdf_metadata(_render(branch=branch))
    assert metadata["/Title"] == "Convocation"
    assert metadata["/Author"] == "Claire Martin"


def test_pdf_a_and_language():
    root = PdfReader(io.BytesIO(_render())).trailer["/Root"]
    assert b"pdfaid:part" in root["/Metadata"].get_data()  # PDF/A identification (XMP)
    assert root["/Lang"] == "fr"


def test_draft_mark_on_every_page():
    pages = pdf_pages(_render(draft=True, lines=range(120)))
    assert len(pages) >= 2
    assert all("PROJET" in text for text in pages)
    assert not any("PROJET" in text for text in pdf_pages(_render()))


def test_fetcher_serves_static_files_only(tmp_path):
    fetcher = StaticFilesFetcher()
    response = fetcher.fetch(BASE_URL + "static/pdf/document.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    for url in [
        f"file://{secret}",
        "https://example.com/static/pdf/document.css",
        "http://127.0.0.1:8000/static/pdf/document.css",
        BASE_URL + "static/../../spip/settings.py",
        BASE_URL + "static/nothing-here.css",
        BASE_URL + "admin/",
        "data:text/plain,hello",
    ]:
        with pytest.raises(RefusedResource):
            fetcher.fetch(url)


def test_a_document_cannot_pull_outside_resources(tmp_path):
    """An image pointing elsewhere is skipped, the document still renders."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    html = (
        f'<html lang="fr"><body><img src="file://{secret}"><img src="https://example.com/x.png">'
        "<p>Texte</p></body></html>"
    )
    assert "Texte" in pdf_pages(html_to_pdf(html))[0]


def test_collected_static_files_with_hashed_names_are_served(settings, tmp_path):
    """Deployed, `{% static %}` writes hashed names that only the collected files have: the
    stylesheet (A4, "N / M" footer) must still be found."""
    from django.contrib.staticfiles import finders

    source = finders.find("pdf/document.css")
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "document.0123456789ab.css").write_bytes(Path(source).read_bytes())
    (tmp_path / "staticfiles.json").write_text(
        '{"version": "1.1", "paths": {"pdf/document.css": "pdf/document.0123456789ab.css"}}'
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    }
    data = _render(lines=range(120))
    pages = pdf_pages(data)
    assert len(pages) >= 2 and pages[0].rstrip().endswith(f"1 / {len(pages)}")
    fetched = StaticFilesFetcher().fetch(BASE_URL + "static/pdf/document.0123456789ab.css")
    assert b"@page" in fetched.read()
