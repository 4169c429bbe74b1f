"""The deadline engine: every rule on the day before, of and after the day its alert appears
(through `as_of`), and past its due date; a sweep run twice creates nothing twice; what
resolves a deadline closes its alert (also right after the change, through the case
recompute); snooze and acknowledgement; the nightly notifications; the weekly digest, once
per week; the home page's query count whatever the number of alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import legal, services
from cases.models import Measure
from cases.selectors import tig_pace
from deadlines import engine
from deadlines import selectors as alert_selectors
from deadlines import services as alert_services
from deadlines.models import Alert, DigestClaim
from interviews.models import Interview
from reporting.models import Kind, Report
from spip.celery import app
from spip.models import AccessLog, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.timedelta(days=1)


def _raised(rule: str, case, as_of: dt.date, object_id: int) -> list[Alert]:
    engine.sweep(as_of=as_of, case_id=case.pk)
    return list(Alert.objects.filter(rule=rule, object_id=object_id, status="open"))


def _measure(world, case, **terms) -> Measure:
    return services.measure_add(
        acting_user=world.director,
        case=case,
        court_id=case.branch.court_id,
        terms=legal.MeasureTerms(**terms),
    )


@dataclass
class Boundary:
    case: object
    object_id: int
    first: dt.date  # the first day the alert is raised
    due: dt.date
    after_due: str  # "overdue", "information" or "closed" the day after the due date


def _first_convocation(world, cases) -> Boundary:
    measure = cases.measures["own"]
    due = measure.decision_date + dt.timedelta(days=45)  # CPP 474
    return Boundary(cases.own, measure.pk, measure.decision_date, due, "overdue")


def _evaluation(world, cases) -> Boundary:
    due = legal.add_months(cases.own.opened_on, 3)
    return Boundary(cases.own, cases.own.pk, due - dt.timedelta(days=30), due, "overdue")


def _annual(world, cases) -> Boundary:
    measure = _measure(
        world,
        cases.own,
        kind=legal.MeasureKind.PROBATION,
        decision_date=dt.date(2025, 12, 1),
        final_date=dt.date(2025, 12, 11),
        start_date=dt.date(2025, 12, 11),
        prison_term_months=6,
        probation_months=36,
    )
    due = legal.add_months(measure.start_date, 12)
    return Boundary(cases.own, measure.pk, due - dt.timedelta(days=30), due, "overdue")


def _end_of_measure(world, cases) -> Boundary:
    measure = cases.measures["own"]
    due = legal.add_months(measure.end_date, -1)
    return Boundary(cases.own, measure.pk, due - dt.timedelta(days=30), due, "overdue")


def _interview_gap(world, cases) -> Boundary:
    due = cases.own.opened_on + dt.timedelta(days=cases.own.intensity.max_interval_days)
    return Boundary(cases.own, cases.own.pk, due - dt.timedelta(days=7), due, "overdue")


def _proof(world, cases) -> Boundary:
    obligation = cases.obligations["own"]
    due = obligation.proof_due_on(None)
    return Boundary(cases.own, obligation.pk, due, due, "overdue")


def _release_review(world, cases) -> Boundary:
    measure = _measure(
        world,
        cases.own,
        kind=legal.MeasureKind.RELEASE_UNDER_CONSTRAINT,
        decision_date=dt.date(2026, 11, 20),
        start_date=dt.date(2027, 11, 1),
        total_sentence_days=900,
        remaining_term_days=300,
        custody_start=dt.date(2026, 3, 1),
    )
    assert measure.status == Measure.Status.PENDING
    due = legal.two_thirds_date(900, dt.date(2026, 3, 1))
    return Boundary(cases.own, measure.pk, due - dt.timedelta(days=30), due, "overdue")


def _tig(world, cases) -> Boundary:
    measure = _measure(
        world,
        cases.own,
        kind=legal.MeasureKind.TIG,
        decision_date=dt.date(2026, 1, 10),
        final_date=dt.date(2026, 1, 20),
        start_date=dt.date(2026, 1, 20),
        tig_hours=100,
        tig_consent=True,
    )
    return Boundary(
        cases.own, measure.pk, measure.end_date - dt.timedelta(days=90), measure.end_date, "overdue"
    )


def _measure_end(world, cases) -> Boundary:
    measure = cases.measures["own"]
    first = measure.end_date - dt.timedelta(days=90)
    return Boundary(cases.own, measure.pk, first, measure.end_date, "closed")


def _early_end(world, cases) -> Boundary:
    measure = cases.measures["own"]
    due = legal.add_months(measure.final_date, 12)  # CPP 744
    return Boundary(cases.own, measure.pk, due, due, "information")


RULES = {
    "first_convocation": _first_convocation,
    "evaluation_report": _evaluation,
    "annual_report": _annual,
    "end_of_measure_report": _end_of_measure,
    "interview_gap": _interview_gap,
    "proof_overdue": _proof,
    "release_review": _release_review,
    "tig_deadline": _tig,
    "measure_end": _measure_end,
    "early_end": _early_end,
}


def test_every_registered_rule_is_tested_and_names_its_source():
    assert {rule.code for rule in engine.rules()} == set(RULES)
    assert all(rule.source and rule.label for rule in engine.rules())


@pytest.mark.parametrize("rule", list(RULES))
def test_rule_boundaries(world, cases, rule):
    boundary = RULES[rule](world, cases)
    case, object_id = boundary.case, boundary.object_id
    assert _raised(rule, case, boundary.first - DAY, object_id) == []
    for day in (boundary.first, boundary.first + DAY):
        if day > boundary.due:
            continue
        (alert,) = _raised(rule, case, day, object_id)
        assert alert.due_on == boundary.due
        assert alert_selectors.urgency(alert, day) in ("information", "later", "soon", "today")
    after = _raised(rule, case, boundary.due + DAY, object_id)
    if boundary.after_due == "closed":
        assert after == []
        assert Alert.objects.get(rule=rule, object_id=object_id).status == "closed"
    else:
        (alert,) = after
        assert alert_selectors.urgency(alert, boundary.due + DAY) == boundary.after_due
        assert alert_selectors.urgency(alert, boundary.due) in ("today", "information")
    # Each day swept raised one alert at most: same object, same due date.
    assert Alert.objects.filter(rule=rule, object_id=object_id).count() == 1


def test_measure_end_is_raised_again_at_each_window(world, cases):
    measure = cases.measures["own"]
    stages = []
    for before in (90, 31, 30, 8, 7, 0):
        day = measure.end_date - dt.timedelta(before)
        (alert,) = _raised("measure_end", cases.own, day, measure.pk)
        stages.append((alert.detail["stage"], alert.acknowledged_at is None))
        alert_services.alert_acknowledge(acting_user=world.adviser, alert=alert)
    # Noted at each stage, it comes back at the next one.
    assert stages == [(90, True), (90, False), (30, True), (30, False), (7, True), (7, False)]


def test_a_missed_tig_deadline_stays_overdue_while_hours_remain(world, cases):
    boundary = _tig(world, cases)
    later = boundary.due + dt.timedelta(days=90)
    (alert,) = _raised("tig_deadline", cases.own, later, boundary.object_id)
    assert (
        alert_selectors.urgency(alert, later) == "overdue" and alert.detail["weekly_pace"] is None
    )
    assert _raised("tig_deadline", cases.own, later + DAY, boundary.object_id) == []


# The measure ends on 28 February 2027: recorded while it runs (its status is set from the
# day it is recorded), then swept at past dates.
@time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=PARIS), tick=False)
def test_annual_report_of_a_measure_started_on_29_february(world, cases):
    from reporting.rules import current_anniversary

    measure = _measure(
        world,
        cases.own,
        kind=legal.MeasureKind.PROBATION,
        decision_date=dt.date(2024, 2, 20),
        final_date=dt.date(2024, 2, 29),
        start_date=dt.date(2024, 2, 29),
        prison_term_months=6,
        probation_months=36,
    )
    for as_of in (dt.date(2025, 1, 29), dt.date(2026, 1, 29), dt.date(2026, 2, 27)):
        (alert,) = _raised("annual_report", cases.own, as_of, measure.pk)
        assert alert.due_on == current_anniversary(measure, as_of) == dt.date(as_of.year, 2, 28)
    assert _raised("annual_report", cases.own, dt.date(2025, 1, 28), measure.pk) == []


def test_tig_alert_gives_hours_remaining_and_weekly_pace(world, cases):
    boundary = _tig(world, cases)
    measure = Measure.objects.get(pk=boundary.object_id)
    placement = services.work_placement_add(
        acting_user=world.adviser,
        measure=measure,
        host=cases.placements["own"].host,
        post="Espaces verts",
        tutor="M. Blanc",
        started_on=dt.date(2026, 2, 1),
    )
    for day, hours in ((2, "7.5"), (3, "8"), (4, "8"), (5, "7"), (6, "7")):
        services.work_hours_record(
            acting_user=world.adviser,
            placement=placement,
            date=dt.date(2026, 2, day),
            hours=Decimal(hours),
        )
    as_of = boundary.first + dt.timedelta(days=10)
    (alert,) = _raised("tig_deadline", cases.own, as_of, measure.pk)
    assert alert.detail["hours_remaining"] == 62.5
    assert Decimal(str(alert.detail["weekly_pace"])) == tig_pace(
        Decimal("62.5"), as_of, measure.end_date
    )
    alert_selectors.decorate(alert, as_of)
    assert alert.description.startswith("62,5 h restantes")


def test_a_sweep_run_twice_creates_nothing_twice(world, cases):
    as_of = dt.date(2027, 11, 20)  # end-of-measure, measure end, early end, proofs…
    first = engine.sweep(as_of=as_of)
    created = sum(count.created for count in first.values())
    assert created >= 4 * len(cases.cases)
    assert Alert.objects.count() == created
    again = engine.sweep(as_of=as_of)
    assert all(count == engine.RuleCounts(0, 0, 0) for count in again.values())
    per_case = engine.sweep(as_of=as_of, case_id=cases.own.pk)
    assert all(count == engine.RuleCounts(0, 0, 0) for count in per_case.values())
    assert Alert.objects.count() == created


def test_the_sweep_writes_no_row_when_nothing_changed(world, cases):
    as_of = dt.date(2027, 11, 20)
    engine.sweep(as_of=as_of)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(xmin::text::bigint) FROM cases_alert")
        (before,) = cursor.fetchone()
        engine.sweep(as_of=as_of)
        cursor.execute("SELECT max(xmin::text::bigint) FROM cases_alert")
        assert cursor.fetchone() == (before,)


def test_proof_received_closes_its_alert(world, cases):
    obligation = cases.obligations["own"]
    due = obligation.proof_due_on(None)
    (alert,) = _raised("proof_overdue", cases.own, due + DAY, obligation.pk)
    services.proof_record(
        acting_user=world.adviser, obligation=obligation, received_on=due + DAY, compliant=True
    )
    assert _raised("proof_overdue", cases.own, due + 2 * DAY, obligation.pk) == []
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.closed_at is not None


def test_interview_held_or_planned_closes_interview_alerts(world, cases):
    case = cases.own
    gap = _interview_gap(world, cases)
    as_of = gap.due + DAY
    engine.sweep(as_of=as_of, case_id=case.pk)
    assert set(Alert.objects.filter(case=case, status="open").values_list("rule", flat=True)) >= {
        "first_convocation",
        "interview_gap",
    }
    start = dt.datetime.combine(as_of - DAY, dt.time(10), PARIS)
    Interview.objects.create(
        case=case,
        person=case.person,
        adviser=world.adviser,
        start=start,
        end=start + dt.timedelta(minutes=45),
        status=Interview.Status.HELD,
        created_by=world.adviser,
    )
    engine.sweep(as_of=as_of, case_id=case.pk)
    still = set(Alert.objects.filter(case=case, status="open").values_list("rule", flat=True))
    assert "first_convocation" not in still and "interview_gap" not in still


def test_report_countersigned_closes_its_alert(world, cases):
    due = legal.add_months(cases.own.opened_on, 3)
    (alert,) = _raised("evaluation_report", cases.own, due, cases.own.pk)
    Report.objects.create(
        case=cases.own,
        measure=cases.measures["own"],
        kind=Kind.EVALUATION,
        court=cases.own.branch.court,
        author=world.adviser,
        status=Report.Status.VALIDATED,
        validator=world.director,
        validated_at=timezone.now(),
    )
    assert _raised("evaluation_report", cases.own, due, cases.own.pk) == []
    alert.refresh_from_db()
    assert alert.status == "closed"


def test_a_report_deadline_long_past_raises_nothing_but_a_raised_one_stays(world, cases):
    due = legal.add_months(cases.own.opened_on, 3)
    long_after = due + dt.timedelta(days=200)
    assert _raised("evaluation_report", cases.own, long_after, cases.own.pk) == []
    _raised("evaluation_report", cases.own, due, cases.own.pk)
    (alert,) = _raised("evaluation_report", cases.own, long_after, cases.own.pk)
    assert alert.due_on == due


def test_case_is_recomputed_right_after_a_change(world, cases, django_capture_on_commit_callbacks):
    obligation = cases.obligations["own"]
    due = obligation.proof_due_on(None)
    _raised("proof_overdue", cases.own, due + DAY, obligation.pk)
    noon = dt.datetime.combine(due + DAY, dt.time(10), PARIS)
    with (
        time_machine.travel(noon, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.proof_record(
            acting_user=world.adviser, obligation=obligation, received_on=due + DAY, compliant=True
        )
    assert not Alert.objects.filter(rule="proof_overdue", status="open").exists()


def test_closing_the_case_closes_its_alerts(world, cases):
    as_of = dt.date(2027, 11, 20)
    engine.sweep(as_of=as_of)
    assert Alert.objects.filter(case=cases.own, status="open").exists()
    cases.own.closed_on = as_of
    cases.own.save(update_fields=["closed_on"])
    engine.sweep(as_of=as_of)
    assert not Alert.objects.filter(case=cases.own, status="open").exists()
    assert Alert.objects.filter(case=cases.cases["colleague"], status="open").exists()


def test_snooze_hides_the_alert_until_its_date(world, cases):
    gap = _interview_gap(world, cases)
    as_of = gap.due + DAY
    (alert,) = _raised("interview_gap", cases.own, as_of, cases.own.pk)
    assert alert in alert_selectors.home_summary(world.adviser, as_of)["first"]
    alert_services.alert_snooze(
        acting_user=world.adviser,
        alert=alert,
        until=as_of + 3 * DAY,
        reason="Personne hospitalisée",
        today=as_of,
    )
    engine.sweep(as_of=as_of + DAY, case_id=cases.own.pk)  # the sweep keeps the snooze
    for day, shown in ((as_of, False), (as_of + 2 * DAY, False), (as_of + 3 * DAY, True)):
        summary = alert_selectors.home_summary(world.adviser, day)
        assert (alert in summary["first"]) is shown, day
        assert summary["groups"][0].count == (1 if shown else 0) + sum(
            1 for a in summary["first"] if a.urgency == "overdue" and a != alert
        )
    listing = alert_selectors.alert_list(alert_selectors.user_alerts(world.adviser, as_of), as_of)
    assert [a.pk for a in listing.snoozed] == [alert.pk]
    # Directors still count it: what waits is theirs to see.
    (row,) = [
        r
        for r in alert_selectors.overdue_by_adviser(world.director, as_of)
        if r.adviser_id == world.adviser.pk
    ]
    assert row.overdue >= 1


def test_snooze_form_errors_keep_the_alert_untouched(client_for, world, cases):
    (alert,) = _raised("interview_gap", cases.own, dt.date(2026, 2, 25), cases.own.pk)
    client = client_for(world.adviser)
    url = reverse("deadlines:snooze", args=[alert.pk])
    response = client.post(url, {"until": "", "reason": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in content
    yesterday = timezone.localdate() - DAY
    response = client.post(url, {"until": yesterday.isoformat(), "reason": "attente"})
    assert "Choisissez une date postérieure à aujourd’hui." in response.content.decode()
    too_far = timezone.localdate() + dt.timedelta(days=200)
    response = client.post(url, {"until": too_far.isoformat(), "reason": "attente"})
    assert "au plus tard" in response.content.decode()
    alert.refresh_from_db()
    assert alert.snoozed_until is None
    until = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        url, {"until": until.isoformat(), "reason": "Hospitalisation", "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    alert.refresh_from_db()
    assert (alert.snoozed_until, alert.snooze_reason, alert.snoozed_by) == (
        until,
        "Hospitalisation",
        world.adviser,
    )
    assert AccessLog.objects.filter(
        user=world.adviser, action="change", object_id=str(cases.own.pk)
    ).exists()
    response = client.post(reverse("deadlines:restore", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.snoozed_until is None and alert.snooze_reason == ""


def test_only_informative_alerts_can_be_acknowledged(client_for, world, cases):
    boundary = _early_end(world, cases)
    (early,) = _raised("early_end", cases.own, boundary.due, boundary.object_id)
    (proof,) = _raised("proof_overdue", cases.own, boundary.due, cases.obligations["own"].pk)
    client = client_for(world.adviser)
    client.post(reverse("deadlines:acknowledge", args=[early.pk]))
    response = client.post(reverse("deadlines:acknowledge", args=[proof.pk]), follow=True)
    assert "Cette échéance se clôt d’elle-même" in response.content.decode()
    early.refresh_from_db()
    proof.refresh_from_db()
    assert early.acknowledged_by == world.adviser and proof.acknowledged_at is None
    listing = alert_selectors.alert_list(
        alert_selectors.user_alerts(world.adviser, boundary.due), boundary.due
    )
    assert [a.pk for a in listing.acknowledged] == [early.pk]
    assert early.pk not in [a.pk for group in listing.groups for a in group.alerts]


def test_nightly_sweep_notifies_each_adviser_once_with_counts(world, cases):
    as_of = dt.date(2027, 11, 20)
    engine.sweep(as_of=as_of)
    assert alert_services.notify_new_alerts(as_of=as_of) == 3  # every adviser
    (note,) = Notification.objects.filter(recipient=world.adviser)
    raised = Alert.objects.filter(case__adviser=world.adviser).exclude(
        rule__in=["measure_end", "early_end"]
    )
    assert note.message.startswith(f"{raised.count()} nouvelles échéances")
    assert note.link == reverse("deadlines:list")
    assert "Martin" not in note.message.upper()
    # A rerun raises nothing new, so nobody is told again.
    engine.sweep(as_of=as_of)
    assert alert_services.notify_new_alerts(as_of=as_of) == 0
    # An alert raised during the day by a case recompute is told the next night.
    services.obligation_add(
        acting_user=world.director,
        measure=cases.measures["own"],
        type=cases.obligations["own"].type,
        imposed_on=dt.date(2027, 10, 1),
    )
    engine.case_refresh(cases.own.pk, as_of=as_of + DAY)
    assert alert_services.notify_new_alerts(as_of=as_of + DAY) == 1
    assert (
        Notification.objects.filter(recipient=world.adviser)
        .first()
        .message.startswith("1 nouvelle échéance")
    )


def test_director_sees_the_deadlines_of_cases_waiting_for_an_adviser(client_for, world, cases):
    from cases.models import Case

    Case.objects.filter(pk=cases.own.pk).update(adviser=None)
    engine.sweep(as_of=timezone.localdate())
    rows = alert_selectors.overdue_by_adviser(world.director, timezone.localdate())
    (waiting,) = [row for row in rows if row.adviser_id is None]
    assert waiting.name == "Dossiers sans conseiller" and waiting.overdue >= 1
    home = client_for(world.director).get(reverse("home")).content.decode()
    assert f'<a class="fr-link" href="{reverse("cases:director_caseloads")}">Dossiers' in home


def _digest_world(world, cases) -> dt.date:
    world.adviser.email = "cpip@justice.example"
    world.adviser.save(update_fields=["email"])
    monday = dt.date(2026, 2, 23)
    engine.sweep(as_of=monday)
    return monday


def test_digest_goes_once_per_week_with_numbers_and_initials_only(world, cases):
    monday = _digest_world(world, cases)
    assert alert_services.digest_send(as_of=monday) == 1
    assert alert_services.digest_send(as_of=monday + DAY) == 0  # same week: already claimed
    (message,) = mail.outbox
    assert message.to == ["cpip@justice.example"]
    assert message.subject == "Vos échéances de la semaine du 23/02/2026"
    assert cases.own.number in message.body and "(AM)" in message.body
    assert "MARTIN" not in message.body.upper()  # no name
    assert "soins" not in message.body.lower()  # no obligation (here a care order)
    assert "http://127.0.0.1:8000/deadlines/" in message.body
    assert DigestClaim.objects.get(recipient=world.adviser, week=monday).sent_at is not None
    assert alert_services.digest_send(as_of=monday + 7 * DAY) == 1
    assert len(mail.outbox) == 2


def test_a_failed_digest_gives_its_claim_back(world, cases, monkeypatch):
    monday = _digest_world(world, cases)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(alert_services, "send_mail", refuse)
    assert alert_services.digest_send(as_of=monday) == 0
    assert not DigestClaim.objects.exists()
    monkeypatch.undo()
    assert alert_services.digest_send(as_of=monday) == 1


def test_digest_task_on_monday_morning(world, cases):
    monday = _digest_world(world, cases)
    from deadlines.tasks import send_digests

    with time_machine.travel(dt.datetime.combine(monday, dt.time(7), PARIS), tick=False):
        assert send_digests.apply().get() == 1
        assert send_digests.apply().get() == 0
    assert len(mail.outbox) == 1


def test_beat_runs_the_sweep_nightly_and_the_digest_on_monday_morning():
    schedule = app.conf.beat_schedule
    sweep = schedule["sweep-deadlines"]
    assert sweep["task"] == "cases.sweep_deadlines"
    assert sweep["schedule"].hour == {1} and sweep["schedule"].minute == {0}
    digest = schedule["send-deadline-digests"]["schedule"]
    assert digest.day_of_week == {1} and min(digest.hour) == 7 and min(digest.minute) == 0
    assert app.conf.timezone == "Europe/Paris"


def _home_queries(client, user, page: str = "home") -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(page))
    assert response.status_code == 200
    return len(queries)


def test_home_query_count_does_not_grow_with_alerts(client, world, cases):
    engine.sweep(as_of=timezone.localdate())
    few = Alert.objects.filter(case__adviser=world.adviser).count()
    adviser_few, director_few = (
        _home_queries(client, world.adviser),
        _home_queries(client, world.director),
    )
    list_few = _home_queries(client, world.adviser, "deadlines:list")
    for number in range(30):
        Alert.objects.create(
            rule="proof_overdue",
            case=cases.own,
            object_id=10_000 + number,
            due_on=timezone.localdate() - dt.timedelta(days=number),
            detail={"label": "Soins"},
        )
    assert Alert.objects.filter(case__adviser=world.adviser).count() == few + 30
    assert _home_queries(client, world.adviser) == adviser_few
    assert _home_queries(client, world.director) == director_few
    assert _home_queries(client, world.adviser, "deadlines:list") == list_few
    # session, user, unread count, session save (3); deadlines: counts and the most urgent
    # (2); interviews: agenda, its workshop sessions, outcomes, reminders (4); reports (1)
    assert adviser_few == 13


def test_home_page_lists_the_advisers_deadlines_by_urgency(client_for, world, cases):
    engine.sweep(as_of=timezone.localdate())
    content = client_for(world.adviser).get(reverse("home")).content.decode()
    assert 'id="home-deadlines"' in content
    overdue = Alert.objects.filter(case__adviser=world.adviser, due_on__lt=timezone.localdate())
    overdue = overdue.exclude(rule__in=["measure_end", "early_end"]).count()
    assert f"En retard : {overdue}" in content
    alert = Alert.objects.filter(case=cases.own, rule="first_convocation").get()
    assert f'id="alert-{alert.pk}"' in content
    assert reverse("interviews:schedule_for_case", args=[cases.own.pk]) in content
    director = client_for(world.director).get(reverse("home")).content.decode()
    assert f'href="{reverse("deadlines:adviser", args=[world.adviser.pk])}"' in director
