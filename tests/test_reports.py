"""Reports to the judge: prefill from the case file, autosave, the workflow and its rules,
the issued PDF (content, escaping, no fetches, SHA-256, immutability, failure and retry),
the clerk's inbox and downloads, and the query counts of the lists."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services as case_services
from cases.models import Incident, Measure, WorkHours
from interviews.models import Interview
from interviews.services import paris_datetime
from reporting import selectors, services
from reporting.models import Kind, Proposal, Report
from spip import pdf as spip_pdf
from spip.exceptions import NotAllowed, SpipError
from spip.models import AccessLog, Notification
from tests import factories
from tests.pdfs import pdf_metadata, pdf_pages, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

TODAY = dt.date(2026, 11, 30)


def _draft(world, cases, kind=Kind.END_OF_MEASURE, situation="own"):
    case = cases.cases[situation]
    return services.report_create(
        acting_user=case.adviser,
        case=case,
        measure=cases.measures[situation],
        kind=kind,
        today=TODAY,
    )


def _complete(report, user, **changes):
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {"judge": "Mme Fontaine", "analysis": "Suivi investi.", "proposal": Proposal.NOTHING}
    return services.report_save(
        acting_user=user, report=report, version=report.version, changes=data | changes
    )


def _validated(world, cases, **changes):
    report = _complete(_draft(world, cases), world.adviser, **changes)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    return services.report_validate(
        acting_user=world.director, report=report, version=report.version
    )


def _issued(world, cases, **changes):
    report = _validated(world, cases, **changes)
    assert services.report_issue(report_id=report.pk) is True
    report.refresh_from_db()
    return report


# --- Drafting ---------------------------------------------------------------------------------


def test_draft_is_prefilled_from_the_case_file(world, cases):
    case, measure = cases.own, cases.measures["own"]
    case_services.proof_record(
        acting_user=world.adviser,
        obligation=cases.obligations["own"],
        received_on=dt.date(2026, 10, 2),
        compliant=True,
        note="",
    )
    for day, status in [(dt.date(2026, 9, 1), "held"), (dt.date(2026, 10, 6), "missed")]:
        start = paris_datetime(day, dt.time(10, 0))
        Interview.objects.create(
            case=case,
            person=case.person,
            adviser=world.adviser,
            start=start,
            end=start + dt.timedelta(minutes=45),
            created_by=world.adviser,
            status=status,
        )
    Incident.objects.create(
        measure=measure,
        occurred_on=dt.date(2026, 10, 6),
        description="Convocation manquée",
        response=Incident.Response.REMINDER,
        recorded_by=world.adviser,
    )
    report = _draft(world, cases)
    text = report.penal_situation
    assert "sursis probatoire" in text.lower()
    assert "Tribunal" in text and "11/12/2025" in text
    assert "1 justificatif(s) reçu(s), 1 conforme(s)" in text
    assert "1 honoré(s), 1 non honoré(s)" in text and "06/10/2026" in text
    assert "Convocation manquée" in text
    assert report.personal_situation.startswith("D’après l’évaluation du 20/01/2026")
    assert "hébergé chez un tiers" in report.personal_situation
    assert report.court == case.branch.court
    # End of measure: one month before the computed end (24 months from 11/12/2025).
    assert report.due_date == dt.date(2027, 11, 11)
    assert AccessLog.objects.filter(
        object_type="reporting.report", object_id=str(report.pk), action="create"
    ).exists()


def test_tig_hours_done_and_remaining_are_in_the_draft(world, cases):
    from cases import legal

    measure = case_services.measure_add(
        acting_user=world.director,
        case=cases.own,
        court_id=world.branch.court_id,
        terms=legal.MeasureTerms(
            kind=legal.MeasureKind.TIG,
            decision_date=dt.date(2026, 3, 1),
            final_date=dt.date(2026, 3, 11),
            start_date=dt.date(2026, 3, 11),
            tig_hours=120,
            tig_deadline_months=18,
            tig_consent=True,
        ),
    )
    placement = factories.PartnerFactory(department=world.branch.department)
    placed = measure.placements.create(
        host=placement, post="Espaces verts", tutor="M. Blanc", started_on=dt.date(2026, 4, 1)
    )
    for day in range(5):
        WorkHours.objects.create(
            placement=placed,
            date=dt.date(2026, 4, 2 + day),
            hours=Decimal("7"),
            validated_by=world.adviser,
        )
    report = services.report_create(
        acting_user=world.adviser,
        case=cases.own,
        measure=measure,
        kind=Kind.SITUATION,
        today=TODAY,
    )
    assert "120 heures prononcées, 35 effectuées, 85 restantes" in report.penal_situation
    assert report.due_date is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Kind.EVALUATION, dt.date(2026, 4, 5)),  # saisine 05/01/2026 + 3 months
        (Kind.ANNUAL, None),  # 24 months: not over two years
        (Kind.INCIDENT, TODAY),
        (Kind.ADJUSTMENT, None),
    ],
)
def test_due_date_follows_the_kind(world, cases, kind, expected):
    assert _draft(world, cases, kind=kind).due_date == expected


def test_annual_report_is_due_on_the_anniversary_of_a_long_measure(world, cases):
    from reporting import rules

    measure = Measure(start_date=dt.date(2025, 12, 11), end_date=dt.date(2028, 12, 10))
    assert rules.due_date(Kind.ANNUAL, cases.own, measure, dt.date(2026, 12, 10)) == dt.date(
        2026, 12, 11
    )
    # The day after, with no report yet, it is overdue — it does not move to next year.
    assert rules.due_date(Kind.ANNUAL, cases.own, measure, dt.date(2026, 12, 12)) == dt.date(
        2026, 12, 11
    )
    assert rules.due_date(Kind.ANNUAL, cases.own, measure, dt.date(2027, 11, 20)) == dt.date(
        2027, 12, 11
    )
    # Early in the first year: the first anniversary.
    assert rules.due_date(Kind.ANNUAL, cases.own, measure, dt.date(2026, 2, 1)) == dt.date(
        2026, 12, 11
    )


def test_only_those_who_write_to_the_case_draft(world, cases):
    for user in (world.colleague, world.secretary, world.other_adviser, world.clerk):
        with pytest.raises(NotAllowed):
            services.report_create(
                acting_user=user,
                case=cases.own,
                measure=cases.measures["own"],
                kind=Kind.SITUATION,
            )
    with pytest.raises(SpipError):
        services.report_create(
            acting_user=world.adviser,
            case=cases.own,
            measure=cases.measures["colleague"],
            kind=Kind.SITUATION,
        )


def test_autosave_saves_and_refuses_a_stale_version(client_for, world, cases):
    report = _draft(world, cases)
    client = client_for(world.adviser)
    url = reverse("reporting:autosave", args=[report.pk])
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {"court": report.court_id, "analysis": "Première analyse", "version": report.version}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="id_version" value="2"' in response.content.decode()
    report.refresh_from_db()
    assert report.analysis == "Première analyse" and report.version == 2
    # The same form posted again with the old version: someone else saved meanwhile.
    response = client.post(url, data | {"analysis": "Autre"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "Quelqu’un d’autre" in response.content.decode()
    report.refresh_from_db()
    assert report.analysis == "Première analyse"


def test_autosave_with_an_expired_session_answers_401_then_saves_after_sign_in(
    client, world, cases
):
    report = _draft(world, cases)
    url = reverse("reporting:autosave", args=[report.pk])
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {"court": report.court_id, "analysis": "Texte tapé hors session", "version": 1}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 401
    report.refresh_from_db()
    assert report.analysis == ""
    # A plain (non-htmx) request still goes to the sign-in page.
    assert client.post(url, data).status_code == 302
    client.force_login(world.adviser)
    token = client.get(reverse("reporting:session")).json()["token"]
    assert token
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.analysis == "Texte tapé hors session"


def test_a_section_too_long_is_refused_next_to_the_field(client_for, world, cases):
    report = _draft(world, cases)
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {"court": report.court_id, "analysis": "x" * 50_001, "version": report.version}
    response = client_for(world.adviser).post(reverse("reporting:detail", args=[report.pk]), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "50000 caractères" in page or "50 000 caractères" in page
    assert "x" * 200 in page  # what was typed is still in the form


# --- Workflow ---------------------------------------------------------------------------------


def test_submit_requires_the_sections_the_director_needs(client_for, world, cases):
    report = _draft(world, cases)
    client = client_for(world.adviser)
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {
        "court": report.court_id,
        "version": report.version,
        "proposal": "",
        "judge": "",
        "penal_situation": "Situation pénale tapée",
    }
    response = client.post(reverse("reporting:submit", args=[report.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Complétez cette partie avant de soumettre le rapport.") == 3
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert report.penal_situation == "Situation pénale tapée"  # saved all the same


def test_return_then_resubmit_then_validate_notifies_the_author(world, cases):
    report = _complete(_draft(world, cases), world.adviser)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    assert Notification.objects.filter(recipient=world.director).count() == 1
    with pytest.raises(NotAllowed):
        services.report_validate(acting_user=world.adviser, report=report, version=report.version)
    with pytest.raises(NotAllowed):
        services.report_validate(
            acting_user=world.other_director, report=report, version=report.version
        )
    with pytest.raises(SpipError, match="modifier|change"):
        services.report_return(
            acting_user=world.director, report=report, version=report.version, comment="  "
        )
    report = services.report_return(
        acting_user=world.director,
        report=report,
        version=report.version,
        comment="Motiver la proposition.",
    )
    assert report.status == Report.Status.DRAFT and report.returned
    notified = Notification.objects.filter(recipient=world.adviser, message__contains="renvoyé")
    assert notified.exists()
    report = _complete(report, world.adviser, analysis="Analyse motivée.")
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    report = services.report_validate(
        acting_user=world.director, report=report, version=report.version
    )
    assert report.status == Report.Status.VALIDATED and report.validator == world.director
    assert Notification.objects.filter(recipient=world.adviser, message__contains="validé").exists()


def test_a_director_cannot_countersign_their_own_report(world, cases):
    report = services.report_create(
        acting_user=world.director,
        case=cases.own,
        measure=cases.measures["own"],
        kind=Kind.SITUATION,
    )
    report = _complete(report, world.director)
    report = services.report_submit(
        acting_user=world.director, report=report, version=report.version
    )
    with pytest.raises(SpipError, match="rédacteur"):
        services.report_validate(acting_user=world.director, report=report, version=report.version)


def test_submitted_report_is_no_longer_editable(world, cases):
    report = _complete(_draft(world, cases), world.adviser)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    with pytest.raises(SpipError, match="brouillon|draft"):
        _complete(report, world.adviser, analysis="Changement tardif")


# --- Issue ------------------------------------------------------------------------------------


def test_issued_pdf_holds_the_report_and_its_hash(world, cases):
    report = _issued(world, cases, proposal=Proposal.EARLY_END)
    data = report.pdf.read()
    assert hashlib.sha256(data).hexdigest() == report.sha256
    text = pdf_text(data)
    assert "MARTIN Alex" in text
    assert "Sursis probatoire" in text
    assert "Soins" in text or "soins" in text  # the obligations' summary
    assert "Fin anticipée de la mesure" in text
    assert "Rapport de fin de mesure" in text
    assert "Mme Fontaine" in text and world.branch.court.name in text
    assert world.adviser.get_full_name() in text and world.director.get_full_name() in text
    assert "PROJET" not in text
    pages = pdf_pages(data)
    assert pages[-1].rstrip().endswith(f"{len(pages)} / {len(pages)}")
    metadata = pdf_metadata(data)
    assert metadata["/Title"] == f"Rapport de fin de mesure — {cases.own.number}"
    assert metadata["/Author"] == world.adviser.get_full_name()
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "fr"
    assert report.pdf.name.startswith("reports/") and "MARTIN" not in report.pdf.name


def test_draft_preview_is_marked_on_every_page(client_for, world, cases):
    report = _draft(world, cases)
    report = _complete(report, world.adviser, analysis="Longue analyse.\n" * 200)
    response = client_for(world.adviser).get(reverse("reporting:preview", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) > 1 and all("PROJET" in page for page in pages)
    assert AccessLog.objects.filter(object_id=str(report.pk), action="print").exists()


def test_markup_typed_in_a_section_is_text_and_nothing_is_fetched(
    client_for, world, cases, monkeypatch
):
    fetched = []
    original = spip_pdf.StaticFilesFetcher.fetch

    def recording(self, url, *args, **kwargs):
        fetched.append(url)
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(spip_pdf.StaticFilesFetcher, "fetch", recording)
    typed = (
        '<script>alert("x")</script><b>gras</b> <img src="http://example.com/x.png"> '
        '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://example.com/a.css">'
    )
    report = _draft(world, cases)
    report = _complete(report, world.adviser, analysis=typed)
    page = client_for(world.adviser).get(reverse("reporting:detail", args=[report.pk]))
    content = page.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert '<img src="http://example.com' not in content
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    services.report_validate(acting_user=world.director, report=report, version=report.version)
    assert services.report_issue(report_id=report.pk)
    report.refresh_from_db()
    text = pdf_text(report.pdf.read())
    assert '<script>alert("x")</script><b>gras</b>' in text
    assert "file:///etc/passwd" in text
    assert fetched and all(url.startswith(spip_pdf.BASE_URL + "static/") for url in fetched)


def test_the_fetcher_refuses_the_network_and_other_files():
    fetcher = spip_pdf.StaticFilesFetcher()
    for url in (
        "http://example.com/x.png",
        "file:///etc/passwd",
        spip_pdf.BASE_URL + "static/../../etc/passwd",
        spip_pdf.BASE_URL + "private/reports/x.pdf",
    ):
        with pytest.raises(spip_pdf.RefusedResource):
            fetcher.fetch(url)


def test_an_issued_report_cannot_change(client_for, world, cases):
    report = _issued(world, cases)
    with pytest.raises(SpipError, match="brouillon|draft"):
        _complete(report, world.adviser, analysis="Réécriture")
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {"court": report.court_id, "analysis": "Réécriture", "version": report.version}
    response = client_for(world.adviser).post(reverse("reporting:detail", args=[report.pk]), data)
    assert response.status_code == 409
    # Below the services, the database refuses it too.
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(analysis="Réécriture")
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).delete()
    report.refresh_from_db()
    assert report.analysis == "Suivi investi."
    # Only the first download date may still be set.
    Report.objects.filter(pk=report.pk).update(downloaded_at=timezone.now())


def test_a_failing_render_leaves_issuing_failed_and_a_retry_succeeds_once(
    world, cases, monkeypatch
):
    report = _complete(_draft(world, cases), world.adviser)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    report = services.report_validate(
        acting_user=world.director, report=report, version=report.version
    )

    def broken(html):
        raise OSError("disk full")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    assert services.report_issue(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and not report.pdf and not report.sha256
    assert report.issue_error == "OSError" and report.issue_attempts == 1
    assert Notification.objects.filter(recipient=world.director, message__contains="émis").exists()
    assert report.pk in services.stalled_issues()
    monkeypatch.undo()
    assert services.report_issue(report_id=report.pk) is True
    assert services.report_issue(report_id=report.pk) is False  # once only
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED and report.issue_attempts == 2
    assert hashlib.sha256(report.pdf.read()).hexdigest() == report.sha256
    assert report.pk not in services.stalled_issues()


def test_a_lost_issue_task_is_queued_again_by_beat(world, cases):
    report = _complete(_draft(world, cases), world.adviser)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    report = services.report_validate(
        acting_user=world.director, report=report, version=report.version
    )
    assert report.pk not in services.stalled_issues()
    later = timezone.now() + services.STALLED_AFTER + dt.timedelta(minutes=1)
    assert report.pk in services.stalled_issues(now=later)


def test_a_tampered_file_is_not_served(client_for, world, cases):
    report = _issued(world, cases)
    with open(report.pdf.path, "ab") as handle:
        handle.write(b"%tampered")
    response = client_for(world.director).get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 503
    assert not AccessLog.objects.filter(object_id=str(report.pk), action="download").exists()


# --- Clerk ------------------------------------------------------------------------------------


def test_clerk_downloads_are_logged_and_dated(
    client_for, world, cases, django_capture_on_commit_callbacks
):
    report = _validated(world, cases)
    with django_capture_on_commit_callbacks(execute=True):  # the notifications after issue
        assert services.report_issue(report_id=report.pk)
    report.refresh_from_db()
    client = client_for(world.clerk)
    inbox = client.get(reverse("reporting:inbox")).content.decode()
    assert f"inbox-row-{report.pk}" in inbox and "nouveau" in inbox
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="rapport-{report.pk}.pdf"'
    assert hashlib.sha256(response.content).hexdigest() == report.sha256
    assert Notification.objects.filter(
        recipient=world.clerk, message__contains=cases.own.number, link=reverse("reporting:inbox")
    ).exists()
    entry = AccessLog.objects.get(object_id=str(report.pk), action="download")
    assert entry.user == world.clerk and entry.object_type == "reporting.report"
    report.refresh_from_db()
    assert report.downloaded_at is not None
    unread = client.get(reverse("reporting:inbox"), {"not_downloaded": "on"}).content.decode()
    assert f"inbox-row-{report.pk}" not in unread
    # The adviser sees when the court downloaded it.
    mine = client_for(world.adviser).get(reverse("reporting:list")).content.decode()
    assert "téléchargé par le greffe" in mine


def test_a_clerk_of_another_court_gets_404_and_drafts_do_not_exist_for_clerks(
    client_for, world, cases
):
    issued = _issued(world, cases)
    draft = _draft(world, cases, kind=Kind.SITUATION)
    other_clerk = factories.UserFactory(role="clerk", branch=None, court=world.other_branch.court)
    client = client_for(other_clerk)
    assert client.get(reverse("reporting:download", args=[issued.pk])).status_code == 404
    assert f"inbox-row-{issued.pk}" not in client.get(reverse("reporting:inbox")).content.decode()
    client = client_for(world.clerk)
    for name in ("reporting:download", "reporting:detail", "reporting:preview"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    assert client.get(reverse("cases:detail", args=[cases.own.pk])).status_code == 404


def test_inbox_filters(client_for, world, cases):
    report = _issued(world, cases)
    client = client_for(world.clerk)
    url = reverse("reporting:inbox")
    row = f"inbox-row-{report.pk}"
    assert row in client.get(url, {"kind": Kind.END_OF_MEASURE}).content.decode()
    assert row not in client.get(url, {"kind": Kind.EVALUATION}).content.decode()
    assert row in client.get(url, {"branch": world.branch.pk}).content.decode()
    issued_on = timezone.localdate(report.issued_at)
    today = issued_on.isoformat()
    assert row in client.get(url, {"issued_from": today, "issued_to": today}).content.decode()
    tomorrow = (issued_on + dt.timedelta(days=1)).isoformat()
    assert row not in client.get(url, {"issued_from": tomorrow}).content.decode()
    response = client.get(url, {"issued_from": tomorrow, "issued_to": today})
    assert response.status_code == 200
    assert "La fin de la période est avant son début." in response.content.decode()


# --- Lists and their query counts -------------------------------------------------------------


def _many_issued(world, cases, count):
    """`count` issued reports, with fake files (the list never opens them)."""
    case = cases.own
    for n in range(count):
        report = Report.objects.create(
            case=case,
            measure=cases.measures["own"],
            kind=Kind.SITUATION,
            court=world.branch.court,
            author=world.adviser,
            status=Report.Status.VALIDATED,
            validator=world.director,
            validated_at=timezone.now(),
        )
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.ISSUED,
            pdf=f"reports/{n}.pdf",
            sha256="0" * 64,
            issued_at=timezone.now(),
        )


def _many_submitted(world, cases, count):
    for _ in range(count):
        Report.objects.create(
            case=cases.own,
            measure=cases.measures["own"],
            kind=Kind.SITUATION,
            court=world.branch.court,
            author=world.adviser,
            status=Report.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("url_name", "who", "make"),
    [
        ("reporting:inbox", "clerk", _many_issued),
        ("reporting:validation", "director", _many_submitted),
        ("reporting:list", "adviser", _many_submitted),
        ("reporting:list", "adviser", _many_issued),
    ],
)
def test_list_query_count_does_not_grow_with_its_length(
    client_for, world, cases, url_name, who, make
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(getattr(world, who))
    make(world, cases, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    make(world, cases, 12)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse(url_name))
    assert page.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_reports_due_soon(world, cases):
    measure = cases.measures["own"]
    end = TODAY + dt.timedelta(days=45)
    Measure.objects.filter(pk=measure.pk).update(end_date=end)
    due = selectors.reports_due(world.adviser, TODAY)
    end_reports = [entry for entry in due if entry.kind == Kind.END_OF_MEASURE]
    assert [entry.measure.pk for entry in end_reports] == [measure.pk]
    assert end_reports[0].due_date == dt.date(2026, 12, 14) and not end_reports[0].overdue
    _draft(world, cases)
    due = selectors.reports_due(world.adviser, TODAY)
    assert not [entry for entry in due if entry.kind == Kind.END_OF_MEASURE]
    # Nobody else's caseload.
    assert selectors.reports_due(world.other_adviser, TODAY) == [] or all(
        entry.case.pk != cases.own.pk for entry in selectors.reports_due(world.other_adviser, TODAY)
    )


def test_case_file_lists_its_reports(client_for, world, cases):
    report = _draft(world, cases)
    page = client_for(world.adviser).get(reverse("cases:detail", args=[cases.own.pk]))
    content = page.content.decode()
    assert reverse("reporting:detail", args=[report.pk]) in content
    assert 'id="draft-report"' in content


def test_history_keeps_the_workflow_not_every_keystroke(world, cases):
    report = _draft(world, cases)
    for n in range(3):
        report = _complete(report, world.adviser, analysis=f"version {n}")
    assert report.history.count() == 1 or report.history.count() == 2  # creation (+ judge)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    assert report.history.order_by("-pgh_id").first().status == Report.Status.SUBMITTED


# --- Who writes, where it goes, what fails ----------------------------------------------------


def test_a_director_reads_an_advisers_draft_but_does_not_write_it(client_for, world, cases):
    report = _draft(world, cases)
    with pytest.raises(NotAllowed):
        _complete(report, world.director)
    page = client_for(world.director).get(reverse("reporting:detail", args=[report.pk]))
    assert page.status_code == 200 and 'id="report-form"' not in page.content.decode()
    assert 'id="report-sections"' in page.content.decode()


def test_a_report_goes_only_to_the_persons_court_or_the_sentencing_court(world, cases):
    report = _draft(world, cases)
    elsewhere = factories.CourtFactory()
    with pytest.raises(SpipError) as refused:
        _complete(report, world.adviser, court=elsewhere)
    assert refused.value.field == "court"
    assert services.allowed_courts(report) == [world.branch.court_id]


def test_a_storage_failure_leaves_issuing_failed_and_no_file(world, cases, monkeypatch):
    from django.core.files.storage import default_storage

    report = _validated(world, cases)
    calls = []

    def full(name, content, *args, **kwargs):
        calls.append(name)
        raise OSError("No space left on device")

    monkeypatch.setattr(default_storage, "save", full)
    assert services.report_issue(report_id=report.pk) is False
    report.refresh_from_db()
    assert calls and report.status == Report.Status.FAILED and report.issue_error == "OSError"
    monkeypatch.undo()
    assert services.report_issue(report_id=report.pk) is True


def test_a_missing_file_answers_a_page_not_a_500(client_for, world, cases):
    report = _issued(world, cases)
    report.pdf.storage.delete(report.pdf.name)
    response = client_for(world.clerk).get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 503
    assert "introuvable" in response.content.decode()


def test_preview_from_the_form_shows_what_is_typed_without_saving(client_for, world, cases):
    report = _draft(world, cases)
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {
        "court": report.court_id,
        "version": report.version,
        "analysis": "Analyse pas encore enregistrée",
    }
    response = client_for(world.adviser).post(reverse("reporting:preview", args=[report.pk]), data)
    assert response.status_code == 200
    assert "Analyse pas encore enregistrée" in pdf_text(response.content)
    report.refresh_from_db()
    assert report.version == 1 and report.analysis == ""


def test_an_incident_reported_to_the_judge_calls_for_an_incident_report(world, cases):
    Incident.objects.create(
        measure=cases.measures["own"],
        occurred_on=TODAY - dt.timedelta(days=3),
        description="Nouvelle infraction",
        response=Incident.Response.REPORT,
        recorded_by=world.adviser,
    )
    due = [e for e in selectors.reports_due(world.adviser, TODAY) if e.kind == Kind.INCIDENT]
    assert [(e.case.pk, e.due_date, e.overdue) for e in due] == [
        (cases.own.pk, TODAY - dt.timedelta(days=3), True)
    ]
    _draft(world, cases, kind=Kind.INCIDENT)
    due = [e for e in selectors.reports_due(world.adviser, TODAY) if e.kind == Kind.INCIDENT]
    assert due == []


def test_a_draft_never_submitted_can_be_deleted_not_a_returned_one(client_for, world, cases):
    client = client_for(world.adviser)
    report = _draft(world, cases)
    response = client.post(
        reverse("reporting:discard", args=[report.pk]), {"version": report.version}
    )
    assert response.url == reverse("cases:detail", args=[cases.own.pk])
    assert not Report.objects.filter(pk=report.pk).exists()
    assert AccessLog.objects.filter(object_id=str(report.pk), reason="brouillon supprimé").exists()
    report = _complete(_draft(world, cases), world.adviser)
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    report = services.report_return(
        acting_user=world.director, report=report, version=report.version, comment="À revoir"
    )
    client.post(reverse("reporting:discard", args=[report.pk]), {"version": report.version})
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_case_without_a_measure_says_so_instead_of_an_empty_form(client_for, world, cases):
    from cases.models import IntensityLevel

    case = case_services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=world.adviser,
        opened_on=dt.date(2026, 11, 2),
        intensity=IntensityLevel.objects.get(code="standard"),
        intensity_reason="évaluation",
        person_data={
            "birth_name": "Roux",
            "first_names": "Léa",
            "sex": "F",
            "birth_date": dt.date(1995, 3, 4),
        },
    )
    client = client_for(world.adviser)
    page = client.get(reverse("reporting:new", args=[case.pk])).content.decode()
    assert "pas encore de mesure" in page and 'id="report-new"' not in page
    response = client.post(reverse("reporting:new", args=[case.pk]), {"kind": "situation"})
    assert response.status_code == 200 and not Report.objects.filter(case=case).exists()
