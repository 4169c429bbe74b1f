"""The deadlines journey in a real Chromium: the adviser finds an overdue deadline on the
home page, puts it off with a reason, then records the proof it waited for, and the
deadline is gone; the director sees what waits per adviser."""

from __future__ import annotations

from django.utils import timezone

from deadlines import engine
from deadlines.models import Alert
from tests import test_browser
from tests.factories import PASSWORD
from tests.test_browser import _sign_in

browser, page, pytestmark = test_browser.browser, test_browser.page, test_browser.pytestmark


def test_adviser_puts_off_a_deadline_then_resolves_it(page, world, cases):
    engine.sweep(as_of=timezone.localdate())
    proof = Alert.objects.get(rule="proof_overdue", case=cases.own, status="open")
    gap = Alert.objects.filter(case=cases.own, status="open").exclude(pk=proof.pk)
    gap = gap.exclude(rule__in=["early_end", "measure_end"]).first()
    _sign_in(page, world.adviser.username, PASSWORD)

    row = page.locator(f"#home-deadlines #alert-{gap.pk}")
    assert "en retard" in row.inner_text().lower()
    page.get_by_role("link", name="Toutes mes échéances").click()
    page.wait_for_url("**/deadlines/")
    page.locator(f"#alert-{gap.pk}").get_by_role("link", name="Reporter").click()
    page.wait_for_url("**/snooze/**")
    page.get_by_role("button", name="Reporter").click()  # no reason: told so, nothing saved
    assert "Ce champ est obligatoire." in page.locator("#snooze-form").inner_text()
    page.locator("#id_reason").fill("Hospitalisation jusqu’à la fin du mois")
    page.get_by_role("button", name="Reporter").click()
    page.wait_for_url("**/deadlines/")
    assert "L’échéance est reportée." in page.content()
    snoozed = page.locator(f"#deadlines-snoozed #alert-{gap.pk}").inner_text()
    assert "Hospitalisation jusqu’à la fin du mois" in snoozed

    page.locator(f"#alert-{proof.pk}").get_by_role("link", name="Justificatif attendu").click()
    page.wait_for_url(f"**/obligations/{proof.object_id}/proofs/new/")
    page.locator("#id_received_on").fill(timezone.localdate().isoformat())
    page.locator("label[for=id_compliant_0]").click()  # DSFR draws the radio on its label
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cases/{cases.own.pk}/**")
    page.goto("/")
    assert page.locator(f"#alert-{proof.pk}").count() == 0
    proof.refresh_from_db()
    assert proof.status == "closed"


def test_director_sees_the_deadlines_per_adviser(page, world, cases):
    engine.sweep(as_of=timezone.localdate())
    _sign_in(page, world.director.username, PASSWORD)
    page.locator("#home-deadlines").get_by_role("link", name=str(world.adviser)).click()
    page.wait_for_url(f"**/deadlines/advisers/{world.adviser.pk}/")
    alert = Alert.objects.filter(case=cases.own, status="open", rule="first_convocation").get()
    assert page.locator(f"#alert-{alert.pk}").count() == 1
