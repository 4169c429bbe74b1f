"""Report journeys in a real Chromium, with a real Celery worker: the adviser drafts an
end-of-measure report from the case file (autosaved), previews and submits it; the director
validates it; the worker issues the PDF; the clerk finds it in the inbox and downloads it.
And the draft survives an expired session: the text stays on screen and is saved once the
adviser signs in again."""

from __future__ import annotations

import hashlib
import time

import pytest

from reporting.models import Kind, Report
from spip import queueing
from spip.models import AccessLog
from spip.tasks import ping
from tests import test_browser
from tests.factories import PASSWORD
from tests.pdfs import pdf_pages, pdf_text
from tests.test_browser import _sign_in
from tests.test_processes import celery_worker  # noqa: F401
from tests.test_workshops_concurrency import worker_files  # noqa: F401

# The Chromium fixtures and marks of the sign-in journeys.
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark


def _sign_out(page) -> None:
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login/**")


def _draft_from_case_file(page, case) -> Report:
    page.goto(f"/cases/{case.pk}/")
    page.locator("#draft-report").click()
    page.get_by_label("Type de rapport").select_option(Kind.END_OF_MEASURE)
    page.get_by_role("button", name="Préparer le rapport").click()
    page.wait_for_url("**/reports/*/")
    return Report.objects.get(case=case)


def _saved(page) -> None:
    page.locator("#autosave-message", has_text="Enregistré à").wait_for()


@pytest.mark.worker
def test_report_from_draft_to_the_clerks_download(
    worker_files,  # noqa: F811 - the fixtures imported above
    celery_worker,  # noqa: F811
    page,
    world,
    cases,
    monkeypatch,
):
    ping.apply_async(queue=celery_worker).get(timeout=90)  # the worker is up
    monkeypatch.setattr(queueing, "ROUTING", {"queue": celery_worker})
    case = cases.own
    _sign_in(page, world.adviser.username, PASSWORD)
    report = _draft_from_case_file(page, case)
    prefilled = page.locator("#id_penal_situation").input_value()
    assert "Sursis probatoire" in prefilled and "soins" in prefilled.lower()

    page.locator("#id_judge").fill("Mme Claire Fontaine")
    page.locator("#id_analysis").fill("Le suivi a été respecté jusqu’à son terme.")
    page.locator("#id_proposal").select_option("nothing")
    _saved(page)
    report.refresh_from_db()
    assert report.analysis == "Le suivi a été respecté jusqu’à son terme."

    preview = page.request.get(f"/reports/{report.pk}/preview/")
    assert preview.headers["content-type"] == "application/pdf"
    assert all("PROJET" in text for text in pdf_pages(preview.body()))

    with page.expect_navigation():  # after the page checked that the session is alive
        page.get_by_role("button", name="Soumettre à validation").click()
    page.wait_for_url(f"**/reports/{report.pk}/")
    assert "soumis à validation" in page.locator("#report-status").inner_text().lower()
    _sign_out(page)

    _sign_in(page, world.director.username, PASSWORD)
    page.get_by_role("link", name="Validation").first.click()
    page.wait_for_url("**/reports/validation/")
    page.locator(f"#report-row-{report.pk}").get_by_role("link").click()
    page.wait_for_url(f"**/reports/{report.pk}/")
    page.get_by_role("button", name="Valider et contresigner").click()
    page.wait_for_url(f"**/reports/{report.pk}/")
    deadline = time.monotonic() + 90
    while Report.objects.get(pk=report.pk).status != Report.Status.ISSUED:
        assert time.monotonic() < deadline, "the worker did not issue the report"
        time.sleep(0.3)
    page.reload()
    page.locator("#report-issued").wait_for()
    _sign_out(page)

    _sign_in(page, world.clerk.username, PASSWORD)
    page.get_by_role("link", name="Rapports reçus").first.click()
    page.wait_for_url("**/clerk/reports/")
    row = page.locator(f"#inbox-row-{report.pk}")
    assert case.number in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Télécharger").click()
    data = download_info.value.path().read_bytes()
    report.refresh_from_db()
    try:
        assert hashlib.sha256(data).hexdigest() == report.sha256
        text = pdf_text(data)
        assert case.person.full_name in text and "Le suivi a été respecté" in text
        assert "Rien à signaler" in text and "PROJET" not in text
        assert report.downloaded_at is not None
        assert AccessLog.objects.filter(
            user=world.clerk, action="download", object_id=str(report.pk)
        ).exists()
        # htmx and the autosave ran under the CSP (a download ends its navigation request).
        assert [p for p in page.console_problems if not p.endswith("/pdf/")] == []
    finally:
        report.pdf.storage.delete(report.pdf.name)


def test_typed_text_survives_an_expired_session(page, world, cases):
    _sign_in(page, world.adviser.username, PASSWORD)
    report = _draft_from_case_file(page, cases.own)
    analysis = page.locator("#id_analysis")
    analysis.fill("Premier paragraphe.")
    _saved(page)

    page.context.clear_cookies(name="sessionid")  # the session expired
    analysis.fill("Premier paragraphe.\nSecond paragraphe, tapé après l’expiration.")
    page.locator("#session-expired").wait_for(state="visible")
    assert "Second paragraphe" in analysis.input_value()
    report.refresh_from_db()
    assert "Second paragraphe" not in report.analysis
    # The Save button checks the session first: the page stays, with the text.
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_timeout(1000)
    assert page.url.endswith(f"/reports/{report.pk}/")
    assert "Second paragraphe" in analysis.input_value()

    other = page.context.new_page()  # "Sign in again (new tab)"
    _sign_in(other, world.adviser.username, PASSWORD)
    other.wait_for_url("**/")
    other.wait_for_load_state("networkidle")
    other.close()
    page.bring_to_front()
    page.locator("#session-expired").wait_for(state="hidden", timeout=20_000)
    _saved(page)
    report.refresh_from_db()
    assert report.analysis == "Premier paragraphe.\nSecond paragraphe, tapé après l’expiration."
    # The 401 answers were expected: nothing else went wrong.
    expected = ("401", "/autosave/", "/reports/session/")
    assert [p for p in page.console_problems if not any(e in p for e in expected)] == []
