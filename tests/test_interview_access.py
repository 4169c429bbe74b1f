"""Interview pages for every role and every access situation of a case (DESIGN.md): the
case's access decides; secretaries schedule and print convocations but never read notes;
clerks and partners get 404, an admin 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview
from interviews.services import paris_datetime
from tests.test_case_access import ACCESS, F, I, N, R, W
from tests.test_permission_matrix import ROLES, role_failures

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

S = "schedule"  # write access, or identity access for a secretary of the branch

# url name, needed access, method, data, status on success
PAGES = [
    ("interviews:schedule_for_case", S, "GET", {}, 200),
    ("interviews:detail", I, "GET", {}, 200),
    ("interviews:reschedule", S, "GET", {}, 200),
    ("interviews:cancel", S, "GET", {}, 200),
    ("interviews:convocation", S, "GET", {}, 200),
    ("interviews:convocation_sent", S, "POST", {"channel": "hand"}, 302),
    ("interviews:reminder_retry", S, "POST", {}, 302),
    ("interviews:outcome", W, "GET", {}, 200),
    ("interviews:incident", W, "POST", {}, 200),  # empty form: errors shown, nothing saved
]
LISTS = {
    # agenda, outcomes to log, scheduling from the agenda, calendar settings
    "interviews:agenda": {
        "adviser": 200,
        "colleague": 200,
        "director": 200,
        "secretary": 200,
        "other_adviser": 200,
        "other_director": 200,
    },
    "interviews:outcomes": {
        "adviser": 200,
        "colleague": 200,
        "director": 200,
        "secretary": 403,
        "other_adviser": 200,
        "other_director": 200,
    },
    "interviews:schedule": {
        "adviser": 200,
        "colleague": 200,
        "director": 200,
        "secretary": 200,
        "other_adviser": 200,
        "other_director": 200,
    },
    "interviews:calendar": {
        "adviser": 200,
        "colleague": 200,
        "director": 200,
        "secretary": 403,
        "other_adviser": 200,
        "other_director": 200,
    },
}
OUTSIDERS = {"clerk": 404, "partner": 404, "admin": 403, "anonymous": 302}
COVERED = {page[0] for page in PAGES} | set(LISTS) | {"interviews:calendar_feed"}


def _expected(access: str, needed: str, role: str) -> int:
    if access == N:
        return 404
    if access == F:
        return 403
    if needed == S:
        return 200 if access == W or (access == I and role == "secretary") else 403
    order = [N, F, I, R, W]
    return 200 if order.index(access) >= order.index(needed) else 403


@pytest.fixture
def interviews(world, cases) -> dict[str, Interview]:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    built = {}
    for n, (situation, case) in enumerate(cases.cases.items()):
        start = paris_datetime(tomorrow, dt.time(9 + n, 0))
        built[situation] = Interview.objects.create(
            case=case,
            person=case.person,
            adviser=case.adviser,
            start=start,
            end=start + dt.timedelta(minutes=45),
            created_by=case.adviser,
            reminder=Interview.Reminder.CLAIMED,
            reminder_claimed_at=timezone.now() - dt.timedelta(hours=1),
        )
    return built


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page[0])
@pytest.mark.parametrize("situation", list(ACCESS))
def test_interview_page_matrix(client, world, cases, interviews, page, situation):
    url_name, needed, method, data, success = page
    if url_name == "interviews:schedule_for_case":
        url = reverse(url_name, kwargs={"case_id": cases.cases[situation].pk})
    else:
        url = reverse(url_name, kwargs={"interview_id": interviews[situation].pk})

    def expected(role: str) -> int:
        if role == "anonymous":
            return 302
        status = _expected(ACCESS[situation][role], needed, role)
        if url_name == "interviews:detail" and ACCESS[situation][role] == R:
            return 302  # to the case file, which asks for the reason first
        return success if status == 200 else status

    def after(role: str, response) -> None:
        if response.status_code == 302 and role != "anonymous" and url_name.endswith("retry"):
            # put the claim back for the next role
            Interview.objects.filter(pk=interviews[situation].pk).update(
                reminder=Interview.Reminder.CLAIMED
            )

    failures = role_failures(client, world, method, url, data, expected, after)
    assert not failures, f"{situation} {method} {url}: " + "; ".join(failures)


@pytest.mark.parametrize("url_name", list(LISTS))
def test_interview_list_matrix(client, world, url_name):
    users = world.users_by_role()
    expected = LISTS[url_name] | OUTSIDERS
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        assert client.get(reverse(url_name)).status_code == expected[role], role


def test_calendar_feed_answers_only_a_live_token(client, world):
    url = reverse("interviews:calendar_feed", kwargs={"token": "guessed-token"})
    for role, user in [("anonymous", None), *world.users_by_role().items()]:
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404, role


def test_secretary_cannot_log_outcomes_or_read_notes(client, world, cases, interviews):
    interview = interviews["own"]
    Interview.objects.filter(pk=interview.pk).update(notes="Note confidentielle")
    client.force_login(world.secretary)
    page = client.get(reverse("interviews:detail", args=[interview.pk])).content.decode()
    assert "Note confidentielle" not in page
    response = client.post(
        reverse("interviews:outcome", args=[interview.pk]),
        {"status": "held", "notes": "x", "version": 1},
    )
    assert response.status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PLANNED
