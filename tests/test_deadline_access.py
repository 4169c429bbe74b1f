"""Deadline pages for every role and every access situation: an alert is reached only by
those who follow its case (assigned adviser, co-adviser, substitute) and the directors of
its branch; anyone else gets 404, roles without a caseload 403 (admin, secretary) or 404
(clerk, partner)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from deadlines.models import Alert
from tests.test_case_access import ACCESS, W
from tests.test_permission_matrix import ROLES, role_failures

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

NO_CASELOAD = {"admin": 403, "secretary": 403, "clerk": 404, "partner": 404}

# url name, method, data, status on success (a POST without data changes nothing)
PAGES = [
    ("deadlines:snooze", "GET", {}, 200),
    ("deadlines:snooze", "POST", {}, 200),  # no date nor reason: the form again, with errors
    ("deadlines:acknowledge", "POST", {}, 302),  # not an informative rule: a message
    ("deadlines:restore", "POST", {}, 302),
]
LISTS = {
    "deadlines:list": {
        "adviser": 200,
        "colleague": 200,
        "director": 200,
        "other_adviser": 200,
        "other_director": 200,
    }
    | NO_CASELOAD,
    "deadlines:adviser": {
        "adviser": 403,
        "colleague": 403,
        "director": 200,
        "other_adviser": 403,
        "other_director": 404,
    }
    | NO_CASELOAD,
}
COVERED = {page[0] for page in PAGES} | set(LISTS)


@pytest.fixture
def alerts(cases) -> dict[str, Alert]:
    return {
        situation: Alert.objects.create(
            rule="proof_overdue",
            case=case,
            object_id=cases.obligations[situation].pk,
            due_on=dt.date(2026, 1, 10),
            detail={"label": "Soins"},
        )
        for situation, case in cases.cases.items()
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page[0]}-{page[1]}")
@pytest.mark.parametrize("situation", list(ACCESS))
def test_alert_page_matrix(client, world, alerts, page, situation):
    url_name, method, data, success = page
    alert = alerts[situation]
    url = reverse(url_name, kwargs={"alert_id": alert.pk})

    def expected(role: str) -> int:
        if role == "anonymous":
            return 302
        if role in NO_CASELOAD:
            return NO_CASELOAD[role]
        return success if ACCESS[situation][role] == W else 404

    failures = role_failures(client, world, method, url, data, expected)
    assert not failures, f"{situation} {method} {url}: " + "; ".join(failures)
    alert.refresh_from_db()
    assert alert.snoozed_until is None and alert.acknowledged_at is None


@pytest.mark.parametrize("url_name", list(LISTS))
def test_deadline_list_matrix(client, world, url_name):
    kwargs = {"adviser_id": world.adviser.pk} if url_name == "deadlines:adviser" else {}
    url = reverse(url_name, kwargs=kwargs)
    expected = LISTS[url_name] | {"anonymous": 302}
    failures = role_failures(client, world, "GET", url, {}, expected.__getitem__)
    assert not failures, f"{url}: " + "; ".join(failures)
    assert set(expected) == set(ROLES)


def test_nobody_sees_another_advisers_alerts_unless_directing_the_branch(client_for, world, alerts):
    def shown(user, page="deadlines:list", **kwargs) -> set[str]:
        content = client_for(user).get(reverse(page, kwargs=kwargs)).content.decode()
        return {
            situation for situation, alert in alerts.items() if f'id="alert-{alert.pk}"' in content
        }

    assert shown(world.adviser) == {"own"}
    assert shown(world.colleague) == {"colleague", "restricted", "excluded"}
    assert shown(world.other_adviser) == {"other_branch"}
    home = client_for(world.colleague).get(reverse("home")).content.decode()
    assert f'id="alert-{alerts["own"].pk}"' not in home
    # The director reads each adviser's list of the branch, less the case they are excluded
    # from; another branch's director learns nothing of it.
    by_adviser = shown(world.director, "deadlines:adviser", adviser_id=world.colleague.pk)
    assert by_adviser == {"colleague", "restricted"}
    assert shown(world.director, "deadlines:adviser", adviser_id=world.adviser.pk) == {"own"}
    other = client_for(world.other_director)
    assert other.get(reverse("deadlines:adviser", args=[world.adviser.pk])).status_code == 404
