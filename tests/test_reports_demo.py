"""`seed_demo` adds reports in every state across the Montluçon caseload, some issued to the
Tribunal judiciaire de Montluçon for `greffier`; and the demo's journey: `conseiller` drafts
an end-of-measure report prefilled from a case, previews it and submits it, `directrice`
validates it, it is issued, `greffier` finds it in the inbox and downloads it."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.allocation import running_measures
from cases.models import Case, Measure
from reporting import services
from reporting.models import Kind, Report
from spip.models import AccessLog, User
from tests.demo import seeded_demo
from tests.pdfs import pdf_pages, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, private_files_root):
    with seeded_demo(django_db_blocker, private_files_root) as output:
        yield output


def test_reports_in_every_state_and_some_issued_for_greffier(demo):
    reports = Report.objects.filter(case__branch__name="Montluçon")
    statuses = set(reports.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "failed", "issued"}
    assert reports.filter(status="draft").exclude(return_comment="").exists()  # returned
    greffier = User.objects.get(username="greffier")
    issued = reports.filter(status="issued", court=greffier.court)
    assert issued.count() >= 5
    assert issued.filter(downloaded_at__isnull=False).exists()
    assert issued.filter(downloaded_at__isnull=True).exists()
    for report in issued[:2]:
        data = report.pdf.read()
        assert hashlib.sha256(data).hexdigest() == report.sha256
        assert report.case.person.full_name in pdf_text(data)
    conseiller = reports.filter(author__username="conseiller")
    assert set(conseiller.values_list("status", flat=True)) >= {"draft", "submitted", "issued"}
    assert "reports:" in demo
    # A second run adds nothing.
    before = Report.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Report.objects.count() == before


def test_the_demo_journey_from_conseiller_to_greffier(demo):
    conseiller = User.objects.get(username="conseiller")
    today = timezone.localdate()
    case = (
        Case.objects.filter(adviser=conseiller, closed_on__isnull=True)
        .filter(measures__in=Measure.objects.filter(running_measures(today)))
        .exclude(reports__kind=Kind.END_OF_MEASURE)
        .order_by("pk")
        .first()
    )
    measure = case.measures.filter(running_measures(today)).order_by("start_date").first()
    client = Client()
    client.force_login(conseiller)
    response = client.post(
        reverse("reporting:new", args=[case.pk]),
        {"kind": Kind.END_OF_MEASURE, "measure": measure.pk},
    )
    report = Report.objects.get(case=case, kind=Kind.END_OF_MEASURE)
    assert response.url == reverse("reporting:detail", args=[report.pk])
    assert measure.get_kind_display() in report.penal_situation
    page = client.get(response.url).content.decode()
    assert case.person.full_name in page
    preview = client.get(reverse("reporting:preview", args=[report.pk]))
    assert all("PROJET" in text for text in pdf_pages(preview.content))
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {
        "court": report.court_id,
        "version": report.version,
        "judge": "Mme Fontaine",
        "analysis": "Mesure exécutée sans incident.",
        "proposal": "nothing",
    }
    assert client.post(reverse("reporting:submit", args=[report.pk]), data).status_code == 302

    client.force_login(User.objects.get(username="directrice"))
    queue = client.get(reverse("reporting:validation")).content.decode()
    assert f"report-row-{report.pk}" in queue
    report.refresh_from_db()
    response = client.post(
        reverse("reporting:validate", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    assert services.report_issue(report_id=report.pk)  # what the worker does

    greffier = User.objects.get(username="greffier")
    client.force_login(greffier)
    inbox = client.get(reverse("reporting:inbox"), {"not_downloaded": "on"}).content.decode()
    assert f"inbox-row-{report.pk}" in inbox
    download = client.get(reverse("reporting:download", args=[report.pk]))
    assert download.status_code == 200
    assert "Mesure exécutée sans incident." in pdf_text(download.content)
    assert AccessLog.objects.filter(
        user=greffier, action="download", object_id=str(report.pk)
    ).exists()
