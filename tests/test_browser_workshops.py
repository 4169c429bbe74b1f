"""The workshop journey of issue 6 in a real Chromium: the director creates a course with
the CSAPA, the adviser enrols people until the waiting list starts, the partner records
attendance and sees nothing else, and the completed course shows its attestation and the
proof on the person's obligation."""

from __future__ import annotations

import datetime as dt

from tests.factories import PASSWORD
from tests.test_browser import _sign_in, browser, page, pytestmark  # noqa: F401


def test_director_adviser_and_partner_run_a_course(
    page,  # noqa: F811 - the fixture imported above
    world,
    cases,
    settings,
    tmp_path,
    monkeypatch,
):
    from playwright.sync_api import expect

    from cases import services as case_services
    from cases.models import IntensityLevel, ObligationType
    from spip import queueing
    from workshops.models import Enrollment, Workshop

    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    monkeypatch.setattr(queueing, "send_task", lambda name, *ids: False)
    today = dt.date.today()
    csapa = world.partner.partner
    csapa.name = "CSAPA Addictions Montluçon"
    csapa.department = world.branch.department
    csapa.save(update_fields=["name", "department"])
    obligation = case_services.obligation_add(
        acting_user=world.adviser,
        measure=cases.measures["own"],
        type=ObligationType.objects.get(code="citizenship-course"),
        imposed_on=dt.date(2025, 12, 11),
    )
    for name in ("Garcia", "Lopez"):
        case_services.case_open(
            acting_user=world.director,
            branch=world.branch,
            adviser=world.adviser,
            opened_on=dt.date(2026, 1, 5),
            intensity=IntensityLevel.objects.get(code="standard"),
            intensity_reason="évaluation",
            person_data={
                "birth_name": name,
                "first_names": "Sam",
                "sex": "M",
                "birth_date": dt.date(1988, 2, 3),
            },
        )

    # The director creates the course with the CSAPA and its contributor, and a session.
    _sign_in(page, world.director.username, PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Ateliers", exact=True).click()
    page.wait_for_url("**/workshops/")
    page.get_by_role("link", name="Nouvel atelier").click()
    page.get_by_label("Intitulé").fill("Stage de citoyenneté")
    page.get_by_label("Type", exact=True).select_option("course")
    page.get_by_label("Stage (CP 131-5-1)").select_option("citizenship")
    page.get_by_label("Thème", exact=True).fill("Droits et devoirs")
    page.get_by_label("Places").fill("2")
    page.get_by_label("Séances à suivre pour valider").fill("1")
    # DSFR checkboxes are ticked through their labels.
    for label in (str(world.colleague), "CSAPA Addictions Montluçon", str(world.partner)):
        page.locator("label.fr-label", has_text=label).click()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/workshops/*/")
    workshop = Workshop.objects.get(title="Stage de citoyenneté")
    assert list(workshop.partners.all()) == [csapa]
    page.get_by_role("link", name="Ajouter une séance").click()
    page.get_by_label("Début").fill(f"{today.isoformat()}T09:00")
    page.get_by_label("Fin").fill(f"{today.isoformat()}T12:00")
    page.get_by_label("Lieu").fill("Salle collective")
    page.get_by_label("Thème de la séance").fill("Les valeurs de la République")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/")
    expect(page.locator("#sessions")).to_contain_text("Les valeurs de la République")
    assert page.console_problems == []
    page.get_by_role("button", name="Se déconnecter").click()

    # The adviser enrols from the case file (the course fulfils the obligation), then from
    # the workshop page until the waiting list starts.
    _sign_in(page, world.adviser.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{cases.own.pk}/")
    page.locator("#workshops").get_by_role("link", name="Inscrire à un atelier").click()
    page.get_by_label("Atelier", exact=True).select_option(str(workshop.pk))
    page.get_by_label("Obligation exécutée").select_option(str(obligation.pk))
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cases/{cases.own.pk}/")
    expect(page.get_by_text("La personne est inscrite.")).to_be_visible()
    for name, message in (
        ("GARCIA Sam", "La personne est inscrite."),
        ("LOPEZ Sam", "L’atelier est complet : la personne est inscrite sur la liste d’attente."),
    ):
        page.goto(f"/workshops/{workshop.pk}/")
        page.get_by_role("link", name="Inscrire une personne").click()
        option = page.locator("#id_case option", has_text=name).get_attribute("value")
        page.get_by_label("Personne", exact=True).select_option(option)
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url(f"**/workshops/{workshop.pk}/")
        expect(page.get_by_text(message)).to_be_visible()
    expect(page.locator("#workshop-fill")).to_contain_text("2 places prises sur 2")
    expect(page.locator("#waiting")).to_contain_text("LOPEZ Sam")
    assert page.console_problems == []
    page.get_by_role("button", name="Se déconnecter").click()

    # The partner records attendance in the grid (htmx) and sees nothing of the cases.
    _sign_in(page, world.partner.username, PASSWORD)
    page.wait_for_url("**/")
    home = page.locator("#partner-home")
    expect(home).to_contain_text("Stage de citoyenneté")
    home.get_by_role("link", name="Stage de citoyenneté : Les valeurs de la République").click()
    page.wait_for_url("**/workshops/sessions/*/")
    row = page.locator("tr.spip-attendance-row", has_text="MARTIN")
    url_before = page.url
    row.get_by_role("button", name="Présent").click()
    expect(
        page.locator("tr.spip-attendance-row[data-status=present]", has_text="MARTIN")
    ).to_be_visible()
    assert page.url == url_before
    garcia = page.locator("tr.spip-attendance-row", has_text="GARCIA")
    garcia.get_by_role("button", name="Absent").click()
    expect(
        page.locator("tr.spip-attendance-row[data-status=absent]", has_text="GARCIA")
    ).to_be_visible()
    content = page.content()
    for secret in (cases.own.number, "LOPEZ", "Sursis", "1990"):
        assert secret not in content, secret
    assert page.console_problems == []
    # Whatever a partner guesses beyond their workshops answers 404 (the browser logs each).
    assert page.goto(f"/cases/{cases.own.pk}/").status == 404
    assert page.goto("/cases/").status == 404
    enrollment_id = Enrollment.objects.first().pk
    assert page.goto(f"/workshops/enrolments/{enrollment_id}/attestation/").status == 404
    page.console_problems.clear()
    page.goto("/")
    page.get_by_role("button", name="Se déconnecter").click()

    # The course is complete: the adviser sees the attestation and the proof.
    enrollment = Enrollment.objects.get(workshop=workshop, case=cases.own)
    assert enrollment.status == Enrollment.Status.COMPLETED
    _sign_in(page, world.adviser.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{cases.own.pk}/")
    section = page.locator(f"#case-enrollment-{enrollment.pk}")
    expect(section).to_contain_text("validé")
    expect(section).to_contain_text("justificatif enregistré")
    obligation_row = page.locator("tr.obligation", has_text="citoyenneté")
    expect(obligation_row).to_contain_text("conforme")
    with page.expect_download() as info:
        section.get_by_role("link", name="Attestation (PDF)").click()
    assert info.value.suggested_filename == f"attestation-{enrollment.pk}.pdf"
    assert info.value.path().read_bytes().startswith(b"%PDF-")
    assert page.console_problems == []
