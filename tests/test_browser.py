"""Sign-in journeys in a real Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import shutil

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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
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
    page.on("requestfailed", lambda request: page.console_problems.append(request.url))
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
        acting_user=world.director, branch=world.branch, adviser=world.adviser,
        opened_on=dt.date(2026, 1, 5), intensity=IntensityLevel.objects.get(code="standard"),
        intensity_reason="évaluation",
        person_data={"birth_name": "Lefèvre", "first_names": "Éloïse", "sex": "F",
                     "birth_date": dt.date(1991, 4, 2)},
    )  # fmt: skip
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
