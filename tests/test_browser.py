"""Sign-in journeys in a real Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal

import pytest

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (apt-get install chromium); CI installs it",
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # fixtures are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.console_problems = []
    page.on(
        "console",
        lambda msg: page.console_problems.append(msg.text) if msg.type == "error" else None,
    )
    # A request the browser abandons because the page navigated away (an icon still loading
    # when a button is clicked, a download) is not a problem; any other failure is.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED"
            else page.console_problems.append(request.url)
        ),
    )
    yield page
    context.close()


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_login_and_logout_in_french(page, world):
    _sign_in(page, world.director.username, PASSWORD)
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == f"Bienvenue, {world.director.get_full_name()}"
    assert page.locator("#home-role").inner_text().startswith("directeur pénitentiaire")
    assert page.locator("#home-place").inner_text() == world.branch.name
    assert page.locator("html").get_attribute("lang") == "fr"
    # The state design system's stylesheet applied: the header has its layout.
    assert page.locator("header.fr-header").evaluate("e => getComputedStyle(e).display") != "inline"
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login/")
    assert page.get_by_role("heading", name="Se connecter").is_visible()
    page.goto("/")
    assert "/login/" in page.url
    assert page.console_problems == []  # no CSP violation, no missing asset


def test_login_page_in_english_when_chosen(page, world):
    page.goto("/login/")
    assert page.get_by_role("heading", name="Se connecter").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.get_by_label("Username").fill(world.adviser.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == f"Welcome, {world.adviser.get_full_name()}"


def test_wrong_password_then_lockout(page, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _sign_in(page, world.adviser.username, "mauvais mot de passe")
    assert page.get_by_text("Identifiant ou mot de passe incorrect").is_visible()
    assert page.get_by_label("Nom d’utilisateur").input_value() == world.adviser.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(page, world.adviser.username, "mauvais mot de passe")
    _sign_in(page, world.adviser.username, PASSWORD)
    assert page.get_by_role("heading", name="Compte temporairement bloqué").is_visible()


def test_adviser_finds_a_person_and_records_a_proof_in_place(page, world, cases):
    import datetime as dt

    from cases import services
    from cases.models import IntensityLevel

    services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=world.adviser,
        opened_on=dt.date(2026, 1, 5),
        intensity=IntensityLevel.objects.get(code="standard"),
        intensity_reason="évaluation",
        person_data={
            "birth_name": "Lefèvre",
            "first_names": "Éloïse",
            "sex": "F",
            "birth_date": dt.date(1991, 4, 2),
        },
    )
    _sign_in(page, world.adviser.username, PASSWORD)
    page.get_by_role("link", name="Dossiers").first.click()
    page.wait_for_url("**/cases/")
    assert page.locator("#case-table").get_by_text("MARTIN Alex").is_visible()
    page.get_by_label("Nom ou numéro de dossier").fill("lefevre")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    assert "lefevre" not in page.url
    assert page.locator("#case-table").get_by_text("LEFÈVRE Éloïse").is_visible()

    page.goto(f"/cases/{cases.own.pk}/")
    assert page.locator("h1").inner_text().startswith("MARTIN Alex")
    assert page.locator(".measure-end").first.inner_text() == "11/12/2027"
    row = page.locator("tr.obligation", has_text="traitement ou de soins")
    row.get_by_role("link", name="Enregistrer un justificatif").click()
    form = page.locator("form.spip-inline-proof")
    form.get_by_label("Reçu le").fill(dt.date.today().isoformat())
    form.get_by_text("conforme", exact=True).click()
    url_before = page.url
    form.get_by_role("button", name="Enregistrer").click()
    updated = page.locator("tr.obligation--up_to_date", has_text="traitement ou de soins")
    updated.wait_for()
    assert page.url == url_before
    assert "à jour" in updated.inner_text().lower()
    assert page.console_problems == []  # htmx and DSFR ran under the CSP

    response = page.goto(f"/cases/{cases.cases['other_branch'].pk}/")
    assert response.status == 404


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _french(value) -> str:
    """A number as the French pages show it (decimal comma)."""
    return str(value).replace(".", ",")


def test_adviser_records_tig_hours_an_assessment_an_incident_and_a_proof_file(
    page, world, cases, settings, tmp_path
):
    import datetime as dt

    from playwright.sync_api import expect

    from cases import legal, services
    from cases.selectors import tig_pace
    from spip.models import AccessLog, Partner
    from tests.factories import PartnerFactory

    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    today = dt.date.today()
    case = cases.own
    tig = services.measure_add(
        acting_user=world.adviser,
        case=case,
        court_id=world.branch.court_id,
        terms=legal.MeasureTerms(
            kind=legal.MeasureKind.TIG,
            decision_date=today - dt.timedelta(days=40),
            final_date=today - dt.timedelta(days=30),
            start_date=today - dt.timedelta(days=20),
            tig_hours=20,
            tig_deadline_months=12,
            tig_consent=True,
        ),
    )
    host = PartnerFactory(
        department=world.branch.department,
        kind=Partner.Kind.TIG_HOST,
        name="Restos du Cœur Montluçon",
    )
    services.work_placement_add(
        acting_user=world.adviser,
        measure=tig,
        host=host,
        post="Aide à la distribution",
        tutor="Mme Lafaye",
        started_on=today - dt.timedelta(days=14),
    )
    _sign_in(page, world.adviser.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.pk}/")
    work = page.locator(f"#work-{tig.pk}")
    assert "0 sur 20 heures effectuées, 20 restantes" in work.inner_text()

    # Community work: hours beyond what is left are refused, in French, and nothing is lost.
    work.get_by_role("link", name="Enregistrer des heures").click()
    page.get_by_label("Date", exact=True).fill((today - dt.timedelta(days=7)).isoformat())
    page.get_by_label("Heures effectuées").fill("7")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    work.get_by_role("link", name="Enregistrer des heures").click()
    page.get_by_label("Date", exact=True).fill((today - dt.timedelta(days=6)).isoformat())
    page.get_by_label("Heures effectuées").fill("14")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Il ne reste que 13 des 20 heures prononcées à effectuer.")
    ).to_be_visible()
    page.get_by_label("Heures effectuées").fill("6")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "13 sur 20 heures effectuées, 7 restantes" in work.inner_text()
    assert work.locator("progress").get_attribute("value") == "65"
    tig.refresh_from_db()
    pace = tig_pace(Decimal(7), today, tig.end_date)
    assert work.locator(".spip-pace").inner_text() == (
        f"Rythme nécessaire pour finir à temps : {_french(pace)} h par semaine."
    )
    assert f"délai d’exécution {tig.end_date:%d/%m/%Y}" in work.inner_text()

    # An assessment of the life spheres: the new one shows, the earlier one stays listed.
    page.get_by_role("link", name="Nouvelle évaluation").click()
    page.get_by_label("Évaluation du").fill(today.isoformat())
    page.get_by_label("Logement").fill("Locataire d'un T2, loyer à jour.")
    page.get_by_label("Suivi de santé").fill("Se rend aux rendez-vous, attestations remises.")
    page.get_by_label("Plan de suivi").fill("Suivre l'exécution du TIG avec le tuteur.")
    page.get_by_label("Date de révision").fill((today + dt.timedelta(days=182)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assessments = page.locator("#assessments")
    assert (
        f"Dernière évaluation, le {today:%d/%m/%Y} par {world.adviser}." in assessments.inner_text()
    )
    assert "Locataire d'un T2, loyer à jour." in assessments.inner_text()
    earlier = cases.assessments["own"].assessed_on
    expect(assessments.get_by_role("link", name=f"{earlier:%d/%m/%Y}")).to_be_visible()

    # An incident on the community work, answered on the ladder, counted on the measure.
    card = page.locator(".fr-card", has=work)
    assert "0 manquement sur les 12 derniers mois" in card.inner_text()
    card.get_by_role("link", name="Enregistrer un manquement").click()
    page.get_by_label("Date du manquement").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Faits constatés").fill("Absent à sa demi-journée sans prévenir le tuteur.")
    page.get_by_text("rappel des obligations", exact=True).click()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "1 manquement sur les 12 derniers mois" in card.inner_text()
    assert tig.incidents.get().response == "reminder"

    # A proof with its file, recorded in place, then downloaded through the logged view.
    row = page.locator("tr.obligation", has_text="traitement ou de soins")
    row.get_by_role("link", name="Enregistrer un justificatif").click()
    form = page.locator("form.spip-inline-proof")
    form.get_by_label("Reçu le").fill(today.isoformat())
    form.get_by_text("conforme", exact=True).click()
    form.get_by_label("Document").set_input_files(
        {"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_role("button", name="Enregistrer").click()
    updated = page.locator("tr.obligation--up_to_date", has_text="traitement ou de soins")
    updated.wait_for()
    assert page.console_problems == []
    proof = cases.obligations["own"].proofs.get()
    with page.expect_download() as info:
        updated.get_by_role("link", name="document").click()
    download = info.value
    assert download.suggested_filename == f"justificatif-{proof.pk}.pdf"
    assert download.path().read_bytes() == PDF
    assert AccessLog.objects.filter(
        user=world.adviser, action=AccessLog.Action.DOWNLOAD, object_id=str(proof.pk)
    ).exists()
    assert page.console_problems == []


def test_director_sees_loads_assigns_from_the_queue_and_sets_a_substitute(page, world, cases):
    import datetime as dt

    from playwright.sync_api import expect

    from cases import legal, services
    from cases.allocation import TARGET_LOAD, adviser_loads
    from cases.models import IntensityLevel

    today = dt.date.today()
    waiting = services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=None,
        opened_on=today - dt.timedelta(days=3),
        intensity=IntensityLevel.objects.get(code="standard"),
        intensity_reason="à évaluer",
        person_data={
            "birth_name": "Dupuis",
            "first_names": "Noé",
            "sex": "M",
            "birth_date": dt.date(1985, 3, 2),
        },
    )
    services.measure_add(
        acting_user=world.director,
        case=waiting,
        court_id=world.branch.court_id,
        terms=legal.MeasureTerms(
            kind=legal.MeasureKind.PROBATION,
            decision_date=today - dt.timedelta(days=30),
            final_date=today - dt.timedelta(days=20),
            start_date=today - dt.timedelta(days=20),
            prison_term_months=6,
            probation_months=18,
        ),
    )

    def shown_loads() -> dict[int, str]:
        return {
            item.adviser.pk: f"{_french(round(item.load, 1))} / {TARGET_LOAD}"
            for item in adviser_loads([world.branch], as_of=today)
        }

    def load_on_page(adviser_id: int) -> str:
        row = page.locator("#adviser-loads tr", has=page.locator(f"#adviser-{adviser_id}"))
        return row.locator(".spip-load").inner_text()

    _sign_in(page, world.director.username, PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Affectations", exact=True).click()
    page.wait_for_url("**/director/caseloads/")
    loads = shown_loads()
    assert set(loads) == {world.adviser.pk, world.colleague.pk}
    for adviser_id, load in loads.items():
        assert load_on_page(adviser_id) == load
    expect(page.get_by_role("heading", name="Dossier non affecté (1)")).to_be_visible()

    row = page.locator("#unassigned-queue tr", has_text=waiting.number)
    assert "DUPUIS Noé" in row.inner_text()
    row.get_by_label("CPIP référent").select_option(str(world.colleague.pk))
    row.get_by_label("Motif").fill("Charge la plus légère de l'antenne")
    row.get_by_role("button", name="Affecter").click()
    page.wait_for_url("**/director/caseloads/")
    expect(
        page.get_by_text(f"Dossier {waiting.number} affecté à {world.colleague}.")
    ).to_be_visible()
    expect(page.get_by_text("Tous les dossiers ont un CPIP référent.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.adviser == world.colleague
    assert load_on_page(world.colleague.pk) == shown_loads()[world.colleague.pk]
    assert shown_loads()[world.colleague.pk] != loads[world.colleague.pk]

    until = today + dt.timedelta(days=7)
    form = page.locator("#substitute-form")
    form.get_by_label("CPIP absent").select_option(str(world.adviser.pk))
    form.get_by_label("CPIP suppléant").select_option(str(world.colleague.pk))
    form.get_by_label("Dernier jour de l’absence").fill(until.isoformat())
    form.get_by_label("Motif").fill("Congés annuels")
    form.get_by_role("button", name="Enregistrer la suppléance").click()
    page.wait_for_url("**/director/caseloads/")
    expect(
        page.get_by_text(
            f"{world.colleague} supplée {world.adviser} jusqu’au {until:%d/%m/%Y} sur 1 dossier."
        )
    ).to_be_visible()
    substitution = page.locator("#substitutions tbody tr").first
    assert substitution.inner_text().split("\t") == [
        str(world.adviser),
        str(world.colleague),
        f"{until:%d/%m/%Y}",
        "1",
    ]
    assert page.console_problems == []
