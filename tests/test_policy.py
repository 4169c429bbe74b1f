"""The access policy, action by action, on the fixed world of the permission matrix (the
pretix `test_permissions.py` shape): each case of DESIGN.md's table and the situations that
go wrong in practice — a stated reason, a substitute whose grant ended yesterday, an excluded
director, a restricted case, a clerk of another court, a partner of another workshop."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from cases import services as case_services
from cases.models import Case
from cases.policy import REASONS_KEY
from spip import policy
from spip.exceptions import NotAllowed
from spip.policy import Decision
from tests import factories
from tests.test_reports import _issued
from tests.test_workshops_fixtures import workshops_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

H, F, A = Decision.HIDDEN, Decision.FORBIDDEN, Decision.ALLOWED
PARIS = ZoneInfo("Europe/Paris")


def decisions(user, action, objects):
    return [policy.decide(user, action, obj) for obj in objects]


def test_case_actions_follow_the_design_table(world, cases):
    own, colleague, other, restricted, excluded = (
        cases.cases[key] for key in ("own", "colleague", "other_branch", "restricted", "excluded")
    )
    situations = [own, colleague, other, restricted, excluded]
    table = {
        # user: case.identity, case.view, case.edit, case.assign over the five situations
        "adviser": ([A, A, H, H, H], [A, F, H, H, H], [A, F, H, H, H], [F, F, H, H, H]),
        "colleague": ([A, A, H, A, A], [F, A, H, A, A], [F, A, H, A, A], [F, F, H, F, F]),
        "director": ([A, A, H, A, H], [A, A, H, A, H], [A, A, H, A, H], [A, A, H, A, H]),
        "secretary": ([A, A, H, H, A], [F, F, H, H, F], [F, F, H, H, F], [F, F, H, H, F]),
        "other_director": ([H, H, A, H, H], [H, H, A, H, H], [H, H, A, H, H], [H, H, A, H, H]),
        "clerk": ([H] * 5, [H] * 5, [H] * 5, [H] * 5),
        "partner": ([H] * 5, [H] * 5, [H] * 5, [H] * 5),
        "admin": ([F] * 5, [F] * 5, [F] * 5, [F] * 5),
    }
    users = world.users_by_role()
    for name, expected in table.items():
        for action, row in zip(
            ("case.identity", "case.view", "case.edit", "case.assign"), expected, strict=True
        ):
            assert decisions(users[name], action, situations) == row, (name, action)


def test_page_actions_by_role(world):
    expected = {
        "case.list": {
            "adviser": A,
            "director": A,
            "secretary": A,
            "clerk": H,
            "partner": H,
            "admin": F,
        },
        "caseload.allocate": {
            "adviser": F,
            "director": A,
            "secretary": F,
            "clerk": H,
            "partner": H,
            "admin": F,
        },
        "deadline.list": {
            "adviser": A,
            "director": A,
            "secretary": F,
            "clerk": H,
            "partner": H,
            "admin": F,
        },
        "deadline.team": {
            "adviser": F,
            "director": A,
            "secretary": F,
            "clerk": H,
            "partner": H,
            "admin": F,
        },
        "admin.site": {
            "adviser": H,
            "director": H,
            "secretary": H,
            "clerk": H,
            "partner": H,
            "admin": A,
        },
    }
    users = world.users_by_role()
    for action, by_role in expected.items():
        for name, decision in by_role.items():
            assert policy.decide(users[name], action) == decision, (action, name)


def _in_request(session: dict, ask):
    """Run `ask` inside the policy's middleware, for a request carrying `session`."""
    answers = []
    policy.PolicyMiddleware(lambda request: answers.append(ask()) or HttpResponse())(
        SimpleNamespace(session=session)
    )
    return answers[0]


def test_a_stated_reason_opens_a_colleagues_case_read_only(world, cases):
    case = cases.cases["colleague"]
    assert policy.can(world.adviser, "case.state_reason", case)
    assert _in_request({}, lambda: policy.decide(world.adviser, "case.view", case)) == F
    stated = {REASONS_KEY: {str(case.pk): "permanence du mardi"}}
    assert _in_request(stated, lambda: policy.decide(world.adviser, "case.view", case)) == A
    assert _in_request(stated, lambda: policy.decide(world.adviser, "case.edit", case)) == F
    # A reason given for one case opens no other.
    other = {REASONS_KEY: {str(cases.cases["own"].pk + 999): "erreur"}}
    assert _in_request(other, lambda: policy.decide(world.adviser, "case.view", case)) == F
    # Those who follow the case are never asked for one.
    assert not policy.can(world.colleague, "case.state_reason", case)


def test_a_substitutes_grant_ends_after_its_last_day(world, cases):
    case = cases.cases["colleague"]
    today = dt.date(2026, 6, 10)
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, tzinfo=PARIS), tick=False):
        case_services.case_substitutes_set(
            acting_user=world.director,
            absent=world.colleague,
            substitute=world.adviser,
            until=today,
            reason="congé",
        )
        assert policy.decide(world.adviser, "case.edit", case) == A
    with time_machine.travel(dt.datetime(2026, 6, 11, 9, tzinfo=PARIS), tick=False):
        # Ended yesterday: back to a colleague's read-only access, with a reason.
        assert policy.decide(world.adviser, "case.edit", case) == F
        assert policy.can(world.adviser, "case.state_reason", case)
    # Only a director of the absent adviser's branch sets substitutes.
    with pytest.raises(NotAllowed):
        case_services.case_substitutes_set(
            acting_user=world.other_director,
            absent=world.colleague,
            substitute=world.adviser,
            until=today,
            reason="congé",
        )


def test_an_excluded_director_and_a_restricted_case(world, cases):
    excluded, restricted = cases.cases["excluded"], cases.cases["restricted"]
    for action in ("case.identity", "case.view", "case.edit", "case.close", "case.assign"):
        assert policy.decide(world.director, action, excluded) == H, action
    assert policy.decide(world.director, "case.assign", restricted) == A
    assert policy.decide(world.secretary, "case.identity", restricted) == H
    assert policy.decide(world.adviser, "case.state_reason", restricted) == H
    assert restricted not in policy.visible(world.adviser, Case)
    assert excluded not in policy.visible(world.director, Case)
    assert restricted in policy.visible(world.director, Case)


def test_require_answers_404_to_strangers_and_403_to_those_who_see(world, cases):
    own = cases.cases["own"]
    with pytest.raises(Http404):
        policy.require(world.other_adviser, "case.edit", own)
    with pytest.raises(PermissionDenied):
        policy.require(world.secretary, "case.edit", own)
    with pytest.raises(NotAllowed):
        policy.check(world.secretary, "case.edit", own)
    policy.require(world.adviser, "case.edit", own)


def test_an_inactive_account_may_do_nothing(world, cases):
    world.adviser.is_active = False
    assert policy.decide(world.adviser, "case.view", cases.cases["own"]) == H
    assert not policy.visible(world.adviser, Case).exists()


def test_a_clerk_downloads_only_the_reports_of_their_court(world, cases):
    report = _issued(world, cases)
    assert policy.decide(world.clerk, "report.download", report) == A
    other_clerk = factories.UserFactory(role="clerk", branch=None, court=world.other_branch.court)
    assert policy.decide(other_clerk, "report.download", report) == H
    assert policy.decide(other_clerk, "report.inbox") == A
    assert policy.decide(world.adviser, "report.inbox") != A


def test_a_partner_reaches_only_the_workshops_they_contribute_to(world, cases, workshops):
    assert policy.decide(world.partner, "workshop.attendance", workshops.workshop) == A
    assert policy.decide(world.partner, "workshop.manage", workshops.workshop) != A
    for action in ("workshop.view", "workshop.attendance", "workshop.manage"):
        assert policy.decide(world.partner, action, workshops.other) == H, action
    stranger = factories.UserFactory(
        role="partner", branch=None, partner=factories.PartnerFactory()
    )
    assert policy.decide(stranger, "workshop.attendance", workshops.workshop) == H
    assert policy.decide(world.colleague, "workshop.manage", workshops.workshop) == A
    assert policy.decide(world.adviser, "workshop.manage", workshops.workshop) == F
    assert policy.decide(world.secretary, "workshop.view", workshops.workshop) == F


def test_answers_are_kept_for_the_request_and_forgotten_after_a_grant(world, cases):
    case = cases.cases["colleague"]

    def ask_twice_around_a_grant():
        with policy.track() as evaluated:
            first = policy.decide(world.adviser, "case.edit", case)
            policy.decide(world.adviser, "case.edit", case)
            assert evaluated["case.edit"] == 1  # the second answer was kept
            case_services.case_assign(
                acting_user=world.director, case=case, adviser=world.adviser, reason="reprise"
            )
            return first, policy.decide(world.adviser, "case.edit", case)

    assert _in_request({}, ask_twice_around_a_grant) == (F, A)


def test_the_vocabulary_refuses_unknown_actions(world):
    with pytest.raises(LookupError):
        policy.can(world.adviser, "case.teleport")
    with pytest.raises(LookupError):
        policy.rule("case.teleport")(lambda user, obj: Decision.ALLOWED)
