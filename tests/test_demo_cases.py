"""`seed_demo` adds the demo case files (`cases.demo`): current, lawful, realistic, and once.

Seeding 685 files through the services takes a while, so the module seeds once, inside a
transaction rolled back when the module ends; each test runs in a savepoint within it.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import django.apps
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.test import override_settings
from django.utils import timezone

from cases import legal
from cases.allocation import allocation_page, unassigned_queue
from cases.demo import QUEUE_SIZE, SUBSTITUTION, TRANSFERS, identities, transferred
from cases.models import (
    Assessment,
    Case,
    CaseUserObjectPermission,
    Incident,
    Measure,
    MeasureEvent,
    Obligation,
    Person,
    Proof,
    Transfer,
    WorkHours,
    WorkPlacement,
)
from cases.policy import Access, case_access, visible_cases
from cases.reference import CONTROL_CODES, load_reference_data
from cases.selectors import tig_pace
from spip.models import AccessLog, Branch, Notification, Partner, Role, User
from spip.workdays import week_start

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

MODELS = [
    Person,
    Case,
    Measure,
    MeasureEvent,
    Obligation,
    Proof,
    WorkPlacement,
    WorkHours,
    Assessment,
    Incident,
    Transfer,
    CaseUserObjectPermission,
    Partner,
    Notification,
    AccessLog,
]
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
    work = next(line for line in out.getvalue().splitlines() if "case work" in line)
    assert {word for word in work.split() if word.isdigit()} == {"0"}, work


def test_seed_demo_recreates_only_the_missing_files(demo):
    absent = User.objects.get(username=SUBSTITUTION[0])
    # Files with every kind of case work: community work on leave, assessed with an
    # incident, transferred and assigned at the receiving branch.
    placed = Case.objects.filter(measures__placements__hours__isnull=False, adviser=absent)
    assessed = Case.objects.filter(
        assessments__isnull=False, measures__incidents__isnull=False, transfers__isnull=True
    )
    moved = Case.objects.filter(transfers__isnull=False, adviser__isnull=False)
    chosen = [rows.order_by("id").first() for rows in (placed, assessed, moved)]
    missing = [case.person for case in chosen]

    def work(case: Case) -> tuple:
        return (
            case.branch_id,
            case.adviser_id,
            sorted(WorkHours.objects.filter(placement__measure__case=case).values_list("hours")),
            list(case.assessments.values_list("assessed_on", "plan")),
            list(Incident.objects.filter(measure__case=case).values_list("response", flat=True)),
            list(case.transfers.values_list("to_branch", "reason")),
            sorted(
                CaseUserObjectPermission.objects.filter(content_object=case).values_list(
                    "user", "valid_until"
                )
            ),
        )

    before = {(p.birth_name, p.first_names, p.birth_date): work(p.cases.get()) for p in missing}
    assert len(before) == 3
    Case.objects.filter(person__in=missing).delete()
    Person.objects.filter(pk__in=[p.pk for p in missing]).delete()

    call_command("seed_demo", stdout=io.StringIO())

    counts = _counts()
    # The recreated files are logged, and told to whom they were transferred or lent again.
    for grown in ["AccessLog", "Notification"]:
        assert counts.pop(grown) > demo.counts[grown]
    assert counts == {
        name: n for name, n in demo.counts.items() if name not in ("AccessLog", "Notification")
    }
    for (birth_name, first_names, birth_date), was in before.items():
        person = Person.objects.get(
            birth_name=birth_name, first_names=first_names, birth_date=birth_date
        )
        assert work(person.cases.get()) == was


def test_montlucon_has_475_open_cases_over_its_seven_advisers(demo):
    advisers = set(
        User.objects.filter(role=Role.ADVISER, branch=demo.montlucon).values_list(
            "username", flat=True
        )
    )
    loads = Counter(
        Case.objects.filter(
            branch=demo.montlucon, closed_on__isnull=True, adviser__isnull=False
        ).values_list("adviser__username", flat=True)
    )
    # 475 people followed at Montluçon, less the files it transferred to other branches.
    assert sum(loads.values()) == 475 - len(TRANSFERS)
    assert set(loads) == advisers and len(advisers) == 7
    assert all(60 <= load <= 75 for load in loads.values()), loads
    for name in ["Moulins-Yzeure", "Cusset"]:
        cases = Case.objects.filter(branch__name=name, closed_on__isnull=True)
        assert 0 < cases.count() < 475
        followed = cases.filter(adviser__isnull=False)
        assert not followed.exclude(adviser__branch__name=name).exists()
        # Only files just transferred in wait for the receiving director.
        assert not cases.filter(adviser__isnull=True, transfers__isnull=True).exists()


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
        WorkPlacement.objects.all(),
        WorkHours.objects.all(),
        Assessment.objects.all(),
        Incident.objects.all(),
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
    # Recorded by the adviser who followed the case then: for a transferred file, at the
    # branch it left.
    stayed = Proof.objects.filter(obligation__measure__case__transfers__isnull=True)
    assert not stayed.exclude(recorded_by=F("obligation__measure__case__adviser")).exists()
    moved = Proof.objects.filter(obligation__measure__case__transfers__isnull=False)
    assert not moved.exclude(
        recorded_by__branch=F("obligation__measure__case__transfers__from_branch")
    ).exists()


def test_restricted_and_excluded_cases_are_hidden_from_colleagues(demo):
    director = User.objects.get(role=Role.DIRECTOR, directed_branches=demo.montlucon)
    restricted = list(Case.objects.filter(branch=demo.montlucon, restricted=True))
    assert restricted
    for case in restricted:
        # Not the colleague standing in for the adviser on leave: they may open it.
        colleague = (
            User.objects.filter(role=Role.ADVISER, branch=demo.montlucon)
            .exclude(pk=case.adviser_id)
            .exclude(caseuserobjectpermission__content_object=case)
            .order_by("id")[0]
        )
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
    assert visible_cases(director).filter(branch=demo.montlucon).count() == (
        475 - len(TRANSFERS) + QUEUE_SIZE
    )


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


def test_most_tig_sentences_are_placed_with_a_community_work_host(demo):
    tig = Measure.objects.filter(kind=legal.MeasureKind.TIG)
    placed = tig.filter(placements__isnull=False).distinct()
    assert placed.count() > 0.75 * tig.count()
    assert not WorkPlacement.objects.exclude(measure__kind=legal.MeasureKind.TIG).exists()
    placements = WorkPlacement.objects.select_related("host", "measure__case__branch")
    for placement in placements:
        assert placement.host.kind == Partner.Kind.TIG_HOST, placement.pk
        assert placement.host.department_id == placement.measure.case.branch.department_id
        assert placement.started_on >= placement.measure.decision_date, placement.pk
        assert placement.post and placement.tutor
    # Each branch places people with its own hosts.
    hosts = {(p.measure.case.branch.name, p.host.name) for p in placements}
    assert len({branch for branch, _ in hosts}) == 3 and len(hosts) > 5


def test_tig_hours_never_exceed_the_hours_ordered_some_on_pace_some_behind(demo):
    today = demo.today
    assert WorkHours.objects.exists()
    assert not WorkHours.objects.filter(date__gt=today).exists()
    assert not WorkHours.objects.filter(date__lt=F("placement__started_on")).exists()
    assert not WorkHours.objects.filter(Q(hours__lte=0) | Q(hours__gt=24)).exists()
    stayed = WorkHours.objects.filter(placement__measure__case__transfers__isnull=True)
    assert not stayed.exclude(validated_by=F("placement__measure__case__adviser")).exists()
    on_pace = behind = 0
    placed = Measure.objects.annotate(
        done=Sum("placements__hours__hours"), started_on=Min("placements__started_on")
    ).filter(started_on__isnull=False)
    for measure in placed:
        done = measure.done or Decimal(0)
        assert done <= measure.tig_hours, measure.pk
        running = measure.started_on < today < measure.end_date
        if not running or not 0 < done < measure.tig_hours:
            continue
        # The weekly pace still needed, against the pace the whole sentence needed.
        needed = tig_pace(measure.tig_hours - done, today, measure.end_date)
        planned = tig_pace(Decimal(measure.tig_hours), measure.started_on, measure.end_date)
        assert needed and planned, measure.pk
        on_pace += needed <= planned * Decimal("1.2")
        behind += needed >= planned * Decimal("1.5")
    assert on_pace > 20 and behind > 10, (on_pace, behind)


MEDICAL_WORDS = (
    "diagnostic",
    "traitement",
    "médicament",
    "pathologie",
    "dépression",
    "psychiatr",
    "méthadone",
    "subutex",
    "vih",
    "hépatite",
    "ordonnance",
    "maladie",
)


def test_about_half_the_files_have_an_assessment_some_two(demo):
    cases = Case.objects.annotate(assessments_count=Count("assessments"))
    assessed = cases.filter(assessments_count__gt=0).count()
    assert 0.35 < assessed / cases.count() < 0.65
    assert cases.filter(assessments_count=2).exists()
    assessments = Assessment.objects.select_related("case")
    assert not assessments.filter(assessed_on__gt=demo.today).exists()
    assert not assessments.filter(assessed_on__lt=F("case__opened_on")).exists()
    assert not assessments.exclude(review_on__gt=F("assessed_on")).exists()
    stayed = assessments.filter(case__transfers__isnull=True)
    assert not stayed.exclude(author=F("case__adviser")).exists()
    for assessment in assessments:
        assert assessment.plan and assessment.housing and assessment.relation_to_offence
        # Attendance of care only: never anything medical.
        health = assessment.health_followup.lower()
        assert not any(word in health for word in MEDICAL_WORDS), assessment.health_followup
    # A later assessment keeps the earlier one as it was, and changes some of it.
    for case in cases.filter(assessments_count=2)[:20]:
        later, earlier = case.assessments.all()
        assert later.assessed_on > earlier.assessed_on
        assert later.plan != earlier.plan and later.family == earlier.family


def test_incidents_on_about_a_tenth_of_the_measures_on_the_ladder(demo):
    measures = Measure.objects.count()
    with_incidents = Measure.objects.filter(incidents__isnull=False).distinct().count()
    assert 0.05 < with_incidents / measures < 0.15
    assert set(Incident.objects.values_list("response", flat=True)) == set(Incident.Response)
    assert not Incident.objects.filter(occurred_on__gt=demo.today).exists()
    assert not Incident.objects.filter(occurred_on__lt=F("measure__start_date")).exists()
    assert (
        not Incident.objects.exclude(obligation__isnull=True)
        .exclude(obligation__measure=F("measure"))
        .exists()
    )
    assert Incident.objects.filter(obligation__isnull=False).exists()
    # Several incidents on one measure climb the ladder: a response never goes back down.
    ladder = list(Incident.Response)
    responses: dict[int, list[int]] = {}
    for incident in Incident.objects.order_by("measure", "occurred_on", "id"):
        responses.setdefault(incident.measure_id, []).append(ladder.index(incident.response))
    assert any(len(steps) > 1 for steps in responses.values())
    assert all(steps == sorted(steps) for steps in responses.values()), responses


def test_three_montlucon_files_transferred_with_their_old_grants_revoked(demo):
    transfers = Transfer.objects.select_related("case", "to_branch", "transferred_by")
    assert transfers.count() == len(TRANSFERS) == len(transferred(identities()))
    directrice = User.objects.get(username="directrice")
    receiving = User.objects.get(username="dpip.moulins")
    for transfer in transfers:
        case = transfer.case
        assert transfer.from_branch == demo.montlucon and case.branch == transfer.to_branch
        assert transfer.transferred_by == directrice and transfer.reason
        assert case_access(directrice, case) == Access.NONE
        assert case_access(receiving, case) == Access.WRITE
        # Its Montluçon adviser recorded its past work and no longer reaches it.
        author = case.assessments.values_list("author", flat=True).first()
        for former in User.objects.filter(branch=demo.montlucon, role=Role.ADVISER):
            assert case_access(former, case) == Access.NONE, (case.pk, former)
        if author is not None:
            assert User.objects.get(pk=author).branch == demo.montlucon
        notices = Notification.objects.filter(recipient=receiving, message__contains=case.number)
        assert notices.exists()
        if case.adviser is not None:
            assert case.adviser.branch == transfer.to_branch
    assigned = transfers.filter(case__adviser__isnull=False).count()
    assert 0 < assigned < len(TRANSFERS)  # the others wait in the receiving queue
    assert unassigned_queue(receiving, as_of=demo.today).count() == len(TRANSFERS) - assigned


def test_montlucon_queue_of_recent_referrals_nobody_follows_yet(demo):
    directrice = User.objects.get(username="directrice")
    queue = list(unassigned_queue(directrice, as_of=demo.today))
    assert len(queue) == QUEUE_SIZE
    for case in queue:
        assert case.branch == demo.montlucon and case.measure_kinds, case.pk
        assert demo.today - case.opened_on < timedelta(days=140), case.pk
        assert not CaseUserObjectPermission.objects.filter(content_object=case).exists()
        assert not Proof.objects.filter(obligation__measure__case=case).exists()
        assert not case.assessments.exists()
        opened = AccessLog.objects.get(
            action=AccessLog.Action.CREATE, object_type="cases.case", object_id=str(case.pk)
        )
        assert opened.user == directrice
    page = allocation_page(directrice, as_of=demo.today)
    assert page.queue_total == QUEUE_SIZE and len(page.advisers) == 7
    assert all(item.load > 0 for item in page.advisers)
    assert all(case.adviser_choices for case in page.queue)


def test_an_adviser_on_leave_has_a_substitute_until_a_date(demo):
    absent = User.objects.get(username=SUBSTITUTION[0])
    substitute = User.objects.get(username=SUBSTITUTION[1])
    grants = CaseUserObjectPermission.objects.filter(user=substitute, valid_until__isnull=False)
    assert grants.count() == Case.objects.filter(adviser=absent, closed_on__isnull=True).count()
    until = grants.values_list("valid_until", flat=True).distinct().get()
    assert until > demo.today
    case = grants.first().content_object
    assert case_access(substitute, case, today=until) == Access.WRITE
    assert case_access(substitute, case, today=until + timedelta(days=1)) < Access.WRITE
    page = allocation_page(User.objects.get(username="directrice"), as_of=demo.today)
    assert [(s.absent, s.substitute, s.until) for s in page.substitutions] == [
        (absent, substitute, until)
    ]


def test_interviews_have_a_history_and_every_montlucon_adviser_an_agenda(demo):
    from interviews.models import Interview
    from interviews.selectors import outcomes_to_log

    statuses = Counter(Interview.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert total > 3000
    assert statuses["held"] / total > 0.6
    assert statuses["missed"] > 0.05 * total and statuses["excused"] > 0.03 * total
    monday = week_start(demo.today)
    advisers = User.objects.filter(role=Role.ADVISER, branch=demo.montlucon, is_active=True)
    for adviser in advisers:
        for week in (monday, monday + timedelta(days=7)):
            planned = Interview.objects.filter(
                adviser=adviser, start__date__gte=week, start__date__lt=week + timedelta(days=7)
            )
            assert planned.count() >= 10, (adviser.username, week)
        # Notes only on interviews that were held; nobody's interview is with a stranger.
        assert (
            not Interview.objects.filter(adviser=adviser)
            .exclude(case__branch=demo.montlucon)
            .exists()
        )
    assert not Interview.objects.exclude(status="held").exclude(notes="").exists()
    # Two past interviews per adviser wait for their outcome ("outcomes to log").
    for adviser in advisers:
        assert outcomes_to_log(adviser).count() >= 2, adviser.username
