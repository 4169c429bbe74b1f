"""The whole life of a report through its pages, with a real Celery worker issuing it:
draft → submit → return → submit → validate → issued PDF, downloaded by the clerk."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import time

import pytest
import time_machine
from django.urls import reverse

from reporting import services, tasks
from reporting.models import Kind, Report
from spip import queueing
from spip.celery import app as celery_app
from spip.models import AccessLog
from spip.tasks import ping
from tests.pdfs import pdf_text
from tests.test_processes import celery_worker  # noqa: F401
from tests.test_workshops_concurrency import worker_files  # noqa: F401


def _form(report: Report, **changes: object) -> dict[str, object]:
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    return data | {"court": report.court_id, "version": report.version} | changes


@pytest.mark.worker
def test_draft_to_issued_pdf_with_a_real_worker(
    worker_files,  # noqa: F811 - the fixtures imported above
    celery_worker,  # noqa: F811
    world,
    cases,
    client,
    monkeypatch,
):
    ping.apply_async(queue=celery_worker).get(timeout=90)  # the worker is up
    monkeypatch.setattr(queueing, "ROUTING", {"queue": celery_worker})
    case = cases.own

    client.force_login(world.adviser)
    response = client.post(
        reverse("reporting:new", args=[case.pk]),
        {"kind": Kind.END_OF_MEASURE, "measure": cases.measures["own"].pk},
    )
    report = Report.objects.get(case=case)
    assert response.url == reverse("reporting:detail", args=[report.pk])
    typed = {
        "judge": "Mme Claire Fontaine",
        "analysis": "Suivi investi et régulier.",
        "proposal": "early_end",
    }
    response = client.post(reverse("reporting:submit", args=[report.pk]), _form(report, **typed))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    client.force_login(world.director)
    response = client.post(
        reverse("reporting:return", args=[report.pk]),
        {"comment": "Préciser l’évolution depuis l’évaluation.", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT

    client.force_login(world.adviser)
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "Préciser l’évolution depuis l’évaluation." in page
    response = client.post(
        reverse("reporting:submit", args=[report.pk]),
        _form(report, analysis="Suivi investi ; évolution nette depuis l’évaluation."),
    )
    assert response.status_code == 302

    client.force_login(world.director)
    report.refresh_from_db()
    response = client.post(
        reverse("reporting:validate", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    deadline = time.monotonic() + 90
    while Report.objects.get(pk=report.pk).status != Report.Status.ISSUED:
        assert time.monotonic() < deadline, "the worker did not issue the report"
        time.sleep(0.3)
    report.refresh_from_db()
    try:
        data = report.pdf.read()
        assert hashlib.sha256(data).hexdigest() == report.sha256
        text = pdf_text(data)
        assert case.person.full_name in text
        assert "Sursis probatoire" in text and "soins" in text.lower()
        assert "évolution nette depuis l’évaluation" in text
        assert "Fin anticipée de la mesure" in text
        assert world.director.get_full_name() in text
        # Run again (a redelivery): nothing changes.
        assert tasks.issue_report.apply_async((report.pk,), queue=celery_worker).get(60) is False
        assert Report.objects.get(pk=report.pk).sha256 == report.sha256

        client.force_login(world.clerk)
        inbox = client.get(reverse("reporting:inbox")).content.decode()
        assert f"inbox-row-{report.pk}" in inbox
        response = client.get(reverse("reporting:download", args=[report.pk]))
        assert response.status_code == 200 and response.content == data
        assert AccessLog.objects.filter(
            user=world.clerk,
            action="download",
            object_type="reporting.report",
            object_id=str(report.pk),
        ).exists()
    finally:
        report.pdf.storage.delete(report.pdf.name)


def _closed_port() -> int:
    """A local port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.worker
def test_a_validation_with_the_broker_down_is_saved_and_issued_once_by_the_beat_retry(
    worker_files,  # noqa: F811 - the fixtures imported above
    celery_worker,  # noqa: F811
    world,
    cases,
    client,
    monkeypatch,
):
    ping.apply_async(queue=celery_worker).get(timeout=90)  # the worker is up
    monkeypatch.setattr(queueing, "ROUTING", {"queue": celery_worker})
    report = services.report_create(
        acting_user=world.adviser,
        case=cases.own,
        measure=cases.measures["own"],
        kind=Kind.END_OF_MEASURE,
    )
    report = services.report_save(
        acting_user=world.adviser,
        report=report,
        version=report.version,
        changes={
            "judge": "Mme Claire Fontaine",
            "analysis": "Suivi régulier.",
            "proposal": "early_end",
        },
    )
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )

    # The broker is a real closed port: the validation is saved, the director is answered at
    # once with the neutral notice, and nothing is queued.
    live_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    try:
        client.force_login(world.director)
        started = time.monotonic()
        response = client.post(
            reverse("reporting:validate", args=[report.pk]), {"version": report.version}
        )
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = live_broker
    assert response.status_code == 302 and elapsed < 2, elapsed
    page = client.get(response.url).content.decode()
    assert "le PDF suivra" in page
    report.refresh_from_db()
    assert report.status == Report.Status.VALIDATED and not report.pdf
    time.sleep(2)
    assert Report.objects.get(pk=report.pk).status == Report.Status.VALIDATED  # nothing went

    # The beat task finds it once it has stalled, on a live broker: issued exactly once.
    later = report.validated_at + services.STALLED_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=True):
        assert tasks.retry_issues() == 1
    deadline = time.monotonic() + 90
    while Report.objects.get(pk=report.pk).status != Report.Status.ISSUED:
        assert time.monotonic() < deadline, "the worker did not issue the report"
        time.sleep(0.3)
    report.refresh_from_db()
    try:
        assert report.issue_attempts == 1
        with time_machine.travel(later, tick=True):
            assert tasks.retry_issues() == 0  # nothing left to retry
        assert pdf_text(report.pdf.read())
    finally:
        report.pdf.storage.delete(report.pdf.name)
