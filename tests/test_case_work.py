"""Case work: community-work hours and pace, incidents over 12 months, assessments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cases import legal, services
from cases.models import Assessment, Incident, WorkHours
from cases.selectors import case_file, tig_pace
from spip.exceptions import SpipError
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def tig(world, cases):
    measure = services.measure_add(
        acting_user=world.adviser,
        case=cases.own,
        court_id=world.branch.court_id,
        terms=legal.MeasureTerms(
            kind=legal.MeasureKind.TIG,
            decision_date=dt.date(2026, 3, 2),
            final_date=dt.date(2026, 3, 12),
            start_date=dt.date(2026, 4, 1),
            tig_hours=70,
            tig_consent=True,
        ),
    )
    placement = services.work_placement_add(
        acting_user=world.adviser,
        measure=measure,
        host=PartnerFactory(department=world.branch.department, kind="tig_host"),
        post="Entretien des espaces verts",
        tutor="M. Blanc",
        started_on=dt.date(2026, 4, 6),
    )
    return measure, placement


@pytest.mark.parametrize(
    ("remaining", "today", "deadline", "pace"),
    [
        (Decimal(70), dt.date(2026, 11, 23), dt.date(2027, 9, 12), Decimal(2)),  # 41.9 weeks: 1.67
        (Decimal(56), dt.date(2026, 11, 23), dt.date(2027, 9, 12), Decimal("1.5")),  # 1.34
        (Decimal(10), dt.date(2026, 11, 23), dt.date(2026, 11, 30), Decimal(10)),
        (Decimal(7), dt.date(2026, 11, 23), dt.date(2026, 12, 7), Decimal("3.5")),
        (Decimal(0), dt.date(2026, 11, 23), dt.date(2027, 1, 1), None),
        (Decimal(5), dt.date(2026, 11, 23), dt.date(2026, 11, 23), None),  # deadline reached
        (Decimal(5), dt.date(2026, 11, 23), None, None),
    ],
)
def test_tig_pace(remaining, today, deadline, pace):
    assert tig_pace(remaining, today, deadline) == pace


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False)
def test_hours_never_exceed_the_hours_ordered(world, tig):
    measure, placement = tig
    services.work_hours_record(
        acting_user=world.adviser, placement=placement, date=dt.date(2026, 4, 10), hours=Decimal(7)
    )
    services.work_hours_record(
        acting_user=world.adviser,
        placement=placement,
        date=dt.date(2026, 4, 11),
        hours=Decimal("62.5") - Decimal("55.5"),
    )
    for day in range(1, 8):  # 7 days of 8 hours: 70 hours done
        services.work_hours_record(
            acting_user=world.adviser,
            placement=placement,
            date=dt.date(2026, 11, day),
            hours=Decimal(8),
        )
    with pytest.raises(SpipError) as error:
        services.work_hours_record(
            acting_user=world.adviser,
            placement=placement,
            date=dt.date(2026, 11, 20),
            hours=Decimal("0.5"),
        )
    assert error.value.field == "hours" and "0 des 70" in str(error.value)
    with pytest.raises(SpipError):  # one day never holds more than 24 hours
        services.work_hours_record(
            acting_user=world.adviser,
            placement=placement,
            date=dt.date(2026, 11, 21),
            hours=Decimal(25),
        )
    assert sum(entry.hours for entry in WorkHours.objects.all()) == Decimal(70)
    measure.refresh_from_db()
    work = next(m for m in case_file(measure.case, today=TODAY)["measures"] if m.pk == measure.pk)
    assert work.work.done == 70 and work.work.remaining == 0 and work.work.percent == 100


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False)
def test_case_file_shows_progress_and_pace(client, world, tig):
    measure, placement = tig
    services.work_hours_record(
        acting_user=world.adviser, placement=placement, date=dt.date(2026, 5, 4), hours=Decimal(14)
    )
    client.force_login(world.adviser)
    page = client.get(reverse("cases:detail", args=[measure.case_id])).content.decode()
    # 56 hours left, deadline 12/09/2027 (18 months from 12/03/2026): 41.7 weeks → 1.5 h a week.
    assert "14 sur 70 heures effectuées, 56 restantes" in page
    assert "12/09/2027" in page
    assert "Rythme nécessaire pour finir à temps : 1,5 h par semaine." in page
    for day in (6, 7):
        services.work_hours_record(
            acting_user=world.adviser,
            placement=placement,
            date=dt.date(2026, 5, day),
            hours=Decimal(24),
        )
    response = client.post(
        reverse("cases:work_hours_add", args=[placement.pk]), {"date": "2026-11-20", "hours": "9"}
    )
    assert "Il ne reste que 8 des 70 heures prononcées à effectuer." in response.content.decode()


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False)
def test_incident_count_over_a_sliding_year(world, cases):
    measure = cases.measures["own"]
    for day in (dt.date(2025, 12, 20), dt.date(2026, 6, 1), dt.date(2026, 11, 22)):
        services.incident_record(
            acting_user=world.adviser,
            measure=measure,
            occurred_on=day,
            description="absence à la convocation",
            response=Incident.Response.REMINDER,
        )

    def count(today):
        file = case_file(measure.case, today=today)
        return next(m for m in file["measures"] if m.pk == measure.pk).incidents_12_months

    assert count(dt.date(2026, 11, 23)) == 3
    assert count(dt.date(2026, 12, 20)) == 2  # the first one is a year old
    assert count(dt.date(2027, 6, 1)) == 1
    with pytest.raises(SpipError):
        services.incident_record(
            acting_user=world.adviser,
            measure=measure,
            occurred_on=dt.date(2026, 11, 20),
            description="x",
            response=Incident.Response.WARNING,
            obligation=cases.obligations["colleague"],
        )


def test_a_new_assessment_keeps_the_previous_ones_readable(client, world, cases):
    case = cases.own
    first = cases.assessments["own"]
    client.force_login(world.adviser)
    response = client.post(
        reverse("cases:assessment_add", args=[case.pk]),
        {"assessed_on": "2026-06-01", "housing": "logement autonome", "plan": "maintien"},
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(case=case).count() == 2
    first.refresh_from_db()
    assert first.housing == "hébergé chez un tiers"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (
        "logement autonome" in page and reverse("cases:assessment_detail", args=[first.pk]) in page
    )
    old = client.get(reverse("cases:assessment_detail", args=[first.pk])).content.decode()
    assert "hébergé chez un tiers" in old
    bad = client.post(
        reverse("cases:assessment_add", args=[case.pk]),
        {"assessed_on": "2026-06-01", "review_on": "2026-05-01", "plan": "x"},
    )
    assert "La révision suit l’évaluation." in bad.content.decode()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(name: str, content: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def _post_proof(client, obligation, upload):
    return client.post(
        reverse("cases:proof_add", args=[obligation.pk]),
        {"received_on": "2026-01-10", "compliant": "1", "file": upload},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("attestation.pdf", b"#!/bin/sh\nrm -rf /\n", "ni l’un ni l’autre, quel que soit son nom"),
        ("photo.png", b"<script>alert(1)</script>", "ni l’un ni l’autre"),
        ("gros.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "trop volumineux"),
    ],
)
def test_proof_files_refused(client, world, cases, name, content, message, settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    client.force_login(world.adviser)
    response = _post_proof(client, cases.obligations["own"], _upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not cases.obligations["own"].proofs.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_proof_file_stored_privately_and_downloaded_with_a_log(
    client, world, cases, settings, tmp_path
):
    from spip.models import AccessLog

    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    obligation = cases.obligations["own"]
    client.force_login(world.adviser)
    assert (
        _post_proof(client, obligation, _upload("Martin attestation.pdf", PDF)).status_code == 302
    )
    proof = obligation.proofs.get()
    assert proof.file_type == "application/pdf"
    assert "Martin" not in proof.file.name and proof.file.name.startswith("proofs/")
    stored = tmp_path / proof.file.name
    assert stored.read_bytes() == PDF
    # No public URL leads to it: neither a media URL nor a static one.
    assert client.get("/media/" + proof.file.name).status_code == 404
    assert client.get("/static/" + proof.file.name).status_code == 404
    url = reverse("cases:proof_file", args=[proof.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="justificatif-{proof.pk}.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert (
        AccessLog.objects.filter(
            user=world.adviser, action=AccessLog.Action.DOWNLOAD, object_id=str(proof.pk)
        ).count()
        == 1
    )
    png = _post_proof(client, obligation, _upload("scan.pdf", PNG, "application/pdf"))
    assert png.status_code == 302
    assert obligation.proofs.order_by("-id").first().file.name.endswith(".png")
    for who, status in [
        ("secretary", 403),
        ("other_adviser", 404),
        ("colleague", 403),
        ("director", 200),
        ("admin", 403),
        ("clerk", 404),
    ]:
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == status, who


def test_transfer_revokes_the_old_branch_and_tells_the_receiving_director(client, world, cases):
    from cases.models import Transfer
    from cases.policy import Access, case_access
    from spip.models import Notification

    case = cases.own
    client.force_login(world.director)
    url = reverse("cases:transfer", args=[case.pk])
    assert "Ce champ est obligatoire" in client.post(url, {"to_branch": ""}).content.decode()
    response = client.post(url, {"to_branch": world.other_branch.pk, "reason": "déménagement"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.branch == world.other_branch and case.adviser is None
    for user in (world.adviser, world.colleague, world.director, world.secretary):
        assert case_access(user, case) == Access.NONE
    assert case_access(world.other_director, case) == Access.WRITE
    assert Notification.objects.filter(recipient=world.other_director, link=f"/cases/{case.pk}/")
    transfer = Transfer.objects.get(case=case)
    assert (transfer.from_branch, transfer.to_branch) == (world.branch, world.other_branch)
    client.force_login(world.other_director)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "déménagement" in page  # the history travels with the case


@pytest.mark.parametrize("target", ["case", "measure", "obligation", "assessment"])
def test_concurrent_edit_from_two_connections_is_refused_with_nothing_lost(
    client, world, cases, target
):
    from django.test import Client

    from cases.models import IntensityLevel

    url, first, second, read = {
        "case": (
            reverse("cases:update", args=[cases.own.pk]),
            {
                "intensity": IntensityLevel.objects.get(code="renforcee").pk,
                "intensity_reason": "manquements répétés",
            },
            {
                "intensity": IntensityLevel.objects.get(code="allegee").pk,
                "intensity_reason": "bonne évolution",
            },
            lambda: cases.own.__class__.objects.get(pk=cases.own.pk).intensity_reason,
        ),
        "measure": (
            reverse("cases:measure_update", args=[cases.measures["own"].pk]),
            {
                "court": world.branch.court_id,
                "decision_date": "2025-12-01",
                "final_date": "2025-12-11",
                "start_date": "2025-12-11",
                "recidivism": "none",
                "prison_term_months": "6",
                "probation_months": "30",
            },
            {
                "court": world.branch.court_id,
                "decision_date": "2025-12-01",
                "final_date": "2025-12-11",
                "start_date": "2025-12-11",
                "recidivism": "none",
                "prison_term_months": "8",
                "probation_months": "18",
            },
            lambda: str(
                cases.measures["own"]
                .__class__.objects.get(pk=cases.measures["own"].pk)
                .probation_months
            ),
        ),
        "obligation": (
            reverse("cases:obligation_update", args=[cases.obligations["own"].pk]),
            {"details": "CSAPA de Montluçon", "check_interval_days": "30"},
            {"details": "médecin traitant", "check_interval_days": "60"},
            lambda: (
                cases.obligations["own"]
                .__class__.objects.get(pk=cases.obligations["own"].pk)
                .details
            ),
        ),
        "assessment": (
            reverse("cases:assessment_update", args=[cases.assessments["own"].pk]),
            {"housing": "logement social", "plan": "maintien du logement"},
            {"housing": "sans domicile", "plan": "hébergement d’urgence"},
            lambda: (
                cases.assessments["own"]
                .__class__.objects.get(pk=cases.assessments["own"].pk)
                .housing
            ),
        ),
    }[target]
    adviser, director = Client(), Client()
    adviser.force_login(world.adviser)
    director.force_login(world.director)
    for browser in (adviser, director):  # both read the record at the same version
        assert 'name="version" value="1"' in browser.get(url).content.decode()
    assert adviser.post(url, first | {"version": "1"}).status_code == 302
    refused = director.post(url, second | {"version": "1"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Quelqu’un d’autre a enregistré" in page
    field = {
        "case": "intensity_reason",
        "measure": "probation_months",
        "obligation": "details",
        "assessment": "housing",
    }[target]
    assert first[field] in page  # what the adviser saved is named in the message
    assert second[field] in page  # the director's text is still in the form
    assert read() == first[field]  # the record keeps the adviser's save
    assert 'name="version" value="2"' in page
    # Saving again, knowingly, replaces the adviser's version.
    assert director.post(url, second | {"version": "2"}).status_code == 302
    assert read() == second[field]


def test_history_rows_for_each_service_and_shown_on_the_case_file(client, world, cases):
    from cases import models

    measure, obligation = cases.measures["own"], cases.obligations["own"]
    client.force_login(world.adviser)
    client.post(
        reverse("cases:update", args=[cases.own.pk]),
        {
            "version": cases.own.version,
            "intensity": cases.own.intensity_id,
            "intensity_reason": "évolution favorable",
        },
    )
    services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.SUSPENSION,
        date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 11),
        decision_reference="JAP 1",
    )
    services.proof_record(
        acting_user=world.adviser,
        obligation=obligation,
        received_on=dt.date(2026, 2, 1),
        compliant=True,
    )
    services.incident_record(
        acting_user=world.adviser,
        measure=measure,
        occurred_on=dt.date(2026, 2, 2),
        description="retard",
        response=models.Incident.Response.REMINDER,
    )
    services.obligation_lift(
        acting_user=world.adviser,
        obligation=obligation,
        lifted_on=dt.date(2026, 3, 1),
        reason="décision du JAP",
    )
    services.case_restrict(
        acting_user=world.director, case=cases.own, restricted=True, reason="sensible"
    )
    for model in (
        "Person",
        "Case",
        "Measure",
        "MeasureEvent",
        "Obligation",
        "Proof",
        "Incident",
        "Assessment",
        "WorkPlacement",
    ):
        assert getattr(models, f"{model}History").objects.exists(), model
    case_rows = models.CaseHistory.objects.filter(pgh_obj=cases.own).order_by("pgh_id")
    assert case_rows.filter(pgh_label="update").count() >= 2
    page = client.get(reverse("cases:detail", args=[cases.own.pk])).content.decode()
    history = page[page.index('id="history"') :]
    assert "évaluation → évolution favorable" in history  # before → after, from the form
    assert str(world.adviser) in history  # who, from the request
    assert "Accès restreint : False → True" in history
    client.force_login(world.secretary)  # identity only: no history
    assert (
        'id="history"'
        not in client.get(reverse("cases:detail", args=[cases.own.pk])).content.decode()
    )


def test_correcting_a_measure_recomputes_its_end_within_the_bounds(client, world, cases):
    measure = cases.measures["own"]
    client.force_login(world.adviser)
    url = reverse("cases:measure_update", args=[measure.pk])
    data = {
        "court": world.branch.court_id,
        "decision_date": "2025-12-01",
        "final_date": "2025-12-11",
        "start_date": "2025-12-11",
        "recidivism": "none",
        "prison_term_months": "6",
        "version": "1",
    }
    page = client.post(url, data | {"probation_months": "40"}).content.decode()
    assert "au plus 36 mois" in page and "CP 132-42" in page
    measure.refresh_from_db()
    assert measure.probation_months == 24 and measure.version == 1
    assert client.post(url, data | {"probation_months": "18"}).status_code == 302
    measure.refresh_from_db()
    assert measure.end_date == dt.date(2027, 6, 11) and measure.version == 2
    assert measure.kind == "probation"
