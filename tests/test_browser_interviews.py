"""Interview journeys in a real Chromium: the adviser's agenda, an outcome logged in one
form (with a proof and, for a missed one, the incident), a convocation printed, the calendar
subscribed; the director's view of the branch's agendas."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.utils import timezone

from cases.models import Incident, Proof
from interviews.models import Interview
from interviews.services import paris_datetime
from tests import test_browser
from tests.factories import PASSWORD
from tests.test_browser import _sign_in

# The Chromium fixtures and marks of the sign-in journeys.
browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark


def _past_interview(case, adviser, hours_ago: float) -> Interview:
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    return Interview.objects.create(
        case=case,
        person=case.person,
        adviser=adviser,
        start=start,
        end=start + dt.timedelta(minutes=45),
        created_by=adviser,
        place="Bureau 3",
    )


def test_adviser_logs_outcomes_prints_a_convocation_and_subscribes(page, world, cases):
    own = cases.own
    held = _past_interview(own, world.adviser, hours_ago=3)
    missed = _past_interview(own, world.adviser, hours_ago=26)
    _sign_in(page, world.adviser.username, PASSWORD)

    page.get_by_role("link", name="Agenda").first.click()
    page.wait_for_url("**/interviews/agenda/**")
    assert "Semaine du" in page.locator("#agenda-period").inner_text()

    page.get_by_role("link", name="Issues à consigner").first.click()
    page.wait_for_url("**/interviews/outcomes/")
    item = page.locator(f"#outcome-{held.pk}")
    item.get_by_role("button", name="Consigner l’issue").click()
    form = item.locator("form.outcome-form")
    form.wait_for()
    form.get_by_text("honorée", exact=True).click()
    form.locator(f'select[name="proof_{cases.obligations["own"].pk}"]').select_option("yes")
    form.get_by_label("Notes privées").fill("Soins suivis, attestation du CMP.")
    form.get_by_role("button", name="Enregistrer l’issue").click()
    item.locator("#outcome-saved").wait_for()
    assert "1 justificatif enregistré" in item.inner_text()
    assert Proof.objects.filter(obligation=cases.obligations["own"], compliant=True).exists()

    item = page.locator(f"#outcome-{missed.pk}")
    item.get_by_role("button", name="Consigner l’issue").click()
    form = item.locator("form.outcome-form")
    form.wait_for()
    form.get_by_text("non honorée", exact=True).click()
    form.get_by_role("button", name="Enregistrer l’issue").click()
    proposal = item.locator("#incident-proposal")
    proposal.wait_for()
    proposal.get_by_role("button", name="Enregistrer le manquement").click()
    item.locator("#incident-saved").wait_for()
    assert Incident.objects.filter(measure__case=own).count() == 1

    # Plan the next interview from the case file and print its convocation.
    page.goto(f"/cases/{own.pk}/")
    page.locator("#plan-interview").click()
    day = timezone.localdate() + dt.timedelta(days=2)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Heure").fill("10:30")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/interviews/*/")
    assert "10:30" in page.locator("#interview-title").inner_text()
    link = page.locator("#convocation-link").get_attribute("href")
    response = page.request.get(link)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # Subscribe to the calendar feed.
    page.goto("/interviews/agenda/")
    page.get_by_role("link", name="M’abonner à mon agenda").click()
    page.get_by_role("button", name="Créer mon adresse d’abonnement").click()
    feed_url = page.locator("#feed-url").inner_text()
    calendar = icalendar.Calendar.from_ical(page.request.get(feed_url).body())
    starts = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    assert paris_datetime(day, dt.time(10, 30)) in starts
    assert page.console_problems == []  # htmx and DSFR ran under the CSP


def test_director_sees_the_branch_agendas(page, world, cases):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for case, adviser, hour in (
        (cases.own, world.adviser, 9),
        (cases.cases["colleague"], world.colleague, 11),
    ):
        start = paris_datetime(tomorrow, dt.time(hour, 0))
        Interview.objects.create(
            case=case,
            person=case.person,
            adviser=adviser,
            start=start,
            end=start + dt.timedelta(minutes=45),
            created_by=adviser,
        )
    _sign_in(page, world.director.username, PASSWORD)
    page.goto(f"/interviews/agenda/?view=day&day={tomorrow.isoformat()}")
    page.wait_for_load_state("networkidle")  # icons loaded before the next navigation
    assert page.locator(f"#agenda-adviser-{world.adviser.pk}").get_by_text("MARTIN Alex").count()
    assert page.locator(f"#agenda-adviser-{world.colleague.pk}").get_by_text("BERNARD Alex").count()
    page.get_by_label("Agenda de").select_option(str(world.colleague.pk))
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**adviser=*")
    assert page.locator(f"#agenda-adviser-{world.adviser.pk}").count() == 0
    assert page.console_problems == []
