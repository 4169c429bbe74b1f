"""Workshop pages, downloads and endpoints for every role, on a workshop of the world's
branch ("own") and one of the other branch ("other"), with the answers of
`workshops.policy`. Partners reach only the workshops they contribute to, and there only
names and attendance; everything else answers 404, whatever id they guess."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spip.models import AccessLog
from tests.test_permission_matrix import ROLES
from tests.test_workshops_fixtures import workshops_fixture  # noqa: F401
from workshops import services

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

OUT = {"clerk": 404, "admin": 403, "secretary": 403, "anonymous": 302}


def _roles(**answers: int) -> dict[str, int]:
    expected = OUT | answers
    return {role: expected.get(role, 404) for role in ROLES}


# url name, target, method, data, {situation: expected by role}
PAGES = [
    (
        "workshops:detail",
        "workshop",
        "GET",
        {},
        {
            "own": _roles(adviser=200, colleague=200, director=200, partner=200),
            "other": _roles(other_adviser=200, other_director=200),
        },
    ),
    (
        "workshops:update",
        "workshop",
        "GET",
        {},
        {
            "own": _roles(adviser=403, colleague=403, director=200),
            "other": _roles(other_adviser=403, other_director=200),
        },
    ),
    (
        "workshops:session_add",
        "workshop",
        "GET",
        {},
        {
            "own": _roles(adviser=403, colleague=200, director=200),
            "other": _roles(other_adviser=403, other_director=200),
        },
    ),
    (
        "workshops:enrol",
        "workshop",
        "GET",
        {},
        {
            "own": _roles(adviser=200, colleague=200, director=200),
            "other": _roles(other_adviser=200, other_director=200),
        },
    ),
    (
        "workshops:session",
        "session",
        "GET",
        {},
        {
            "own": _roles(adviser=403, colleague=200, director=200, partner=200),
            "other": _roles(other_adviser=403, other_director=200),
        },
    ),
    (
        "workshops:attendance",
        "attendance_url",
        "POST",
        {"status": "present"},
        {
            "own": _roles(adviser=403, colleague=302, director=302, partner=302),
            "other": _roles(other_adviser=403, other_director=302),
        },
    ),
    (
        "workshops:enrol_case",
        "case",
        "GET",
        {},
        {
            "own": _roles(adviser=200, colleague=403, director=200),
            "other": _roles(other_adviser=200, other_director=200),
        },
    ),
    (
        "workshops:drop",
        "enrollment",
        "GET",
        {},
        {
            "own": _roles(adviser=200, colleague=200, director=200),
            "other": _roles(other_adviser=200, other_director=200),
        },
    ),
    (
        "workshops:confirm",
        "enrollment",
        "POST",
        {},
        {
            "own": _roles(adviser=302, colleague=403, director=302),
            "other": _roles(other_adviser=302, other_director=302),
        },
    ),
    (
        "workshops:attestation",
        "enrollment",
        "GET",
        {},
        {
            "own": _roles(adviser=200, colleague=403, director=200),
            "other": _roles(other_adviser=200, other_director=200),
        },
    ),
    (
        "workshops:absence_incident",
        "attendance",
        "GET",
        {},
        {
            "own": _roles(adviser=200, colleague=403, director=200),
            "other": _roles(other_adviser=200, other_director=200),
        },
    ),
]
LISTS = [
    (
        "workshops:list",
        _roles(
            adviser=200,
            colleague=200,
            director=200,
            other_adviser=200,
            other_director=200,
            partner=200,
        ),
    ),
    (
        "workshops:create",
        _roles(adviser=403, colleague=403, director=200, other_adviser=403, other_director=200),
    ),
]
COVERED = {page[0] for page in PAGES} | {name for name, _ in LISTS}


@pytest.fixture
def completed(world, cases, workshops, settings, tmp_path):
    """Both enrolments complete (one session is enough) with an absence recorded as well,
    so that attestation and absence pages exist on each side."""
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    import datetime as dt

    from django.utils import timezone

    from tests.test_workshops_fixtures import add_session

    absences = {}
    for key, workshop, session, enrollment, director in (
        ("own", workshops.workshop, workshops.past, workshops.enrollment, world.director),
        (
            "other",
            workshops.other,
            workshops.other_past,
            workshops.other_enrollment,
            world.other_director,
        ),
    ):
        workshop.min_sessions = 1
        workshop.save(update_fields=["min_sessions"])
        earlier = add_session(director, workshop, timezone.localdate() - dt.timedelta(days=20))
        absences[key] = services.attendance_record(
            acting_user=director, session=earlier, enrollment=enrollment, status="absent"
        )
        services.attendance_record(
            acting_user=director, session=session, enrollment=enrollment, status="present"
        )
        services.attestation_render(enrollment_id=enrollment.pk)
    return absences


def _kwargs(workshops, cases, absences, situation: str, target: str) -> dict[str, int]:
    own = situation == "own"
    if target == "workshop":
        return {"workshop_id": (workshops.workshop if own else workshops.other).pk}
    if target == "session":
        return {"session_id": (workshops.past if own else workshops.other_past).pk}
    if target == "attendance_url":
        return {
            "session_id": (workshops.past if own else workshops.other_past).pk,
            "enrollment_id": (workshops.enrollment if own else workshops.other_enrollment).pk,
        }
    if target == "case":
        return {"case_id": cases.cases["own" if own else "other_branch"].pk}
    if target == "attendance":
        return {"attendance_id": absences[situation].pk}
    return {"enrollment_id": (workshops.enrollment if own else workshops.other_enrollment).pk}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
@pytest.mark.parametrize("situation", ["own", "other"])
def test_workshop_page_matrix(client, world, cases, workshops, completed, page, situation):
    url_name, target, method, data, expected = page
    url = reverse(url_name, kwargs=_kwargs(workshops, cases, completed, situation, target))
    users = world.users_by_role()
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = client.get(url) if method == "GET" else client.post(url, data)
        if response.status_code != expected[situation][role]:
            failures.append(
                f"{role}: {response.status_code} (expected {expected[situation][role]})"
            )
    assert not failures, f"{situation} {method} {url}: " + "; ".join(failures)


@pytest.mark.parametrize(("url_name", "expected"), LISTS, ids=lambda value: str(value)[:20])
def test_workshop_list_matrix(client, world, url_name, expected):
    users = world.users_by_role()
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = client.get(reverse(url_name))
        if response.status_code != expected[role]:
            failures.append(f"{role}: {response.status_code} (expected {expected[role]})")
    assert not failures, f"{url_name}: " + "; ".join(failures)


def test_partner_sees_names_and_attendance_only_and_every_view_is_logged(
    client, world, cases, workshops, completed
):
    client.force_login(world.partner)
    case = cases.own
    person = case.person
    pages = [
        reverse("home"),
        reverse("workshops:list"),
        reverse("workshops:detail", args=[workshops.workshop.pk]),
        reverse("workshops:session", args=[workshops.past.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for secret in (
            case.number,
            f"/cases/{case.pk}/",
            "1990",
            "17/05",
            str(world.adviser),
            "sursis",
            "Probation",
            "soins",
            "attestation-",
            "/enrolments/",
        ):
            assert secret not in body, (url, secret)
    detail = client.get(pages[2]).content.decode()
    assert "MARTIN" in detail and person.first_names in detail
    logged = set(
        AccessLog.objects.filter(user=world.partner, action="view").values_list(
            "object_type", "object_id"
        )
    )
    assert ("workshops.workshop", str(workshops.workshop.pk)) in logged
    assert ("workshops.session", str(workshops.past.pk)) in logged
    assert ("workshops.workshop", "list") in logged
    assert ("workshops.workshop", "home") in logged


def test_partner_guessing_ids_gets_404_everywhere_else(client, world, cases, workshops, completed):
    client.force_login(world.partner)
    guesses = [
        reverse("workshops:detail", args=[workshops.other.pk]),
        reverse("workshops:detail", args=[999999]),
        reverse("workshops:session", args=[workshops.other_past.pk]),
        reverse("workshops:session", args=[999999]),
        reverse("workshops:attestation", args=[workshops.enrollment.pk]),
        reverse("workshops:drop", args=[workshops.enrollment.pk]),
        reverse("workshops:enrol", args=[workshops.workshop.pk]),
        reverse("workshops:enrol_case", args=[cases.own.pk]),
        reverse("workshops:absence_incident", args=[completed["own"].pk]),
        reverse("workshops:session_add", args=[workshops.workshop.pk]),
        reverse("workshops:create"),
        reverse("cases:detail", args=[cases.own.pk]),
        reverse("cases:proof_file", args=[1]),
    ]
    for url in guesses:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"MARTIN" not in response.content
    response = client.post(
        reverse("workshops:attendance", args=[workshops.past.pk, workshops.other_enrollment.pk]),
        {"status": "present"},
    )
    assert response.status_code == 404
