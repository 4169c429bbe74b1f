"""Case pages for every role and every access situation, with the answers of DESIGN.md."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spip.models import AccessLog
from tests.test_permission_matrix import ROLES, role_failures

pytestmark = pytest.mark.django_db

W, R, I, N, F = "write", "read with reason", "identity", "none", "forbidden"  # noqa: E741
OUTSIDERS = {"clerk": N, "partner": N, "admin": F}

# DESIGN.md "Access policy", one row per situation of `tests.conftest.CaseWorld`.
ACCESS = {
    "own": {
        "adviser": W,
        "colleague": R,
        "director": W,
        "secretary": I,
        "other_adviser": N,
        "other_director": N,
    }
    | OUTSIDERS,
    "colleague": {
        "adviser": R,
        "colleague": W,
        "director": W,
        "secretary": I,
        "other_adviser": N,
        "other_director": N,
    }
    | OUTSIDERS,
    "other_branch": {
        "adviser": N,
        "colleague": N,
        "director": N,
        "secretary": N,
        "other_adviser": W,
        "other_director": W,
    }
    | OUTSIDERS,
    "restricted": {
        "adviser": N,
        "colleague": W,
        "director": W,
        "secretary": N,
        "other_adviser": N,
        "other_director": N,
    }
    | OUTSIDERS,
    "excluded": {
        "adviser": N,
        "colleague": W,
        "director": N,
        "secretary": I,
        "other_adviser": N,
        "other_director": N,
    }
    | OUTSIDERS,
}
ORDER = [N, F, I, R, W]


def status_for(access: str, needed: str, *, director_only: bool = False, role: str = "") -> int:
    if access == N:
        return 404
    if access == F:
        return 403
    if ORDER.index(access) < ORDER.index(needed):
        return 403
    if director_only and "director" not in role:
        return 403
    return 200


# url name, how to build its kwargs from a situation, needed access, method, data, success
PAGES = [
    ("cases:detail", "case", I, "GET", {}, 200),
    ("cases:reason", "case", I, "POST", {"reason": "remplacement de la collègue"}, 302),
    ("cases:measure_add", "case", W, "GET", {}, 200),
    ("cases:assign", "case", W, "GET", {}, 200),
    ("cases:restrict", "case", W, "GET", {}, 200),
    ("cases:transfer", "case", W, "GET", {}, 200),
    ("cases:measure_event", "measure", W, "GET", {}, 200),
    ("cases:obligation_add", "measure", W, "GET", {}, 200),
    ("cases:obligation_lift", "obligation", W, "GET", {}, 200),
    ("cases:proof_add", "obligation", W, "GET", {}, 200),
    ("cases:placement_add", "measure", W, "GET", {}, 200),
    ("cases:work_hours_add", "placement", W, "GET", {}, 200),
    ("cases:incident_add", "measure", W, "GET", {}, 200),
    ("cases:assessment_add", "case", W, "GET", {}, 200),
    ("cases:update", "case", W, "GET", {}, 200),
    ("cases:measure_update", "measure", W, "GET", {}, 200),
    ("cases:obligation_update", "obligation", W, "GET", {}, 200),
    ("cases:assessment_update", "assessment", W, "GET", {}, 200),
    # Evaluations are not for secretaries; a colleague states a reason on the case file first.
    ("cases:assessment_detail", "assessment", R, "GET", {}, 200),
]
DIRECTOR_ONLY = {"cases:assign", "cases:restrict", "cases:transfer"}
CASE_LISTS = ["cases:list", "cases:open"]
# Downloads need a stored file: their matrix is in test_case_work (every role on own case,
# same-branch colleague, other branch).
DOWNLOADS = {"cases:proof_file"}
COVERED = {page[0] for page in PAGES} | set(CASE_LISTS) | DOWNLOADS


def _kwargs(cases, situation: str, target: str) -> dict[str, int]:
    if target == "case":
        return {"case_id": cases.cases[situation].pk}
    if target == "measure":
        return {"measure_id": cases.measures[situation].pk}
    if target == "placement":
        return {"placement_id": cases.placements[situation].pk}
    if target == "assessment":
        return {"assessment_id": cases.assessments[situation].pk}
    return {"obligation_id": cases.obligations[situation].pk}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
@pytest.mark.parametrize("situation", list(ACCESS))
def test_case_page_matrix(client, world, cases, page, situation):
    url_name, target, needed, method, data, success = page
    url = reverse(url_name, kwargs=_kwargs(cases, situation, target))

    def expected(role: str) -> int:
        if role == "anonymous":
            return 302
        status = status_for(
            ACCESS[situation][role], needed, role=role, director_only=url_name in DIRECTOR_ONLY
        )
        if url_name == "cases:assessment_detail" and ACCESS[situation][role] == R:
            return 302  # to the case file, which asks for the reason
        return success if status == 200 else status

    failures = role_failures(client, world, method, url, data, expected)
    assert not failures, f"{situation} {method} {url}: " + "; ".join(failures)


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        (
            "cases:list",
            {
                "adviser": 200,
                "colleague": 200,
                "director": 200,
                "secretary": 200,
                "other_adviser": 200,
                "other_director": 200,
                "clerk": 404,
                "partner": 404,
                "admin": 403,
                "anonymous": 302,
            },
        ),
        (
            "cases:open",
            {
                "adviser": 200,
                "colleague": 200,
                "director": 200,
                "secretary": 403,
                "other_adviser": 200,
                "other_director": 200,
                "clerk": 404,
                "partner": 404,
                "admin": 403,
                "anonymous": 302,
            },
        ),
    ],
)
def test_case_list_and_intake_matrix(client, world, url_name, expected):
    users = world.users_by_role()
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        assert client.get(reverse(url_name)).status_code == expected[role], role


def test_colleague_gives_a_reason_that_is_logged(client, world, cases):
    case = cases.cases["own"]
    client.force_login(world.colleague)
    url = reverse("cases:detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Pourquoi ouvrez-vous ce dossier" in page
    assert "Martin".upper() not in page  # nothing of the case before the reason
    assert not AccessLog.objects.filter(user=world.colleague, object_id=str(case.pk)).exists()
    response = client.post(reverse("cases:reason", args=[case.pk]), {"reason": "a"})
    assert "au moins 5 caractères" in response.content.decode()
    client.post(reverse("cases:reason", args=[case.pk]), {"reason": "Remplacement de congés"})
    page = client.get(url).content.decode()
    assert "MARTIN" in page and "Lecture seule" in page
    entry = AccessLog.objects.get(
        user=world.colleague, object_type="cases.case", object_id=str(case.pk)
    )
    assert entry.action == AccessLog.Action.VIEW
    assert entry.reason == "Remplacement de congés"


def test_every_case_view_is_logged(client, world, cases):
    case = cases.cases["own"]
    client.force_login(world.adviser)
    client.get(reverse("cases:detail", args=[case.pk]))
    client.get(reverse("cases:detail", args=[case.pk]))
    views = AccessLog.objects.filter(
        user=world.adviser,
        action=AccessLog.Action.VIEW,
        object_type="cases.case",
        object_id=str(case.pk),
    )
    assert views.count() == 2


def test_secretary_sees_identity_only(client, world, cases):
    client.force_login(world.secretary)
    page = client.get(reverse("cases:detail", args=[cases.own.pk])).content.decode()
    assert "MARTIN" in page
    assert 'id="obligations"' not in page and 'id="measures"' not in page


@pytest.mark.parametrize("who", ["adviser", "colleague", "director", "secretary"])
def test_restricted_and_excluded_cases_are_absent_from_lists_and_search(client, world, cases, who):
    user = getattr(world, who)
    client.force_login(user)
    listing = client.get(reverse("cases:list"), {"status": "all"}).content.decode()
    for name in ("Petit", "Robert"):
        found = client.post(reverse("cases:list"), {"q": name}).content.decode()
        situation = "restricted" if name == "Petit" else "excluded"
        visible = ACCESS[situation][who] != N
        assert (cases.cases[situation].number in found) == visible, (who, name)
        if not visible:
            assert cases.cases[situation].number not in listing, (who, name)


def test_case_page_title_names_the_case_only(client, world, cases):
    client.force_login(world.adviser)
    page = client.get(reverse("cases:detail", args=[cases.own.pk])).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert title == f"<title>Dossier {cases.own.number} — SPIP"
