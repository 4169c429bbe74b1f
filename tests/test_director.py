"""The director's allocation page: weighted loads, the unassigned queue, substitutes for a
leave, closing a case whose measures are over, and who may do any of it.

Tests marked `# French merge` check wording from /tmp/director_fr.po: they pass once it is
merged into locale/fr and compiled. The others check structure, or Django's own French.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import allocation, services
from cases.legal import MeasureKind
from cases.models import Case, CaseUserObjectPermission, IntensityLevel, Measure
from cases.policy import Access, case_access, own_cases
from cases.reference import INTENSITY_LEVELS
from spip.exceptions import NotAllowed, SpipError
from spip.models import AccessLog, Notification, Role, User
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
S = Measure.Status
ROLES = [
    "anonymous",
    "adviser",
    "colleague",
    "director",
    "secretary",
    "other_adviser",
    "other_director",
    "clerk",
    "partner",
    "admin",
]
# Staff who may know the page exists are refused (403); the others never see it (404).
REFUSED = {
    "anonymous": 302,
    "adviser": 403,
    "colleague": 403,
    "secretary": 403,
    "other_adviser": 403,
    "clerk": 404,
    "partner": 404,
    "admin": 403,
}


def _case(world, *, adviser=None, branch=None, intensity="standard", measures=(), closed=False):
    """An open case at `branch` (the world's by default) with measures given as
    (kind, status, end date)."""
    branch = branch or (adviser.branch if adviser else world.branch)
    director = world.director if branch == world.branch else world.other_director
    case = services.case_open(
        acting_user=director,
        branch=branch,
        adviser=adviser,
        opened_on=dt.date(2025, 1, 6),
        intensity=IntensityLevel.objects.get(code=intensity),
        intensity_reason="évaluation",
        person_data={
            "birth_name": "Lefèvre",
            "first_names": "Sam",
            "sex": "X",
            "birth_date": dt.date(1988, 3, 4),
        },
        confirmed_distinct=True,
    )
    for kind, status, end_date in measures:
        Measure.objects.create(
            case=case,
            kind=kind,
            court=branch.court,
            decision_date=dt.date(2025, 1, 2),
            start_date=dt.date(2025, 1, 6),
            status=status,
            end_date=end_date,
        )
    if closed:
        Case.objects.filter(pk=case.pk).update(closed_on=dt.date(2025, 6, 1))
    return case


def _load_of(page, adviser):
    return next(item for item in page.advisers if item.adviser == adviser)


def test_every_measure_kind_and_intensity_has_a_weight():
    assert set(allocation.KIND_WEIGHTS) == set(allocation.MeasureKind)
    assert {code for code, *_ in INTENSITY_LEVELS} == set(allocation.INTENSITY_FACTORS)


LATER, PAST = dt.date(2027, 6, 1), dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("cases", "open_cases", "load", "by_kind"),
    [
        ([("standard", [("probation", S.ACTIVE, LATER)])], 1, "1", {"probation": 1}),
        ([("renforcee", [("probation", S.ACTIVE, LATER)])], 1, "1.5", {"probation": 1}),
        ([("allegee", [("course", S.ACTIVE, None)])], 1, "0.25", {"course": 1}),
        # Two measures of one case both weigh; the case counts once per kind.
        (
            [("soutenue", [("probation", S.ACTIVE, LATER), ("tig", S.ACTIVE, LATER)])],
            1,
            "2.5",
            {"probation": 1, "tig": 1},
        ),
        (
            [
                ("standard", [("socio_judicial", S.ACTIVE, None)]),
                ("renforcee", [("ddse_sentence", S.ACTIVE, LATER)]),
                ("renforcee", [("ddse_sentence", S.SUSPENDED, None)]),
            ],
            3,
            "6.5",
            {"socio_judicial": 1, "ddse_sentence": 2},
        ),
        # Pending and suspended measures still run.
        (
            [("standard", [("parole", S.PENDING, LATER), ("probation", S.SUSPENDED, None)])],
            1,
            "2.5",
            {"parole": 1, "probation": 1},
        ),
        # Over: ended, revoked, or active past its end date (a status not yet recomputed).
        (
            [
                (
                    "standard",
                    [
                        ("probation", S.ENDED, PAST),
                        ("tig", S.REVOKED, PAST),
                        ("parole", S.ACTIVE, PAST),
                    ],
                )
            ],
            1,
            "0",
            {},
        ),
        # A closed case weighs nothing and is not counted.
        ([("closed", [("probation", S.ACTIVE, LATER)])], 0, "0", {}),
    ],
)
def test_weighted_load(world, reference, cases, open_cases, load, by_kind):
    for intensity, measures in cases:
        closed = intensity == "closed"
        _case(
            world,
            adviser=world.adviser,
            intensity="standard" if closed else intensity,
            measures=measures,
            closed=closed,
        )
    _case(world, adviser=world.colleague, measures=[("probation", S.ACTIVE, LATER)])
    page = allocation.allocation_page(world.director, as_of=TODAY)
    item = _load_of(page, world.adviser)
    assert (item.open_cases, item.load, item.by_kind) == (open_cases, Decimal(load), by_kind)
    assert _load_of(page, world.colleague).load == Decimal(1)
    assert world.other_adviser not in [item.adviser for item in page.advisers]


@time_machine.travel(NOW, tick=False)
def test_caseloads_page_shows_loads_against_the_target(client_for, world, reference):
    for _ in range(3):
        _case(
            world,
            adviser=world.adviser,
            intensity="renforcee",
            measures=[("probation", S.ACTIVE, LATER)],
        )
    response = client_for(world.director).get(reverse("cases:director_caseloads"))
    assert response.status_code == 200
    content = response.content.decode()
    # The meter's numbers stay machine-readable whatever the language ("4.5", not "4,5").
    assert 'value="4.5' in content and f'high="{allocation.TARGET_LOAD}"' in content
    assert f"4,5 / {allocation.TARGET_LOAD}" in content
    assert "style=" not in content  # the CSP forbids inline styles
    assert reverse("cases:director_adviser", args=[world.adviser.pk]) in content


def _populate(world, advisers: int) -> None:
    """Advisers with cases, one of them ready to close, an unassigned case each, and each
    one substituting for the adviser created before."""
    advisers_now = User.objects.filter(role=Role.ADVISER, branch=world.branch, is_active=True)
    previous = advisers_now.order_by("id").last()
    for _ in range(advisers):
        adviser = factories.UserFactory(role=Role.ADVISER, branch=world.branch)
        _case(world, adviser=adviser, measures=[("probation", S.ACTIVE, LATER)])
        _case(world, adviser=adviser, intensity="renforcee", measures=[("tig", S.ENDED, PAST)])
        _case(world, measures=[("parole", S.PENDING, LATER)])
        if previous is not None:
            services.case_substitutes_set(
                acting_user=world.director,
                absent=previous,
                substitute=adviser,
                until=TODAY + dt.timedelta(days=7),
                reason="congé",
            )
        previous = adviser


@time_machine.travel(NOW, tick=False)
def test_caseloads_query_count_does_not_grow_with_advisers(client_for, world, reference):
    # The world's advisers hold no case: once they have left, the page lists only new ones.
    User.objects.filter(pk__in=[world.adviser.pk, world.colleague.pk]).update(is_active=False)
    client = client_for(world.director)
    counts = []
    for added, total in ((2, 2), (18, 20)):
        _populate(world, added)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("cases:director_caseloads"))
        page = response.context["page"]
        assert (len(page.advisers), page.queue_total, page.closable_total) == (total,) * 3
        assert len(page.substitutions) == total - 1
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


@time_machine.travel(NOW, tick=False)
def test_unassigned_queue_and_assigning_from_it(client_for, world, reference, cases):
    waiting = _case(world, measures=[("probation", S.ACTIVE, LATER)])
    _case(world, branch=world.other_branch)  # another director's
    _case(world, closed=True)
    hidden = _case(world)
    hidden.excluded_staff.add(world.director)
    client = client_for(world.director)
    page = client.get(reverse("cases:director_caseloads")).context["page"]
    assert page.queue == [waiting] and page.queue_total == 1
    assert page.queue[0].measure_labels == [MeasureKind.PROBATION.label]
    assert {user.pk for user in page.queue[0].adviser_choices} == {
        world.adviser.pk,
        world.colleague.pk,
    }

    response = client.post(
        reverse("cases:director_assign", args=[waiting.pk]),
        {"adviser": world.colleague.pk, "reason": "rééquilibrage des charges"},
    )
    assert response.status_code == 302 and response.url == reverse("cases:director_caseloads")
    waiting.refresh_from_db()
    assert waiting.adviser == world.colleague
    assert case_access(world.colleague, waiting) == Access.WRITE
    assert AccessLog.objects.filter(
        object_id=str(waiting.pk), reason="rééquilibrage des charges"
    ).exists()
    assert Notification.objects.filter(recipient=world.colleague, link__contains=str(waiting.pk))
    assert client.get(reverse("cases:director_caseloads")).context["page"].queue == []


@time_machine.travel(NOW, tick=False)
def test_assign_form_bad_input(client_for, world, reference, cases):
    waiting = _case(world)
    client = client_for(world.director)
    url = reverse("cases:director_assign", args=[waiting.pk])
    for data, field in [
        ({}, "adviser"),
        ({"adviser": world.adviser.pk, "reason": "  "}, "reason"),
        ({"adviser": "abc", "reason": "motif"}, "adviser"),
        ({"adviser": world.other_adviser.pk, "reason": "motif"}, "adviser"),
        ({"adviser": world.secretary.pk, "reason": "motif"}, "adviser"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, data
    assert "Sélectionnez un choix valide" in response.content.decode()  # Django's French
    waiting.refresh_from_db()
    assert waiting.adviser is None
    assert client.post(reverse("cases:director_assign", args=[10**9]), {}).status_code == 404
    other = _case(world, branch=world.other_branch)
    assert client.post(reverse("cases:director_assign", args=[other.pk]), {}).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_substitute_loses_access_the_day_after_the_leave_ends(client_for, world, cases):
    last_day = TODAY + dt.timedelta(days=14)
    second = _case(world, adviser=world.adviser)
    co_followed = _case(world, adviser=world.adviser)
    services._grant(co_followed, world.colleague)  # the colleague already co-follows it
    response = client_for(world.director).post(
        reverse("cases:director_substitutes"),
        {
            "absent": world.adviser.pk,
            "substitute": world.colleague.pk,
            "until": last_day.isoformat(),
            "reason": "congé maternité",
        },
    )
    assert response.status_code == 302
    next_day = last_day + dt.timedelta(days=1)
    for case in (cases.own, second):
        assert case_access(world.colleague, case, today=last_day) == Access.WRITE
        assert case_access(world.colleague, case, today=next_day) == Access.READ_WITH_REASON
        assert AccessLog.objects.filter(object_id=str(case.pk), reason="congé maternité")
    assert list(own_cases(world.colleague, today=next_day).filter(adviser=world.adviser)) == [
        co_followed  # a colleague who co-follows a case keeps it for good
    ]
    assert Notification.objects.filter(recipient=world.colleague, link="/cases/").count() == 1
    in_place = allocation.allocation_page(world.director, as_of=TODAY).substitutions
    assert [(s.absent, s.substitute, s.until, s.cases) for s in in_place] == [
        (world.adviser, world.colleague, last_day, 2)
    ]
    assert allocation.allocation_page(world.director, as_of=next_day).substitutions == []


@time_machine.travel(NOW, tick=False)
def test_substitute_form_bad_input(client_for, world, cases):
    client = client_for(world.director)
    url = reverse("cases:director_substitutes")
    valid = {
        "absent": world.adviser.pk,
        "substitute": world.colleague.pk,
        "until": (TODAY + dt.timedelta(days=3)).isoformat(),
        "reason": "congé",
    }
    for change, field in [
        ({"absent": "", "substitute": "", "until": "", "reason": ""}, "absent"),
        ({"until": "2026-02-31"}, "until"),
        ({"until": "demain"}, "until"),
        ({"until": (TODAY - dt.timedelta(days=1)).isoformat()}, "until"),
        ({"until": (TODAY + dt.timedelta(days=800)).isoformat()}, "until"),
        ({"substitute": world.adviser.pk}, "substitute"),
        ({"substitute": world.other_adviser.pk}, "substitute"),
        ({"absent": world.other_adviser.pk}, "absent"),
        ({"reason": " "}, "reason"),
    ]:
        response = client.post(url, valid | change)
        assert response.status_code == 200, change
        assert field in response.context["form"].errors, change
    assert not CaseUserObjectPermission.objects.filter(valid_until__isnull=False).exists()
    assert client.get(url).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_substitute_rules(world, cases):
    """What the form cannot catch: a director of two branches, the other branch's director."""
    world.director.directed_branches.add(world.other_branch)
    until = TODAY + dt.timedelta(days=3)
    with pytest.raises(SpipError) as error:
        services.case_substitutes_set(
            acting_user=world.director,
            absent=world.adviser,
            substitute=world.other_adviser,
            until=until,
            reason="congé",
        )
    assert error.value.field == "substitute"
    with pytest.raises(NotAllowed):
        services.case_substitutes_set(
            acting_user=world.other_director,
            absent=world.adviser,
            substitute=world.colleague,
            until=until,
            reason="congé",
        )
    # The colleague is excluded from the adviser's case: no grant on it.
    cases.own.excluded_staff.add(world.colleague)
    granted = services.case_substitutes_set(
        acting_user=world.director,
        absent=world.adviser,
        substitute=world.colleague,
        until=until,
        reason="congé",
    )
    assert granted == []


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("status", [S.ACTIVE, S.SUSPENDED, S.PENDING])
def test_closing_is_refused_while_a_measure_runs(world, reference, status):
    case = _case(
        world,
        adviser=world.adviser,
        measures=[("probation", S.ENDED, PAST), ("tig", status, LATER)],
    )
    with pytest.raises(SpipError) as error:
        services.case_close(acting_user=world.director, case=case, closed_on=TODAY, reason="fin")
    assert error.value.field is None  # shown above the form: it is about the whole case
    case.refresh_from_db()
    assert case.closed_on is None
    assert case not in allocation.closable_cases(world.director, as_of=TODAY)


@time_machine.travel(NOW, tick=False)
def test_closing_a_case_whose_measures_are_over(client_for, world, reference, cases):
    over = _case(
        world,
        adviser=world.adviser,
        measures=[("probation", S.ENDED, PAST), ("tig", S.ACTIVE, PAST)],
    )
    _case(world, adviser=world.adviser)  # no measure yet: not "over"
    client = client_for(world.director)
    page = client.get(reverse("cases:director_caseloads")).context["page"]
    assert page.closable == [over]
    url = reverse("cases:director_close", args=[over.pk])
    assert client.get(url).status_code == 405
    for data, field in [
        ({}, "closed_on"),
        ({"closed_on": "2026-13-01", "reason": "fin"}, "closed_on"),
        ({"closed_on": (TODAY + dt.timedelta(days=1)).isoformat(), "reason": "fin"}, "closed_on"),
        ({"closed_on": (PAST - dt.timedelta(days=1)).isoformat(), "reason": "fin"}, "closed_on"),
        ({"closed_on": TODAY.isoformat(), "reason": " "}, "reason"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, data
    refused = client_for(world.adviser).post(url, {"closed_on": TODAY, "reason": "fin"})
    assert refused.status_code == 403
    client = client_for(world.director)
    response = client.post(url, {"closed_on": TODAY.isoformat(), "reason": "mesures terminées"})
    assert response.status_code == 302
    over.refresh_from_db()
    assert over.closed_on == TODAY
    assert AccessLog.objects.filter(object_id=str(over.pk), reason="mesures terminées").exists()
    assert Notification.objects.filter(recipient=world.adviser, link=f"/cases/{over.pk}/")
    assert client.get(reverse("cases:director_caseloads")).context["page"].closable == []
    with pytest.raises(SpipError):  # already closed
        services.case_close(acting_user=world.director, case=over, closed_on=TODAY, reason="x")
    with pytest.raises(NotAllowed):
        services.case_close(acting_user=world.adviser, case=cases.own, closed_on=TODAY, reason="x")


@time_machine.travel(NOW, tick=False)
def test_adviser_page_lists_cases_heaviest_first_with_a_reassign_link(client_for, world, reference):
    light = _case(
        world, adviser=world.adviser, intensity="allegee", measures=[("probation", S.ACTIVE, LATER)]
    )
    heavy = _case(
        world,
        adviser=world.adviser,
        intensity="renforcee",
        measures=[("socio_judicial", S.ACTIVE, None)],
    )
    _case(world, adviser=world.colleague)
    response = client_for(world.director).get(
        reverse("cases:director_adviser", args=[world.adviser.pk])
    )
    assert [(case, case.weight) for case in response.context["cases"]] == [
        (heavy, Decimal(3)),
        (light, Decimal("0.5")),
    ]
    assert reverse("cases:assign", args=[heavy.pk]) in response.content.decode()
    for user in (world.other_adviser, world.director, world.secretary):
        url = reverse("cases:director_adviser", args=[user.pk])
        assert client_for(world.director).get(url).status_code == 404


def _expect(director: int, other_director: int) -> dict[str, int]:
    return REFUSED | {"director": director, "other_director": other_director}


@pytest.mark.parametrize(
    ("method", "url_name", "target", "expected"),
    [
        ("GET", "cases:director_caseloads", None, _expect(200, 200)),
        ("GET", "cases:director_substitutes", None, _expect(200, 200)),
        ("POST", "cases:director_substitutes", None, _expect(200, 200)),  # empty: errors
        ("GET", "cases:director_adviser", "adviser", _expect(200, 404)),
        ("POST", "cases:director_assign", "unassigned", _expect(200, 404)),  # empty: errors
        ("POST", "cases:director_assign", "excluded", _expect(404, 404)),
        ("POST", "cases:director_close", "own", _expect(200, 404)),
        ("POST", "cases:director_close", "excluded", _expect(404, 404)),
    ],
)
def test_director_pages_matrix(client, world, cases, method, url_name, target, expected):
    targets = {
        "adviser": {"adviser_id": world.adviser.pk},
        "unassigned": {"case_id": _case(world).pk},
        "own": {"case_id": cases.own.pk},
        "excluded": {"case_id": cases.cases["excluded"].pk},  # the director is excluded
    }
    url = reverse(url_name, kwargs=targets.get(target, {}))
    users = world.users_by_role()
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = client.get(url) if method == "GET" else client.post(url, {})
        if response.status_code != expected[role]:
            failures.append(f"{role}: {response.status_code} (expected {expected[role]})")
    assert not failures, f"{method} {url}: " + "; ".join(failures)


def test_allocation_is_in_the_directors_menu_only(client_for, world):
    url = reverse("cases:director_caseloads")
    assert url in client_for(world.director).get(reverse("home")).content.decode()
    assert url not in client_for(world.adviser).get(reverse("home")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_french_messages(client_for, world, cases):  # French merge
    response = client_for(world.director).post(
        reverse("cases:director_substitutes"),
        {
            "absent": world.adviser.pk,
            "substitute": world.colleague.pk,
            "until": (TODAY - dt.timedelta(days=1)).isoformat(),
            "reason": "congé",
        },
    )
    assert "Cette absence est déjà terminée." in response.content.decode()
    content = client_for(world.director).get(reverse("cases:director_caseloads")).content
    assert "Charge pondérée" in content.decode()
    with pytest.raises(SpipError) as error:
        services.case_close(
            acting_user=world.director, case=cases.own, closed_on=TODAY, reason="fin"
        )
    assert "toujours" in str(error.value)
