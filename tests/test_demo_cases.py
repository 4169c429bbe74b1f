"""`seed_demo` adds the demo case files (`cases.demo`): current, lawful, realistic, and once.

Seeding 685 files through the services takes a while, so the module seeds once, inside a
transaction rolled back when the module ends; each test runs in a savepoint within it.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

import django.apps
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.test import override_settings
from django.utils import timezone

from cases import legal
from cases.demo import identities
from cases.models import Case, Measure, MeasureEvent, Obligation, Person, Proof
from cases.policy import visible_cases
from cases.reference import CONTROL_CODES, load_reference_data
from spip.models import AccessLog, Branch, Role, User

pytestmark = pytest.mark.django_db

MODELS = [Person, Case, Measure, MeasureEvent, Obligation, Proof, AccessLog]
# Ranges ARCEP reserves for fiction: a demo reminder must never reach a real phone.
FICTION_RANGES = ("06 39 98 ", "04 65 71 ")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@dataclass(frozen=True)
class Demo:
    today: date
    counts: dict[str, int]
    montlucon: Branch


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        # Transactional tests elsewhere empty the reference tables the migration filled.
        load_reference_data(django.apps.apps)
        call_command("seed_demo", stdout=io.StringIO())
        yield Demo(
            today=timezone.localdate(),
            counts=_counts(),
            montlucon=Branch.objects.get(name="Montluçon"),
        )
        transaction.set_rollback(True)


def test_seed_demo_twice_creates_no_case_file_twice(demo):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == demo.counts
    assert f"0 created, {len(identities())} already there" in out.getvalue()


def test_seed_demo_recreates_only_the_missing_files(demo):
    missing = list(Person.objects.filter(cases__branch=demo.montlucon).order_by("id")[:3])
    followed_by = {
        (p.birth_name, p.first_names, p.birth_date): p.cases.get().adviser for p in missing
    }
    Case.objects.filter(person__in=missing).delete()
    Person.objects.filter(pk__in=[p.pk for p in missing]).delete()

    call_command("seed_demo", stdout=io.StringIO())

    counts = _counts()
    assert counts.pop("AccessLog") > demo.counts["AccessLog"]
    assert counts == {name: n for name, n in demo.counts.items() if name != "AccessLog"}
    for (birth_name, first_names, birth_date), adviser in followed_by.items():
        person = Person.objects.get(
            birth_name=birth_name, first_names=first_names, birth_date=birth_date
        )
        assert person.cases.get().adviser == adviser


def test_montlucon_has_475_open_cases_over_its_seven_advisers(demo):
    advisers = set(
        User.objects.filter(role=Role.ADVISER, branch=demo.montlucon).values_list(
            "username", flat=True
        )
    )
    loads = Counter(
        Case.objects.filter(branch=demo.montlucon, closed_on__isnull=True).values_list(
            "adviser__username", flat=True
        )
    )
    assert sum(loads.values()) == 475
    assert set(loads) == advisers and len(advisers) == 7
    assert all(60 <= load <= 75 for load in loads.values()), loads
    for name in ["Moulins-Yzeure", "Cusset"]:
        cases = Case.objects.filter(branch__name=name, closed_on__isnull=True)
        assert 0 < cases.count() < 475
        assert not cases.exclude(adviser__branch__name=name).exists()


def test_every_case_has_an_intensity_with_its_reason_and_a_creation_log(demo):
    assert not Case.objects.filter(intensity_reason="").exists()
    assert Case.objects.values("intensity").distinct().count() > 1
    # The control measures come with their measure, logged as one creation.
    created = [
        Person.objects.all(),
        Case.objects.all(),
        Measure.objects.all(),
        Obligation.objects.filter(automatic=False),
        Proof.objects.all(),
    ]
    for rows in created:
        logged = AccessLog.objects.filter(
            action=AccessLog.Action.CREATE, object_type=rows.model._meta.label_lower
        ).values_list("object_id", flat=True)
        assert {str(pk) for pk in rows.values_list("pk", flat=True)} <= set(logged), rows.model


def test_measures_are_lawful_current_with_computed_end_dates(demo):
    kinds: Counter[str] = Counter()
    for measure in Measure.objects.prefetch_related("events"):
        kinds[measure.kind] += 1
        terms = legal.MeasureTerms.from_obj(measure)
        events = [legal.Event.from_obj(event) for event in measure.events.all()]
        assert legal.validate_terms(terms) == [], measure.pk
        assert measure.end_date == legal.compute_end_date(terms, events), measure.pk
        if measure.end_date is None:
            no_fixed_end = measure.kind == legal.MeasureKind.JUDICIAL_CONTROL or (
                measure.kind == legal.MeasureKind.SOCIO_JUDICIAL
                and measure.socio_judicial_years is None
            )
            in_custody = any(
                e.kind == legal.EventKind.SUSPENSION and e.end_date is None for e in events
            )
            assert no_fixed_end or in_custody, measure.pk
        else:
            assert measure.end_date >= demo.today, measure.pk
    probation = kinds[legal.MeasureKind.PROBATION] + kinds[legal.MeasureKind.PROBATION_REINFORCED]
    assert 0.45 < probation / kinds.total() < 0.65
    assert kinds.most_common(1)[0][0] == legal.MeasureKind.PROBATION
    assert set(kinds) >= {
        legal.MeasureKind.TIG,
        legal.MeasureKind.DDSE_SENTENCE,
        legal.MeasureKind.PAROLE,
        legal.MeasureKind.SEMI_LIBERTY,
        legal.MeasureKind.OUTSIDE_PLACEMENT,
        legal.MeasureKind.SOCIO_JUDICIAL,
        legal.MeasureKind.COURSE,
        legal.MeasureKind.RELEASE_UNDER_CONSTRAINT,
    }
    events = set(MeasureEvent.objects.values_list("kind", flat=True))
    assert {legal.EventKind.SUSPENSION, legal.EventKind.PROLONGATION} <= events


def test_probation_type_measures_carry_control_measures_and_one_to_three_obligations(demo):
    measures = Measure.objects.filter(kind__in=legal.CONTROL_MEASURE_KINDS).annotate(
        special=Count("obligations", filter=Q(obligations__automatic=False)),
        control=Count("obligations", filter=Q(obligations__automatic=True)),
    )
    assert measures.exists()
    for measure in measures:
        assert 1 <= measure.special <= 3, measure.pk
        assert measure.control == len(CONTROL_CODES), measure.pk
    codes = set(Obligation.objects.values_list("type__code", flat=True))
    assert {"care", "work-training", "compensation", "residence", "no-contact"} <= codes


def test_most_proofs_are_up_to_date_some_overdue_a_few_not_compliant(demo):
    today = demo.today
    checked = Obligation.objects.filter(
        check_interval_days__isnull=False, lifted_on__isnull=True, imposed_on__lte=today
    ).annotate(last=Max("proofs__received_on"))
    overdue = [o for o in checked if o.proof_due_on(o.last) < today]
    up_to_date = [o for o in checked if o.last and o.proof_due_on(o.last) >= today]
    assert overdue and len(up_to_date) > 3 * len(overdue)
    latest = {}
    for proof in Proof.objects.order_by("obligation", "-received_on", "-id"):
        latest.setdefault(proof.obligation_id, proof)
    not_compliant = [proof for proof in latest.values() if not proof.compliant]
    assert 0 < len(not_compliant) < len(latest) / 5
    assert not Proof.objects.filter(received_on__gt=today).exists()
    assert not Proof.objects.filter(obligation__type__proof_expected=False).exists()
    assert not Proof.objects.exclude(recorded_by=F("obligation__measure__case__adviser")).exists()


def test_restricted_and_excluded_cases_are_hidden_from_colleagues(demo):
    director = User.objects.get(role=Role.DIRECTOR, directed_branches=demo.montlucon)
    restricted = list(Case.objects.filter(branch=demo.montlucon, restricted=True))
    assert restricted
    for case in restricted:
        colleague = User.objects.filter(role=Role.ADVISER, branch=demo.montlucon).exclude(
            pk=case.adviser_id
        )[0]
        assert visible_cases(case.adviser).filter(pk=case.pk).exists()
        assert visible_cases(director).filter(pk=case.pk).exists()
        assert not visible_cases(colleague).filter(pk=case.pk).exists()
    excluded = Case.objects.filter(excluded_staff__isnull=False).distinct()
    assert excluded.exists()
    for case in excluded:
        for colleague in case.excluded_staff.all():
            assert colleague.branch_id == case.branch_id and colleague != case.adviser
            assert not visible_cases(colleague).filter(pk=case.pk).exists()
        assert visible_cases(case.adviser).filter(pk=case.pk).exists()
    assert visible_cases(director).filter(branch=demo.montlucon).count() == 475


def test_people_are_fictitious_adults_found_by_name_without_accents(demo):
    youngest = Person.objects.order_by("-birth_date").values_list("birth_date", flat=True)[0]
    assert legal.add_months(youngest, 18 * 12) <= demo.today  # minors are followed by the PJJ
    phones = Person.objects.exclude(phone="").values_list("phone", flat=True)
    assert phones and all(phone.startswith(FICTION_RANGES) for phone in phones)
    assert Person.objects.filter(sms_opt_out=True).exists()
    assert Person.objects.filter(sms_opt_out=False).exclude(phone="").exists()

    def found(term: str) -> set[str]:
        return set(
            Person.objects.filter(search_name__contains=term).values_list("birth_name", flat=True)
        )

    assert {"Lefèvre", "Lefebvre", "Bénard", "Gérard", "Chénier"} <= found("")
    assert "Lefèvre" in found("lefevre") and "Lefebvre" not in found("lefevre")
    assert {"Müller", "Muller"} <= found("muller")
    assert {"Bénard", "Chénier"} <= found("benard") | found("chenier")
