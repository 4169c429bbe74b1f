"""Case services, search, the case pages' query counts and their answers to bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse

from cases import legal, services
from cases.models import (
    Case,
    CaseUserObjectPermission,
    IntensityLevel,
    Measure,
    Obligation,
    ObligationType,
    Person,
    Proof,
)
from cases.policy import Access, case_access
from cases.selectors import case_search, ranked_matches
from spip.exceptions import DomainErrors, NotAllowed, SpipError
from spip.models import AccessLog, Branch, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _open(world, name: str, *, birth=dt.date(1985, 2, 3), adviser=None, **person) -> Case:
    return services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=adviser or world.adviser,
        opened_on=dt.date(2026, 2, 1),
        intensity=IntensityLevel.objects.get(code="standard"),
        intensity_reason="évaluation initiale",
        person_data={"birth_name": name, "first_names": "Jean", "sex": "M", "birth_date": birth}
        | person,
    )


def test_intake_proposes_the_existing_person(world, reference):
    _open(world, "Lefèvre")
    duplicates = services.person_find_duplicates(
        birth_date=dt.date(1985, 2, 3), birth_name="LEFEVRE"
    )
    assert [person.birth_name for person in duplicates] == ["Lefèvre"]
    with pytest.raises(SpipError) as error:
        _open(world, "lefevre")
    assert error.value.field == "birth_name"
    assert Person.objects.count() == 1
    # Another birth date is another person; a confirmed homonym is allowed.
    _open(world, "Lefèvre", birth=dt.date(1990, 1, 1))
    services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=world.adviser,
        opened_on=dt.date(2026, 2, 1),
        intensity=IntensityLevel.objects.first(),
        intensity_reason="homonyme",
        confirmed_distinct=True,
        person_data={
            "birth_name": "Lefevre",
            "first_names": "Paul",
            "sex": "M",
            "birth_date": dt.date(1985, 2, 3),
        },
    )
    assert Person.objects.count() == 3


def test_intake_page_proposes_the_duplicate(client, world, reference):
    existing = _open(world, "Lefèvre").person
    client.force_login(world.adviser)
    data = {
        "birth_name": "LEFEVRE",
        "first_names": "Jean",
        "sex": "M",
        "birth_date": "1985-02-03",
        "branch": world.branch.pk,
        "adviser": world.adviser.pk,
        "opened_on": "2026-03-01",
        "intensity": IntensityLevel.objects.first().pk,
        "intensity_reason": "nouvelle mesure",
    }
    page = client.post(reverse("cases:open"), data).content.decode()
    assert "déjà connue" in page and 'name="existing_person"' in page
    response = client.post(reverse("cases:open"), data | {"existing_person": existing.pk})
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert existing.cases.count() == 2


def test_assignment_moves_the_grant(world, cases):
    case = cases.own
    services.case_assign(
        acting_user=world.director, case=case, adviser=world.colleague, reason="rééquilibrage"
    )
    case.refresh_from_db()
    assert case.adviser == world.colleague
    assert case_access(world.colleague, case) == Access.WRITE
    assert case_access(world.adviser, case) == Access.READ_WITH_REASON
    assert not CaseUserObjectPermission.objects.filter(content_object=case, user=world.adviser)
    assert Notification.objects.filter(recipient=world.colleague).exists()
    assert AccessLog.objects.filter(object_id=str(case.pk), reason="rééquilibrage").exists()
    with pytest.raises(NotAllowed):
        services.case_assign(
            acting_user=world.adviser, case=case, adviser=world.adviser, reason="je le reprends"
        )


def test_substitute_grant_ends_on_its_date(world, cases):
    case = cases.cases["colleague"]
    services._grant(case, world.adviser, until=dt.date(2026, 1, 31))
    assert case_access(world.adviser, case, today=dt.date(2026, 1, 31)) == Access.WRITE
    assert case_access(world.adviser, case, today=dt.date(2026, 2, 1)) == Access.READ_WITH_REASON


def test_probation_gets_its_control_measures_and_a_computed_end(cases):
    measure = cases.measures["own"]
    assert measure.end_date == dt.date(2027, 12, 11)
    automatic = Obligation.objects.filter(measure=measure, automatic=True)
    assert automatic.count() == 6
    assert {o.type.legal_code for o in automatic} == {f"CP 132-44 {n}°" for n in range(1, 7)}


def test_events_recompute_the_end_date(world, cases):
    measure = cases.measures["own"]
    services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.SUSPENSION,
        date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 11),
        decision_reference="JAP 26/12",
    )
    measure.refresh_from_db()
    assert measure.end_date == dt.date(2027, 12, 21)  # suspended 1-10 March, resumed on the 11th
    services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.PROLONGATION,
        date=dt.date(2026, 6, 1),
        months=12,
        decision_reference="JAP 26/40",
    )
    measure.refresh_from_db()
    assert measure.end_date == dt.date(2028, 12, 21)
    with pytest.raises(DomainErrors) as error:  # past the 3-year cap (CPP 743)
        services.measure_event_record(
            acting_user=world.adviser,
            measure=measure,
            kind=legal.EventKind.PROLONGATION,
            date=dt.date(2026, 7, 1),
            months=1,
            decision_reference="JAP 26/41",
        )
    assert "CPP 743" in str(error.value)
    with pytest.raises(DomainErrors):  # early end before one year (CPP 744)
        services.measure_event_record(
            acting_user=world.adviser,
            measure=measure,
            kind=legal.EventKind.EARLY_END,
            date=dt.date(2026, 7, 1),
            decision_reference="JAP 26/42",
        )
    services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.EARLY_END,
        date=dt.date(2027, 1, 4),
        decision_reference="JAP 27/01",
    )
    measure.refresh_from_db()
    assert measure.end_date == dt.date(2027, 1, 4)
    assert measure.status == Measure.Status.ENDED


def test_lift_and_proof(world, cases):
    obligation = cases.obligations["own"]
    services.proof_record(
        acting_user=world.adviser,
        obligation=obligation,
        received_on=dt.date(2026, 1, 10),
        compliant=True,
        period_start=dt.date(2025, 12, 11),
        period_end=dt.date(2026, 1, 10),
    )
    assert Proof.objects.filter(obligation=obligation, compliant=True).count() == 1
    control = Obligation.objects.filter(measure=obligation.measure, automatic=True).first()
    with pytest.raises(SpipError):
        services.obligation_lift(
            acting_user=world.adviser,
            obligation=control,
            lifted_on=dt.date(2026, 2, 1),
            reason="décision du JAP",
        )
    services.obligation_lift(
        acting_user=world.adviser,
        obligation=obligation,
        lifted_on=dt.date(2026, 2, 1),
        reason="décision du JAP du 01/02/2026",
    )
    obligation.refresh_from_db()
    assert obligation.lifted_on == dt.date(2026, 2, 1)


@pytest.mark.parametrize("typed", ["lefevre", "LEFÈVRE", "lefebvre", "Lefèvre Jean"])
def test_search_finds_lefevre(world, reference, typed):
    target = _open(world, "Lefèvre")
    _open(world, "Martin")
    results = case_search(world.adviser, typed)
    assert [case.pk for case in results] == [target.pk]


def test_search_by_case_number(world, reference):
    target = _open(world, "Durand")
    assert [case.pk for case in case_search(world.adviser, target.number)] == [target.pk]


def _people_elsewhere(world, count: int, name: str, *, branch=None) -> None:
    """`count` people called `name`, each with an open case at another branch (or `branch`),
    inserted in one statement (as the country around a branch)."""
    other = branch or Branch.objects.exclude(pk=world.adviser.branch_id).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH people AS (INSERT INTO cases_person (birth_name, usage_name, first_names, sex, "
            "birth_date, birth_place, nationality, aliases, address, phone, email, sms_opt_out) "
            "SELECT %s, '', 'Prénom' || n, 'M', DATE '1950-01-01' + n, '', '', '', '', '', '', "
            "false FROM generate_series(1, %s) AS n RETURNING id) "
            "INSERT INTO cases_case (number, person_id, branch_id, environment, opened_on, "
            "intensity_id, intensity_reason, restricted, version) "
            "SELECT 'X' || id, id, %s, 'open', DATE '2025-01-01', "
            "(SELECT min(id) FROM cases_intensitylevel), '', false, 1 FROM people",
            [name, count, other.pk],
        )
        cursor.execute("ANALYZE cases_person")
        cursor.execute("ANALYZE cases_case")


def test_search_finds_the_own_person_among_thousands_of_namesakes(world, reference):
    # Nationally, "Martin" matches thousands of people: none of them may push the adviser's
    # own Martin out of the results.
    _people_elsewhere(world, 1500, "Martin")
    target = _open(world, "Martin")
    assert [case.pk for case in case_search(world.adviser, "martin")] == [target.pk]


@pytest.mark.parametrize("colleagues", [0, 400])
def test_search_never_reads_every_case_or_person(world, reference, colleagues):
    # The similarity is computed for the branch's people only, however many they are
    # (migration 0013 tells the planner what it costs), never for the whole country.
    _people_elsewhere(world, 6000, "Nom")
    _people_elsewhere(world, colleagues, "Voisin", branch=world.adviser.branch)
    _open(world, "Lefèvre")
    plan = ranked_matches(world.adviser, "lefebvre").values_list("pk", flat=True).explain()
    assert "Seq Scan on cases_case" not in plan, plan
    assert "Seq Scan on cases_person" not in plan, plan


def test_search_terms_never_appear_in_a_url(client, world, reference):
    _open(world, "Lefèvre")
    client.force_login(world.adviser)
    response = client.post(reverse("cases:list"), {"q": "lefevre"})
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/cases/"
    assert not response.request.get("QUERY_STRING")
    page = response.content.decode()
    assert "LEFÈVRE" in page
    assert 'method="post" action="/cases/"' in page
    for href in re.findall(r'href="([^"]*)"', page):
        assert "lefevre" not in href.lower()
    # A term put in the query string is ignored, not searched.
    ignored = client.get(reverse("cases:list") + "?q=zzz&status=closed")
    assert "LEFÈVRE" not in ignored.content.decode()


def _many_cases(world, count: int, *, first: int = 0) -> None:
    care = ObligationType.objects.get(code="care")
    for n in range(first, first + count):
        case = _open(world, f"Personne{n}", birth=dt.date(1980, 1, 1) + dt.timedelta(days=n))
        measure = services.measure_add(
            acting_user=world.adviser,
            case=case,
            court_id=world.branch.court_id,
            terms=legal.MeasureTerms(
                kind=legal.MeasureKind.PROBATION,
                decision_date=dt.date(2025, 12, 1),
                final_date=dt.date(2025, 12, 11),
                start_date=dt.date(2025, 12, 11),
                prison_term_months=6,
                probation_months=24,
            ),
        )
        services.obligation_add(
            acting_user=world.adviser, measure=measure, type=care, imposed_on=measure.start_date
        )


def _queries(client, django_assert_max_num_queries, url: str) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_caseload_and_case_file_query_counts_do_not_grow(
    client, world, reference, django_assert_max_num_queries
):
    _many_cases(world, 10)
    client.force_login(world.adviser)
    case = Case.objects.order_by("id").first()
    few_list = _queries(client, django_assert_max_num_queries, reverse("cases:list"))
    few_file = _queries(client, None, reverse("cases:detail", args=[case.pk]))
    _many_cases(world, 290, first=10)
    measure = case.measures.get()
    for n in range(20):  # a long-followed case: many proofs and events
        Proof.objects.create(
            obligation=measure.obligations.filter(automatic=False).get(),
            received_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            compliant=True,
            recorded_by=world.adviser,
        )
    assert _queries(client, None, reverse("cases:list")) == few_list
    assert _queries(client, None, reverse("cases:detail", args=[case.pk])) == few_file
    # The case file: its own data, then one query per section of the apps (interviews,
    # workshops, reports...) — a fixed budget whatever the size of the case.
    assert few_list <= 12 and few_file <= 25


BAD_INPUT = [
    (
        "cases:measure_add",
        "case",
        {
            "kind": "tig",
            "decision_date": "2026-01-01",
            "start_date": "2026-01-02",
            "recidivism": "none",
            "tig_hours": "401",
        },
        "tig_hours",
        "CP 131-8",
    ),
    (
        "cases:measure_add",
        "case",
        {
            "kind": "probation",
            "decision_date": "2026-01-01",
            "start_date": "2026-01-02",
            "recidivism": "none",
            "prison_term_months": "6",
            "probation_months": "37",
        },
        "probation_months",
        "36 mois",
    ),
    (
        "cases:measure_add",
        "case",
        {
            "kind": "ddse_sentence",
            "decision_date": "2026-01-01",
            "start_date": "2026-01-02",
            "recidivism": "none",
            "ddse_days": "10",
        },
        "ddse_days",
        "15 jours",
    ),
    (
        "cases:measure_add",
        "case",
        {"kind": "probation", "decision_date": "31/02/2026"},
        "decision_date",
        "Saisissez une date valide",
    ),
    (
        "cases:measure_event",
        "measure",
        {
            "kind": "prolongation",
            "date": "2026-05-01",
            "months": "13",
            "decision_reference": "JAP 1",
        },
        "months",
        "CPP 743",
    ),
    (
        "cases:obligation_add",
        "measure",
        {"type": "", "imposed_on": "hier"},
        "type",
        "Ce champ est obligatoire",
    ),
    (
        "cases:obligation_lift",
        "obligation",
        {"lifted_on": "2020-01-01", "reason": "décision"},
        "lifted_on",
        "avant d’avoir été prononcée",
    ),
    (
        "cases:proof_add",
        "obligation",
        {"received_on": "2099-01-01", "compliant": "1"},
        "received_on",
        "date future",
    ),
    (
        "cases:proof_add",
        "obligation",
        {
            "received_on": "2026-01-05",
            "compliant": "1",
            "period_start": "2026-01-05",
            "period_end": "2026-01-01",
        },
        "period_end",
        "doit finir après",
    ),
    ("cases:assign", "case", {"adviser": "", "reason": ""}, "adviser", "Ce champ est obligatoire"),
    (
        "cases:measure_add",
        "case",
        {
            "kind": "ddse_sentence",
            "decision_date": "2026-01-01",
            "start_date": "2026-01-02",
            "recidivism": "none",
            "ddse_days": "40000",
        },
        "ddse_days",
        "inférieure ou égale",
    ),
    (
        "cases:measure_add",
        "case",
        {
            "kind": "probation",
            "decision_date": "9999-01-01",
            "start_date": "9999-01-02",
            "recidivism": "none",
            "prison_term_months": "6",
            "probation_months": "12",
        },
        "decision_date",
        "entre 1900 et 2100",
    ),
    (
        "cases:measure_add",
        "case",
        {
            "kind": "release_under_constraint",
            "decision_date": "2026-01-01",
            "start_date": "2026-01-02",
            "recidivism": "none",
            "total_sentence_days": "900",
            "remaining_term_days": "1000",
        },
        "remaining_term_days",
        "ne peut pas dépasser la peine totale",
    ),
    (
        "cases:measure_event",
        "measure",
        {
            "kind": "suspension",
            "date": "2020-01-01",
            "end_date": "2020-01-02",
            "decision_reference": "JAP",
        },
        "date",
        "ne peut pas précéder son jugement",
    ),
    (
        "cases:obligation_add",
        "measure",
        {"type": "", "imposed_on": "9999-12-31"},
        "imposed_on",
        "entre 1900 et 2100",
    ),
]


@pytest.mark.parametrize(
    "url_name,target,data,field,message", BAD_INPUT, ids=[f"{row[0]}-{row[3]}" for row in BAD_INPUT]
)
def test_bad_input_gets_a_french_error_next_to_the_field(
    client, world, cases, url_name, target, data, field, message
):
    kwargs = {
        "case": {"case_id": cases.own.pk},
        "measure": {"measure_id": cases.measures["own"].pk},
        "obligation": {"obligation_id": cases.obligations["own"].pk},
    }[target]
    if "court" not in data and url_name == "cases:measure_add":
        data = data | {"court": world.branch.court_id}
    client.force_login(world.director)
    before = (Measure.objects.count(), Obligation.objects.count(), Proof.objects.count())
    response = client.post(reverse(url_name, kwargs=kwargs), data)
    assert response.status_code == 200
    page = response.content.decode()
    group = re.search(
        rf'<div class="fr-(?:input|select)-group[^"]*--error[^"]*">\s*<label for="id_{field}"'
        r".*?</div>\s*</div>",
        page,
        re.S,
    )
    assert group, f"no error next to {field}"
    assert message in group.group(0), group.group(0)
    assert (Measure.objects.count(), Obligation.objects.count(), Proof.objects.count()) == before


def test_proof_recorded_in_place_with_htmx(client, world, cases):
    obligation = cases.obligations["own"]
    client.force_login(world.adviser)
    url = reverse("cases:proof_add", args=[obligation.pk])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert form.lstrip().startswith('<tr class="obligation obligation--editing">')
    bad = client.post(
        url, {"received_on": "2099-01-01", "compliant": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "date future" in bad and "<html" not in bad
    today = dt.date.today().isoformat()
    row = client.post(
        url, {"received_on": today, "compliant": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'class="obligation obligation--up_to_date"' in row and "<html" not in row
    assert Proof.objects.filter(obligation=obligation).count() == 1


def test_director_restricts_a_case_from_its_page(client, world, cases):
    case = cases.cases["colleague"]
    client.force_login(world.director)
    url = reverse("cases:restrict", args=[case.pk])
    missing_reason = client.post(url, {"restricted": "on"}).content.decode()
    assert "Ce champ est obligatoire" in missing_reason
    response = client.post(
        url,
        {"restricted": "on", "excluded_staff": [world.secretary.pk], "reason": "affaire sensible"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.restricted and list(case.excluded_staff.all()) == [world.secretary]
    assert case_access(world.adviser, case) == Access.NONE
    assert case_access(world.secretary, case) == Access.NONE
    assert case_access(world.colleague, case) == Access.WRITE
    assert AccessLog.objects.filter(object_id=str(case.pk), reason="affaire sensible").exists()


def test_caseload_filters_and_sorts(client, world, cases, reference):
    tig_case = _open(world, "Travail")
    services.measure_add(
        acting_user=world.adviser,
        case=tig_case,
        court_id=world.branch.court_id,
        terms=legal.MeasureTerms(
            kind=legal.MeasureKind.TIG,
            decision_date=dt.date(2026, 1, 5),
            final_date=dt.date(2026, 1, 15),
            start_date=dt.date(2026, 2, 1),
            tig_hours=70,
            tig_consent=True,
        ),
    )
    client.force_login(world.adviser)
    only_tig = client.get(reverse("cases:list"), {"kind": "tig"}).content.decode()
    assert tig_case.number in only_tig and cases.own.number not in only_tig
    ending = client.get(reverse("cases:list"), {"ends_before": "2027-12-31"}).content.decode()
    assert cases.own.number in ending and tig_case.number in ending
    early = client.get(reverse("cases:list"), {"ends_before": "2027-07-20"}).content.decode()
    assert tig_case.number in early and cases.own.number not in early  # TIG ends 15/07/2027
    by_end = client.get(reverse("cases:list"), {"sort": "end"}).content.decode()
    assert by_end.index(tig_case.number) < by_end.index(cases.own.number)
    bad = client.get(reverse("cases:list"), {"ends_before": "demain", "sort": "?"})
    assert bad.status_code == 200 and "Saisissez une date valide" in bad.content.decode()


def test_intake_never_shows_a_person_the_user_may_not_see(client, world, cases):
    restricted = cases.cases["restricted"].person  # PETIT, 17/05/1990, restricted elsewhere
    for user in (world.other_adviser, world.adviser):
        client.force_login(user)
        data = {
            "birth_name": "petit",
            "first_names": "Alex",
            "sex": "M",
            "birth_date": "1990-05-17",
            "branch": user.branch_id,
            "adviser": user.pk,
            "opened_on": "2026-03-01",
            "intensity": IntensityLevel.objects.first().pk,
            "intensity_reason": "saisine",
        }
        page = client.post(reverse("cases:open"), data).content.decode()
        assert "PETIT" not in page and 'name="existing_person"' not in page
        assert "déjà suivie" in page  # no name, no link: ask the director
        forced = client.post(reverse("cases:open"), data | {"existing_person": restricted.pk})
        assert forced.status_code == 200
    assert restricted.cases.count() == 1
    with pytest.raises(NotAllowed):
        services.case_open(
            acting_user=world.other_adviser,
            branch=world.other_branch,
            person=restricted,
            opened_on=dt.date(2026, 3, 1),
            intensity=IntensityLevel.objects.first(),
            intensity_reason="saisine",
        )


def test_an_excluded_adviser_cannot_be_assigned(world, cases):
    case = cases.cases["colleague"]
    services.case_restrict(
        acting_user=world.director,
        case=case,
        restricted=False,
        excluded_staff=[world.adviser],
        reason="conflit d’intérêts",
    )
    with pytest.raises(SpipError) as error:
        services.case_assign(
            acting_user=world.director, case=case, adviser=world.adviser, reason="renfort"
        )
    assert error.value.field == "adviser"


def test_a_deactivated_adviser_cannot_be_assigned(world, cases):
    world.adviser.is_active = False
    world.adviser.save(update_fields=["is_active"])
    with pytest.raises(SpipError, match="désactivé") as error:
        services.case_assign(
            acting_user=world.director,
            case=cases.cases["colleague"],
            adviser=world.adviser,
            reason="renfort",
        )
    assert error.value.field == "adviser"


def test_a_resumption_closes_an_open_suspension(world, cases):
    measure = cases.measures["own"]
    services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.SUSPENSION,
        date=dt.date(2026, 3, 1),
        decision_reference="JAP 26/12",
    )
    measure.refresh_from_db()
    assert measure.end_date is None
    services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.RESUMPTION,
        date=dt.date(2026, 3, 11),
        decision_reference="JAP 26/15",
    )
    measure.refresh_from_db()
    assert measure.end_date == dt.date(2027, 12, 21)
    assert measure.status == Measure.Status.ACTIVE
    with pytest.raises(DomainErrors):  # nothing left to resume
        services.measure_event_record(
            acting_user=world.adviser,
            measure=measure,
            kind=legal.EventKind.RESUMPTION,
            date=dt.date(2026, 4, 1),
            decision_reference="JAP 26/16",
        )


def test_a_measure_keeps_only_the_durations_of_its_kind(client, world, cases):
    client.force_login(world.adviser)
    response = client.post(
        reverse("cases:measure_add", args=[cases.own.pk]),
        {
            "kind": "probation",
            "court": world.branch.court_id,
            "decision_date": "2026-02-01",
            "start_date": "2026-02-11",
            "recidivism": "none",
            "prison_term_months": "6",
            "probation_months": "12",
            "tig_hours": "100",
            "ddse_days": "30",
        },
    )
    assert response.status_code == 302
    measure = cases.own.measures.order_by("-id").first()
    assert measure.tig_hours is None and measure.ddse_days is None


def test_nightly_status_refresh_follows_the_calendar(world, cases):
    from cases.tasks import refresh_measure_statuses

    measure = cases.measures["own"]  # 11/12/2025 → 11/12/2027
    Measure.objects.filter(pk=measure.pk).update(status=Measure.Status.PENDING)
    assert services.measures_refresh_status(as_of=dt.date(2025, 12, 10)) == 0
    assert services.measures_refresh_status(as_of=dt.date(2025, 12, 11)) >= 1
    measure.refresh_from_db()
    assert measure.status == Measure.Status.ACTIVE
    services.measures_refresh_status(as_of=dt.date(2027, 12, 12))
    measure.refresh_from_db()
    assert measure.status == Measure.Status.ENDED
    assert services.measures_refresh_status(as_of=dt.date(2027, 12, 12)) == 0  # idempotent
    assert refresh_measure_statuses.name in __import__("spip.celery").celery.app.tasks
