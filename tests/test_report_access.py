"""Report pages and downloads for every role and every access situation of a case: only
those who may write to the case open its reports (secretaries and colleagues 403,
strangers 404, an admin 403); validation is a director's; a clerk downloads the issued
reports addressed to their court and nothing else."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Kind, Proposal, Report
from spip import policy
from tests.test_case_access import ACCESS, F, N, W
from tests.test_permission_matrix import ROLES, role_failures

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

D = "director"  # write access, and the director's role
T = "drafter"  # write access, and writes the draft: its author or an adviser (not a director)

# url name, which report (or the case), needed access, method, data, status on success
PAGES = [
    ("reporting:new", "case", W, "GET", {}, 200),
    ("reporting:detail", "draft", W, "GET", {}, 200),
    ("reporting:detail", "draft", T, "POST", {}, 409),  # empty form: errors, nothing saved
    ("reporting:autosave", "draft", T, "POST", {}, 400),
    ("reporting:preview", "draft", W, "GET", {}, 200),
    ("reporting:preview", "draft", T, "POST", {}, 409),
    ("reporting:submit", "draft", T, "POST", {}, 409),
    ("reporting:retry", "draft", W, "POST", {}, 302),  # not failed: a message, nothing done
    ("reporting:discard", "draft", T, "POST", {}, 302),  # no version: nothing deleted
    ("reporting:validate", "submitted", D, "POST", {}, 302),  # no version: nothing done
    ("reporting:return", "submitted", D, "POST", {}, 200),  # no comment: the form again
    ("reporting:download", "issued", W, "GET", {}, 200),
]
LISTS = {
    "reporting:list": {
        "adviser": 200,
        "colleague": 200,
        "director": 200,
        "secretary": 403,
        "other_adviser": 200,
        "other_director": 200,
        "clerk": 404,
        "partner": 404,
        "admin": 403,
    },
    "reporting:validation": {
        "adviser": 403,
        "colleague": 403,
        "director": 200,
        "secretary": 403,
        "other_adviser": 403,
        "other_director": 200,
        "clerk": 404,
        "partner": 404,
        "admin": 403,
    },
    "reporting:inbox": {
        "adviser": 403,
        "colleague": 403,
        "director": 403,
        "secretary": 403,
        "other_adviser": 403,
        "other_director": 403,
        "clerk": 200,
        "partner": 403,
        "admin": 403,
    },
    "reporting:session": {role: 200 for role in ROLES if role != "anonymous"},
}
COVERED = {page[0] for page in PAGES} | set(LISTS)


@pytest.fixture
def reports(world, cases) -> dict[str, dict[str, Report]]:
    built: dict[str, dict[str, Report]] = {}
    for situation, case in cases.cases.items():
        common = {
            "case": case,
            "measure": cases.measures[situation],
            "kind": Kind.SITUATION,
            "court": case.branch.court,
            "author": case.adviser,
        }
        director = world.director if case.branch == world.branch else world.other_director
        issued = Report.objects.create(
            **common,
            status=Report.Status.VALIDATED,
            validator=director,
            validated_at=timezone.now(),
        )
        data = b"%PDF-1.7 rapport"
        name = default_storage.save("reports/test.pdf", ContentFile(data))
        Report.objects.filter(pk=issued.pk).update(
            status=Report.Status.ISSUED,
            pdf=name,
            sha256=hashlib.sha256(data).hexdigest(),
            issued_at=timezone.now(),
        )
        built[situation] = {
            "draft": Report.objects.create(**common),
            "submitted": Report.objects.create(**common, status=Report.Status.SUBMITTED),
            "issued": issued,
        }
    return built


def _expected(access: str, needed: str, role: str, url_name: str, situation: str) -> int:
    if url_name == "reporting:download" and role == "clerk":
        return 404 if situation == "other_branch" else 200  # the court's own reports only
    if access == N:
        return 404
    if access == F:
        return 403
    if access != W:
        return 403
    if needed == D and "director" not in role:
        return 403
    if needed == T and "director" in role:
        return 403
    return 200


@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page[0]}-{page[3]}")
@pytest.mark.parametrize("situation", list(ACCESS))
def test_report_page_matrix(client, world, cases, reports, page, situation):
    url_name, which, needed, method, data, success = page
    if which == "case":
        url = reverse(url_name, kwargs={"case_id": cases.cases[situation].pk})
    else:
        url = reverse(url_name, kwargs={"report_id": reports[situation][which].pk})

    def expected(role: str) -> int:
        if role == "anonymous":
            return 302
        status = _expected(ACCESS[situation][role], needed, role, url_name, situation)
        return success if status == 200 else status

    failures = role_failures(client, world, method, url, data, expected)
    assert not failures, f"{situation} {method} {url}: " + "; ".join(failures)


@pytest.mark.parametrize("url_name", list(LISTS))
def test_report_list_matrix(client, world, url_name):
    users = world.users_by_role()
    expected = LISTS[url_name] | {"anonymous": 302}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        assert client.get(reverse(url_name)).status_code == expected[role], role


def test_background_requests_of_anonymous_users_get_401(client, world, cases, reports):
    url = reverse("reporting:autosave", kwargs={"report_id": reports["own"]["draft"].pk})
    assert client.post(url, {}, headers={"HX-Request": "true"}).status_code == 401
    session = client.get(reverse("reporting:session"), headers={"HX-Request": "true"})
    assert session.status_code == 401


def test_lists_show_nothing_of_other_caseloads(client_for, world, cases, reports):
    mine = client_for(world.adviser).get(reverse("reporting:list")).content.decode()
    for situation, built in reports.items():
        shown = f"report-row-{built['draft'].pk}" in mine
        assert shown == (situation == "own"), situation
    queue = client_for(world.director).get(reverse("reporting:validation")).content.decode()
    for situation, built in reports.items():
        shown = f"report-row-{built['submitted'].pk}" in queue
        # The director's branch, except the case they are excluded from.
        assert shown == (situation in ("own", "colleague", "restricted")), situation
    inbox = client_for(world.clerk).get(reverse("reporting:inbox")).content.decode()
    for situation, built in reports.items():
        assert (f"inbox-row-{built['issued'].pk}" in inbox) == (situation != "other_branch")
        assert f"inbox-row-{built['draft'].pk}" not in inbox


def test_validating_a_report_evaluates_its_rule_once(client_for, world, cases):
    """The view requires "report.validate" and the service checks it again: one answer."""
    report = services.report_create(
        acting_user=world.adviser,
        case=cases.own,
        measure=cases.measures["own"],
        kind=Kind.SITUATION,
    )
    changes = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    changes |= {"judge": "Mme Fontaine", "analysis": "Suivi investi.", "proposal": Proposal.NOTHING}
    report = services.report_save(
        acting_user=world.adviser, report=report, version=report.version, changes=changes
    )
    report = services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    client = client_for(world.director)
    url = reverse("reporting:validate", kwargs={"report_id": report.pk})
    with policy.track() as evaluated:
        response = client.post(url, {"version": report.version})
    assert response.status_code == 302
    assert evaluated["report.validate"] == 1
    report.refresh_from_db()
    assert report.status == Report.Status.VALIDATED and report.validator == world.director
