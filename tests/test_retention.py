"""The retention purge removes exactly what is past its date, and nothing else: case data
five years after the end of the last measure (anonymised where statistics count the row),
access-log rows after a year; counts only; a second run removes nothing."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import extensions, legal
from cases import services as case_services
from cases import tasks as case_tasks
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
from cases.policy import own_cases, visible_cases
from cases.retention import cases_due, retention_cutoff, retention_purge
from deadlines.models import Alert
from interviews.models import Interview
from interviews.services import paris_datetime
from reporting import services as report_services
from reporting.models import Kind, Proposal, Report
from spip.models import AccessLog, Notification
from tests.test_workshops_fixtures import add_session, make_workshop
from workshops import services as workshop_services
from workshops.models import Attendance, Enrollment

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

ROOT = Path(__file__).resolve().parent.parent
ENDED = dt.date(2026, 6, 30)  # when the measures of a "finished" case ended
DUE = dt.date(2031, 7, 1)  # the first day their case is past five years
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _end(case: Case, on: dt.date = ENDED) -> None:
    """The case's measures ended on `on` (as the nightly status refresh leaves them)."""
    Measure.objects.filter(case=case).update(end_date=on, status=Measure.Status.ENDED)


def _history(obj) -> int:
    return (
        type(obj)._meta.get_field("history").related_model.objects.filter(pgh_obj_id=obj.pk).count()
    )


def _stored(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def _issued_report(world, cases) -> Report:
    case = cases.own
    report = report_services.report_create(
        acting_user=world.adviser,
        case=case,
        measure=cases.measures["own"],
        kind=Kind.END_OF_MEASURE,
        today=dt.date(2026, 11, 30),
    )
    data = {name: getattr(report, name) for name in report_services.DRAFT_FIELDS}
    data |= {
        "judge": "Mme Fontaine",
        "analysis": "M. Martin a trouvé un emploi.",
        "proposal": Proposal.NOTHING,
    }
    report = report_services.report_save(
        acting_user=world.adviser, report=report, version=report.version, changes=data
    )
    report = report_services.report_submit(
        acting_user=world.adviser, report=report, version=report.version
    )
    report = report_services.report_validate(
        acting_user=world.director, report=report, version=report.version
    )
    assert report_services.report_issue(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def full_case(world, cases):
    """The own case with a row in every table that holds something of the person, its
    measure ended on ENDED, and the case closed the day after."""
    case, measure, obligation = cases.own, cases.measures["own"], cases.obligations["own"]
    person = case.person
    Person.objects.filter(pk=person.pk).update(
        usage_name="Dupont",
        birth_place="Vichy",
        nationality="française",
        aliases="Le Grand",
        address="3 rue des Forges, 03100 Montluçon",
        phone="06 12 34 56 78",
        email="alex.martin@example.org",
        sms_opt_out=True,
    )
    event = case_services.measure_event_record(
        acting_user=world.adviser,
        measure=measure,
        kind=legal.EventKind.OBLIGATION_CHANGE,
        date=dt.date(2026, 3, 2),
        decision_reference="JAP Montluçon 2026/117",
        note="Soins addictologiques ajoutés",
    )
    Obligation.objects.filter(pk=obligation.pk).update(details="CSAPA de Montluçon, Dr Hubert")
    proof = case_services.proof_record(
        acting_user=world.adviser,
        obligation=obligation,
        received_on=dt.date(2026, 2, 10),
        compliant=True,
        note="attestation du Dr Hubert",
        file=SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf"),
    )
    placement = cases.placements["own"]
    hours = WorkHours.objects.create(
        placement=placement, date=dt.date(2026, 2, 3), hours=4, validated_by=world.adviser
    )
    incident = Incident.objects.create(
        measure=measure,
        occurred_on=dt.date(2026, 4, 1),
        recorded_by=world.adviser,
        description="Alcoolisé au rendez-vous",
        response=Incident.Response.REMINDER,
    )
    transfer = Transfer.objects.create(
        case=case,
        from_branch=world.other_branch,
        to_branch=world.branch,
        reason="déménagement chez sa sœur",
        transferred_by=world.director,
        transferred_on=dt.date(2026, 1, 6),
    )
    start = paris_datetime(dt.date(2026, 2, 3), dt.time(10, 0))
    interview = Interview.objects.create(
        case=case,
        person=person,
        adviser=world.adviser,
        start=start,
        end=start + dt.timedelta(minutes=45),
        created_by=world.adviser,
        status="held",
        place="domicile, 3 rue des Forges",
        notes="parle de sa dette",
        outcome="RAS",
    )
    workshop = make_workshop(world.director, world.branch)
    session = add_session(world.director, workshop, dt.date(2026, 2, 12))
    enrollment = workshop_services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=case
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(reason="orienté par le CSAPA")
    enrollment.refresh_from_db()
    enrollment.attestation.save("attestation.pdf", ContentFile(PDF))
    attendance = Attendance.objects.create(
        session=session, enrollment=enrollment, status="present", recorded_by=world.adviser
    )
    report = _issued_report(world, cases)
    alert = Alert.objects.create(
        rule="measure_end", case=case, object_id=measure.pk, due_on=dt.date(2026, 6, 30)
    )
    _end(case)
    case_services.case_close(
        acting_user=world.director, case=case, closed_on=dt.date(2026, 7, 1), reason="fin"
    )
    case.refresh_from_db()
    return {
        "person": person,
        "case": case,
        "measure": measure,
        "event": event,
        "obligation": obligation,
        "proof": proof,
        "placement": placement,
        "hours": hours,
        "incident": incident,
        "transfer": transfer,
        "interview": interview,
        "enrollment": enrollment,
        "attendance": attendance,
        "report": report,
        "assessment": cases.assessments["own"],
        "alert": alert,
    }


def test_a_case_past_its_retention_keeps_only_anonymous_rows(
    world, cases, full_case, django_capture_on_commit_callbacks, caplog
):
    rows = full_case
    person, case = rows["person"], rows["case"]
    number = case.number
    files = [rows["proof"].file.name, rows["enrollment"].attestation.name, rows["report"].pdf.name]
    assert all(_stored(name) for name in files)
    tracked = [obj for key, obj in rows.items() if key != "alert"]
    assert all(_history(obj) for obj in tracked)  # every table of the case has history
    # Submitted, validated, issued, closed: each told someone, naming the case's number.
    about = Notification.objects.filter(message__contains=number).count()
    assert about >= 3
    # Another case's notification, whose number starts with this one's, stays.
    other = Notification.objects.create(recipient=world.adviser, message=f"Dossier {number}7")
    assert CaseUserObjectPermission.objects.filter(content_object=case).exists()
    colleague = cases.cases["colleague"]
    colleague_history = _history(colleague)

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.INFO):
        counts = retention_purge(as_of=DUE)

    person.refresh_from_db()
    assert (person.birth_name, person.usage_name, person.first_names) == ("X", "", "X")
    assert person.birth_date == dt.date(1990, 1, 1)
    assert [person.birth_place, person.aliases, person.address, person.phone, person.email] == [
        "",
        "",
        "",
        "",
        "",
    ]
    assert not person.sms_opt_out
    assert (person.sex, person.nationality) == ("M", "française")  # statistics
    case.refresh_from_db()
    assert case.number == f"X-{case.pk}" and case.intensity_reason == ""
    assert case.anonymised_on == DUE
    assert (case.branch, case.opened_on, case.closed_on) == (
        world.branch,
        dt.date(2026, 1, 5),
        dt.date(2026, 7, 1),
    )
    measure = Measure.objects.get(pk=rows["measure"].pk)
    assert (measure.kind, measure.end_date, measure.probation_months) == ("probation", ENDED, 24)
    event = MeasureEvent.objects.get(pk=rows["event"].pk)
    assert (event.kind, event.note, event.decision_reference) == ("obligation_change", "", "")
    obligation = Obligation.objects.get(pk=rows["obligation"].pk)
    assert obligation.details == "" and obligation.type.code == "care"
    placement = WorkPlacement.objects.get(pk=rows["placement"].pk)
    assert (placement.post, placement.tutor) == ("", "")
    assert WorkHours.objects.get(pk=rows["hours"].pk).hours == 4
    incident = Incident.objects.get(pk=rows["incident"].pk)
    assert (incident.description, incident.response) == ("", "reminder")
    assert Transfer.objects.get(pk=rows["transfer"].pk).reason == ""
    interview = Interview.objects.get(pk=rows["interview"].pk)
    assert (interview.place, interview.notes, interview.outcome) == ("", "", "")
    assert interview.status == "held"
    enrollment = Enrollment.objects.get(pk=rows["enrollment"].pk)
    assert (enrollment.reason, enrollment.attestation.name) == ("", "")
    assert Attendance.objects.get(pk=rows["attendance"].pk).status == "present"
    for model, key in [
        (Proof, "proof"),
        (Assessment, "assessment"),
        (Report, "report"),
        (Alert, "alert"),
    ]:
        assert not model.objects.filter(pk=rows[key].pk).exists(), model
    assert not any(_stored(name) for name in files)
    assert not any(_history(obj) for obj in tracked)
    assert not CaseUserObjectPermission.objects.filter(content_object=case).exists()
    assert not Notification.objects.filter(message__contains=number).exclude(pk=other.pk)
    assert Notification.objects.filter(pk=other.pk).exists()

    # Nothing else changed: the colleague's case (still running) keeps everything.
    colleague.refresh_from_db()
    assert colleague.anonymised_on is None and colleague.person.birth_name == "Bernard"
    assert _history(colleague) == colleague_history
    assert Assessment.objects.filter(case=colleague).exists()

    assert counts == {
        "access_grants_deleted": 1,
        "alerts_deleted": 1,
        "assessments_deleted": 1,
        "cases_anonymised": 1,
        "enrollments_anonymised": 1,
        "files_deleted": 3,
        "history_rows_deleted": counts["history_rows_deleted"],
        "interviews_anonymised": 1,
        "notifications_deleted": about,
        "people_anonymised": 1,
        "proofs_deleted": 1,
        "reports_deleted": 1,
    }
    assert counts["history_rows_deleted"] >= len(tracked)
    # The log says what went in counts, and nothing else: no id, number or name.
    logged = [record.getMessage() for record in caplog.records if record.name == "cases.retention"]
    assert logged == [f"retention purge as of {DUE.isoformat()}: {counts}"]


@pytest.mark.parametrize(
    ("as_of", "purged"),
    [(DUE - dt.timedelta(days=2), False), (DUE - dt.timedelta(days=1), False), (DUE, True)],
    ids=["day-before", "five-years-to-the-day", "day-after"],
)
def test_a_case_is_due_the_day_after_five_years(cases, as_of, purged):
    _end(cases.own)
    assert retention_cutoff(as_of) == as_of.replace(year=as_of.year - 5)
    counts = retention_purge(as_of=as_of)
    case = Case.objects.select_related("person").get(pk=cases.own.pk)
    assert (case.anonymised_on is not None) is purged
    assert (case.person.birth_name == "X") is purged
    assert Assessment.objects.filter(case=case).exists() is not purged
    assert counts.get("cases_anonymised", 0) == int(purged)
    assert not Case.objects.exclude(pk=case.pk).filter(anonymised_on__isnull=False).exists()


def test_the_retention_period_is_a_setting(cases, settings):
    _end(cases.own)
    settings.CASE_RETENTION_YEARS = 2
    assert not retention_purge(as_of=dt.date(2028, 6, 30)).get("cases_anonymised")
    assert retention_purge(as_of=dt.date(2028, 7, 1))["cases_anonymised"] == 1


def test_a_case_with_a_measure_not_over_is_kept(world, cases, django_assert_num_queries):
    for case in cases.cases.values():
        _end(case)
    running = {
        "colleague": {"status": Measure.Status.ACTIVE},  # not refreshed yet: kept
        "other_branch": {"status": Measure.Status.SUSPENDED},
        "restricted": {"end_date": None},  # no fixed length
    }
    for situation, change in running.items():
        Measure.objects.filter(pk=cases.measures[situation].pk).update(**change)
    # A second measure, still to start, keeps the excluded case.
    Measure.objects.create(
        case=cases.cases["excluded"],
        kind="probation",
        court=world.branch.court,
        decision_date=dt.date(2031, 5, 1),
        start_date=dt.date(2031, 9, 1),
        probation_months=12,
        end_date=dt.date(2032, 9, 1),
        status=Measure.Status.PENDING,
    )
    # Without measures, a case counts from its closing; an open one is never due.
    closed, still_open = (
        case_services.case_open(
            acting_user=world.director,
            branch=world.branch,
            adviser=world.adviser,
            opened_on=dt.date(2026, 1, 5),
            intensity=cases.own.intensity,
            intensity_reason="évaluation",
            confirmed_distinct=True,
            person_data={
                "birth_name": name,
                "first_names": "Lou",
                "sex": "F",
                "birth_date": dt.date(1995, 2, 3),
            },
        )
        for name in ("Sans Mesure", "Ouvert")
    )
    Case.objects.filter(pk=closed.pk).update(closed_on=ENDED)

    with django_assert_num_queries(1):  # one set-based query
        due = set(cases_due(as_of=DUE).values_list("pk", flat=True))
    assert due == {cases.own.pk, closed.pk}
    assert retention_purge(as_of=DUE)["cases_anonymised"] == 2
    kept = Case.objects.exclude(pk__in=due)
    assert kept.count() == 5 and not kept.filter(anonymised_on__isnull=False).exists()
    assert not Person.objects.filter(cases__in=kept, birth_name="X").exists()
    assert still_open.pk in kept.values_list("pk", flat=True)


def test_a_person_keeps_their_identity_while_another_case_is_kept(world, cases):
    first = cases.own
    person = first.person
    _end(first)
    second = case_services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=world.adviser,
        opened_on=dt.date(2028, 1, 3),
        intensity=first.intensity,
        intensity_reason="récidive",
        person=person,
    )
    Measure.objects.create(
        case=second,
        kind="probation",
        court=world.branch.court,
        decision_date=dt.date(2028, 1, 3),
        start_date=dt.date(2028, 1, 3),
        probation_months=36,
        end_date=dt.date(2031, 1, 3),
        status=Measure.Status.ACTIVE,
    )
    history = _history(person)

    counts = retention_purge(as_of=DUE)
    assert (counts["cases_anonymised"], counts.get("people_anonymised")) == (1, None)
    person.refresh_from_db()
    assert person.birth_name == "Martin" and person.birth_date == dt.date(1990, 5, 17)
    assert _history(person) == history
    second.refresh_from_db()
    assert second.anonymised_on is None

    # Once the second case is past its period too, the identity goes with it.
    Measure.objects.filter(case=second).update(status=Measure.Status.ENDED)
    later = retention_purge(as_of=dt.date(2036, 1, 4))
    assert (later["cases_anonymised"], later["people_anonymised"]) == (1, 1)
    person.refresh_from_db()
    assert (person.birth_name, person.birth_date) == ("X", dt.date(1990, 1, 1))
    assert _history(person) == 0


def _insert_access_log(user, at: dt.datetime) -> int:
    # Backdating a row is itself an UPDATE, which the trigger refuses: insert it directly.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO spip_accesslog (user_id, at, action, object_type, object_id, reason) "
            "VALUES (%s, %s, 'view', 'cases.case', '7', '') RETURNING id",
            [user.pk, at],
        )
        return cursor.fetchone()[0]


def test_access_log_rows_go_after_their_period_and_only_then(world, settings):
    now = timezone.now()
    old = _insert_access_log(world.adviser, now - dt.timedelta(days=366))
    kept = [
        _insert_access_log(world.adviser, now - dt.timedelta(days=364)),
        _insert_access_log(world.adviser, now),
    ]
    assert retention_purge(as_of=timezone.localdate()) == {"access_log_deleted": 1}
    assert set(AccessLog.objects.values_list("pk", flat=True)) == set(kept)
    assert not AccessLog.objects.filter(pk=old).exists()
    # Configurable, and outside the purge a DELETE is still refused by the database.
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    recent = _insert_access_log(world.adviser, now - dt.timedelta(days=31))
    assert retention_purge(as_of=timezone.localdate()) == {"access_log_deleted": 2}
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept[1]]
    assert recent not in AccessLog.objects.values_list("pk", flat=True)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=kept[1]).delete()


def test_a_second_run_removes_nothing(world, cases, full_case, django_capture_on_commit_callbacks):
    _insert_access_log(world.adviser, timezone.now() - dt.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        first = retention_purge(as_of=DUE)
    assert first["cases_anonymised"] == 1 and first["access_log_deleted"] == 1
    snapshot = {
        model: list(model.objects.order_by("pk").values())
        for model in (Person, Case, Measure, Interview, Enrollment, Notification, AccessLog)
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert retention_purge(as_of=DUE) == {}
    assert callbacks == []  # no file to delete
    for model, rows in snapshot.items():
        assert list(model.objects.order_by("pk").values()) == rows, model


def test_a_failed_batch_leaves_everything_in_place(
    cases, full_case, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(case_ids):
        raise RuntimeError("storage unreachable")

    monkeypatch.setattr(extensions, "_purge_hooks", [*extensions._purge_hooks, broken])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        retention_purge(as_of=DUE)
    case = Case.objects.get(pk=full_case["case"].pk)
    assert case.anonymised_on is None and case.person.birth_name == "Martin"
    assert Report.objects.filter(pk=full_case["report"].pk).exists()
    assert _stored(full_case["proof"].file.name) and _stored(full_case["report"].pdf.name)


def test_the_nightly_task_purges_as_of_the_paris_date(cases, full_case):
    # 00:30 in Paris on DUE is still the day before in UTC: the Paris date decides.
    paris = dt.datetime.combine(DUE, dt.time(0, 30), tzinfo=ZoneInfo("Europe/Paris"))
    with time_machine.travel(paris, tick=False):
        counts = case_tasks.retention_purge.apply().get()
    assert counts["cases_anonymised"] == 1
    assert all(isinstance(value, int) for value in counts.values())
    assert Case.objects.get(pk=full_case["case"].pk).anonymised_on == DUE


def test_only_the_purges_declare_themselves_to_the_triggers():
    """The database lets access-log rows and issued reports be deleted only by a
    transaction that declares itself the purge: one function each may do so."""
    declaring = {
        flag: sorted(
            str(path.relative_to(ROOT))
            for app in ("spip", "cases", "deadlines", "interviews", "workshops", "reporting")
            for path in (ROOT / app).rglob("*.py")
            if "migrations" not in path.parts
            and re.search(rf"spip\.{flag}\s*=\s*'on'", path.read_text())
        )
        for flag in ("access_log_purge", "case_purge")
    }
    assert declaring == {
        "access_log_purge": ["spip/services.py"],
        "case_purge": ["reporting/retention.py"],
    }


def test_an_anonymised_case_is_nobodys_file(client_for, world, cases, full_case):
    case = full_case["case"]
    retention_purge(as_of=DUE)
    for user in (world.adviser, world.colleague, world.director, world.secretary):
        assert not visible_cases(user).filter(pk=case.pk).exists()
        assert not own_cases(user).filter(pk=case.pk).exists()
        response = client_for(user).get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 404
    assert visible_cases(world.colleague).filter(pk=cases.cases["colleague"].pk).exists()
