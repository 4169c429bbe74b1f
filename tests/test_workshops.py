"""Workshops: enrolment without overbooking, the waiting list, attendance, completion with
its attestation and proof, absences on the case, and the pages' query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Incident, ObligationType, Proof
from spip import queueing
from spip.exceptions import NotAllowed, SpipError
from spip.models import AccessLog, Notification
from tests.pdfs import pdf_text
from tests.test_workshops_fixtures import add_session, make_workshop, workshops_fixture  # noqa: F401
from workshops import services, tasks
from workshops.models import Attendance, Enrollment

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _open_case(world, name: str, adviser=None):
    from cases.models import IntensityLevel

    return case_services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=adviser or world.adviser,
        opened_on=dt.date(2026, 1, 5),
        intensity=IntensityLevel.objects.get(code="standard"),
        intensity_reason="évaluation",
        person_data={
            "birth_name": name,
            "first_names": "Sam",
            "sex": "M",
            "birth_date": dt.date(1988, 2, 3),
        },
    )


def test_enrolment_waitlists_once_the_places_are_taken(world, cases, workshops):
    workshop = workshops.workshop
    workshop.capacity = 2
    workshop.save(update_fields=["capacity"])
    second = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=_open_case(world, "Garcia")
    )
    third = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=_open_case(world, "Lopez")
    )
    assert workshops.enrollment.status == Enrollment.Status.ENROLLED
    assert second.status == Enrollment.Status.ENROLLED
    assert third.status == Enrollment.Status.WAITLISTED
    with pytest.raises(SpipError, match="déjà inscrite|already enrolled"):
        services.enrollment_create(acting_user=world.adviser, workshop=workshop, case=cases.own)


def test_only_the_cases_adviser_enrols_and_only_at_their_branch(world, cases, workshops):
    with pytest.raises(NotAllowed):  # read-only on a colleague's case
        services.enrollment_create(
            acting_user=world.adviser, workshop=workshops.workshop, case=cases.cases["colleague"]
        )
    with pytest.raises(SpipError):
        services.enrollment_create(
            acting_user=world.other_adviser,
            workshop=workshops.workshop,
            case=cases.cases["other_branch"],
        )


def test_a_freed_place_promotes_the_first_waiting_and_tells_their_adviser(world, cases, workshops):
    workshop = workshops.workshop
    workshop.capacity = 1
    workshop.save(update_fields=["capacity"])
    first_waiting = services.enrollment_create(
        acting_user=world.colleague,
        workshop=workshop,
        case=_open_case(world, "Garcia", adviser=world.colleague),
    )
    second_waiting = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=_open_case(world, "Lopez")
    )
    assert first_waiting.status == second_waiting.status == Enrollment.Status.WAITLISTED
    services.enrollment_drop(
        acting_user=world.adviser, enrollment=workshops.enrollment, reason="a trouvé un emploi"
    )
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    workshops.enrollment.refresh_from_db()
    assert workshops.enrollment.status == Enrollment.Status.DROPPED
    assert workshops.enrollment.reason == "a trouvé un emploi"
    assert first_waiting.status == Enrollment.Status.ENROLLED
    assert second_waiting.status == Enrollment.Status.WAITLISTED
    note = Notification.objects.get(recipient=world.colleague)
    assert first_waiting.case.number in note.message
    assert note.link == f"/workshops/{workshop.pk}/"
    assert not Notification.objects.filter(recipient=world.adviser).exists()


def _course_with_obligation(world, cases):
    obligation = case_services.obligation_add(
        acting_user=world.adviser,
        measure=cases.measures["own"],
        type=ObligationType.objects.get(code="citizenship-course"),
        imposed_on=dt.date(2025, 12, 11),
    )
    today = timezone.localdate()
    course = make_workshop(
        world.director,
        world.branch,
        title="Stage de citoyenneté",
        kind="course",
        course_kind="citizenship",
        min_sessions=2,
        contributors=[world.partner],
        partners=[world.partner.partner],
        facilitators=[world.colleague],
    )
    first = add_session(world.director, course, today - dt.timedelta(days=14), "Valeurs")
    second = add_session(world.director, course, today - dt.timedelta(days=7), "Droits")
    enrollment = services.enrollment_create(
        acting_user=world.adviser, workshop=course, case=cases.own, obligation=obligation
    )
    return obligation, course, (first, second), enrollment


def test_completion_creates_the_attestation_and_the_proof_exactly_once(
    world, cases, workshops, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    # The message the broker would take (a real worker renders it in test_workshops_concurrency).
    monkeypatch.setattr(queueing, "send_task", lambda name, *ids: queued.append((name, ids)))
    obligation, course, (first, second), enrollment = _course_with_obligation(world, cases)
    services.attendance_record(
        acting_user=world.partner, session=first, enrollment=enrollment, status="present"
    )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ENROLLED
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_record(
            acting_user=world.partner, session=second, enrollment=enrollment, status="present"
        )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_on == timezone.localtime(second.starts_at).date()
    assert queued == [("workshops.tasks.render_attestation", (enrollment.pk,))]
    proof = Proof.objects.get(obligation=obligation)
    assert proof.compliant and proof.received_on == enrollment.completed_on
    assert proof.recorded_by == world.adviser  # in the adviser's name, not the partner's
    assert AccessLog.objects.filter(
        user=world.partner, action="create", object_type="cases.proof", object_id=str(proof.pk)
    ).exists()
    # Recording the same attendance again, or correcting it, completes nothing twice.
    services.attendance_record(
        acting_user=world.colleague, session=second, enrollment=enrollment, status="caught_up"
    )
    assert Proof.objects.filter(obligation=obligation).count() == 1

    assert tasks.render_attestation(enrollment.pk) is True
    assert tasks.render_attestation(enrollment.pk) is False  # idempotent
    enrollment.refresh_from_db()
    proof.refresh_from_db()
    name = enrollment.attestation.name
    assert name.startswith("attestations/") and "martin" not in name.lower()
    text = " ".join(pdf_text(enrollment.attestation.read()).split())
    assert "Attestation de présence" in text
    assert "MARTIN Alex" in text
    assert "Stage de citoyenneté" in text
    day_one = timezone.localtime(first.starts_at).date()
    day_two = timezone.localtime(second.starts_at).date()
    assert f"du {day_one:%d/%m/%Y} au {day_two:%d/%m/%Y}" in text
    assert "2 séances suivies" in text
    assert "5 heures au total" in text
    assert f"{day_one:%d/%m/%Y} 14:00 – 16:30" in text
    # The proof on the obligation carries the same document.
    assert proof.file and proof.file_type == "application/pdf"
    assert proof.file.read() == enrollment.attestation.open("rb").read()


def test_attendance_only_by_those_who_run_the_workshop(world, cases, workshops):
    args = {"session": workshops.past, "enrollment": workshops.enrollment, "status": "present"}
    for user in (world.adviser, world.secretary, world.other_director, world.admin, world.clerk):
        with pytest.raises(NotAllowed):
            services.attendance_record(acting_user=user, **args)
    for user in (world.partner, world.colleague, world.director):
        services.attendance_record(acting_user=user, **args)
    assert Attendance.objects.get().recorded_by == world.director
    with pytest.raises(SpipError):  # not yet begun
        services.attendance_record(
            acting_user=world.partner,
            session=workshops.upcoming,
            enrollment=workshops.enrollment,
            status="present",
        )


def test_an_absence_shows_on_the_case_and_becomes_an_incident_when_the_adviser_says_so(
    client, world, cases, workshops
):
    attendance = services.attendance_record(
        acting_user=world.partner,
        session=workshops.past,
        enrollment=workshops.enrollment,
        status="absent",
    )
    client.force_login(world.adviser)
    page = client.get(reverse("cases:detail", args=[cases.own.pk])).content.decode()
    assert "Absence à un atelier" in page
    assert reverse("workshops:absence_incident", args=[attendance.pk]) in page
    url = reverse("workshops:absence_incident", args=[attendance.pk])
    response = client.post(url, {"occurred_on": "", "description": "", "response": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    day = timezone.localtime(workshops.past.starts_at).date()
    response = client.post(
        url,
        {
            "occurred_on": day.isoformat(),
            "description": "Absent sans prévenir",
            "response": "reminder",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.measure == cases.measures["own"] and incident.occurred_on == day
    attendance.refresh_from_db()
    assert attendance.incident == incident
    with pytest.raises(SpipError):
        services.attendance_record(
            acting_user=world.partner,
            session=workshops.past,
            enrollment=workshops.enrollment,
            status="present",
        )


def test_attendance_grid_answers_htmx_with_the_row(client, world, cases, workshops):
    client.force_login(world.partner)
    url = reverse("workshops:attendance", args=[workshops.past.pk, workshops.enrollment.pk])
    response = client.post(url, {"status": "excused"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith("<tr") and 'data-status="excused"' in body
    assert Attendance.objects.get().status == "excused"
    response = client.post(url, {"status": "n'importe quoi"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Choisissez une présence." in response.content.decode()


def test_workshop_form_errors_are_french_and_next_to_the_field(client, world):
    client.force_login(world.director)
    response = client.post(
        reverse("workshops:create"),
        {
            "branch": world.branch.pk,
            "title": "Stage",
            "kind": "course",
            "course_kind": "",
            "theme": "Citoyenneté",
            "capacity": "0",
            "min_sessions": "abc",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "course_kind" in form.errors and "capacity" in form.errors
    assert "min_sessions" in form.errors
    assert "Choisissez le type de stage (CP 131-5-1)." in response.content.decode()


def test_session_form_refuses_an_end_before_the_start(client, world, workshops):
    client.force_login(world.director)
    response = client.post(
        reverse("workshops:session_add", args=[workshops.workshop.pk]),
        {
            "starts_at": "2026-12-01T14:00",
            "ends_at": "2026-12-01T13:00",
            "place": "Salle",
            "topic": "Bilan",
        },
    )
    assert response.status_code == 200
    assert "Une séance se termine après son début." in response.content.decode()
    response = client.post(
        reverse("workshops:session_add", args=[workshops.workshop.pk]),
        {"starts_at": "99999-12-01T14:00", "ends_at": "x", "place": "", "topic": ""},
    )
    assert response.status_code == 200


def _many_people(world, workshop, count: int) -> None:
    for index in range(count):
        case = _open_case(world, f"Personne{index}")
        enrollment = services.enrollment_create(
            acting_user=world.adviser, workshop=workshop, case=case
        )
        for session in workshop.sessions.filter(starts_at__lte=timezone.now()):
            services.attendance_record(
                acting_user=world.director,
                session=session,
                enrollment=enrollment,
                status="present" if index % 2 else "absent",
            )


@pytest.mark.parametrize("viewer", ["director", "adviser", "partner"])
def test_workshop_page_queries_do_not_grow_with_the_people(
    client, world, cases, workshops, django_assert_num_queries, viewer
):
    user = getattr(world, viewer)
    client.force_login(user)
    url = reverse("workshops:detail", args=[workshops.workshop.pk])
    grid = reverse("workshops:session", args=[workshops.past.pk])
    client.get(url)  # session and caches warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(target: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code in (200, 403)
        return len(queries)

    few, few_grid = count(url), count(grid)
    workshops.workshop.capacity = 30
    workshops.workshop.save(update_fields=["capacity"])
    _many_people(world, workshops.workshop, 12)
    with django_assert_num_queries(few):
        client.get(url)
    with django_assert_num_queries(few_grid):
        client.get(grid)


def test_the_list_shows_current_workshops_with_their_fill_rate(client, world, workshops):
    client.force_login(world.adviser)
    response = client.get(reverse("workshops:list"))
    body = response.content.decode()
    assert "Prévention des addictions" in body
    assert "Éco-citoyenneté" not in body  # other branch
    assert "1 / 8 (12 %)" in body


def test_more_places_promote_the_waiting_and_fewer_than_taken_are_refused(
    client, world, cases, workshops
):
    workshop = workshops.workshop
    workshop.capacity = 1
    workshop.save(update_fields=["capacity"])
    waiting = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=_open_case(world, "Garcia")
    )
    assert waiting.status == Enrollment.Status.WAITLISTED
    client.force_login(world.director)
    url = reverse("workshops:update", args=[workshop.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data |= {
        "facilitators": [world.colleague.pk],
        "partners": [world.partner.partner.pk],
        "contributors": [world.partner.pk],
        "capacity": 2,
    }
    assert client.post(url, data).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Enrollment.Status.ENROLLED
    assert Notification.objects.filter(recipient=world.adviser).exists()
    workshop.refresh_from_db()
    data |= {"version": workshop.version, "capacity": 1}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "2 personnes ont déjà une place : l’atelier ne peut pas en compter moins."
    ]
    # Someone else saved meanwhile (an old version): refused, nothing overwritten.
    data |= {"version": workshop.version - 1, "capacity": 3, "title": "Autre intitulé"}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Quelqu’un d’autre a enregistré cette fiche" in body
    assert "(Intitulé : Prévention des addictions; Places : 2)" in body
    workshop.refresh_from_db()
    assert workshop.title == "Prévention des addictions" and workshop.capacity == 2


def test_case_file_section_queries_do_not_grow_with_enrolments(client, world, cases, workshops):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.adviser)
    url = reverse("cases:detail", args=[cases.own.pk])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    today = timezone.localdate()
    for index in range(4):
        other = make_workshop(world.director, world.branch, title=f"Atelier {index}")
        session = add_session(world.director, other, today - dt.timedelta(days=index + 1))
        enrollment = services.enrollment_create(
            acting_user=world.adviser, workshop=other, case=cases.own
        )
        services.attendance_record(
            acting_user=world.director, session=session, enrollment=enrollment, status="absent"
        )
    assert count() == few
    page = client.get(url).content.decode()
    assert page.count("Enregistrer comme manquement") == 4


def test_a_catch_up_counts_once_for_the_session_it_makes_up_for(world, cases, workshops):
    workshop = workshops.workshop  # two sessions to attend
    today = timezone.localdate()
    missed = add_session(world.director, workshop, today - dt.timedelta(days=20), "Séance 1")
    catch_up = services.session_add(
        acting_user=world.director,
        workshop=workshop,
        starts_at=workshops.past.starts_at - dt.timedelta(days=2),
        ends_at=workshops.past.ends_at - dt.timedelta(days=2),
        place="Bureau",
        topic="Rattrapage",
        catch_up_of=missed,
    )
    enrollment = workshops.enrollment
    for session, status in ((missed, "caught_up"), (catch_up, "present")):
        services.attendance_record(
            acting_user=world.director, session=session, enrollment=enrollment, status=status
        )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ENROLLED  # one session, not two
    services.attendance_record(
        acting_user=world.director,
        session=workshops.past,
        enrollment=enrollment,
        status="present",
    )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    with pytest.raises(SpipError):  # a catch-up comes after the session it makes up for
        services.session_add(
            acting_user=world.director,
            workshop=workshop,
            starts_at=missed.starts_at,
            ends_at=missed.ends_at,
            place="Bureau",
            topic="Trop tôt",
            catch_up_of=catch_up,
        )


def test_a_proposal_takes_no_place_until_confirmed(client, world, cases, workshops):
    workshop = workshops.workshop
    workshop.capacity = 1
    workshop.save(update_fields=["capacity"])
    client.force_login(world.adviser)
    case = _open_case(world, "Garcia")
    response = client.post(
        reverse("workshops:enrol", args=[workshop.pk]), {"case": case.pk, "propose_only": "on"}
    )
    assert response.status_code == 302
    proposal = Enrollment.objects.get(case=case)
    assert proposal.status == Enrollment.Status.PROPOSED
    client.post(reverse("workshops:confirm", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Enrollment.Status.WAITLISTED  # the only place is taken
    # Withdrawing someone waiting frees no place and promotes nobody.
    services.enrollment_drop(acting_user=world.adviser, enrollment=proposal, reason="déménage")
    workshops.enrollment.refresh_from_db()
    assert workshops.enrollment.status == Enrollment.Status.ENROLLED
    assert not Notification.objects.exists()
    # Bad input on the enrolment form: French errors next to the fields, never a 500.
    response = client.post(reverse("workshops:enrol", args=[workshop.pk]), {"case": "abc"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.context["form"].errors["case"][0]
    response = client.post(
        reverse("workshops:enrol", args=[workshop.pk]), {"case": cases.cases["colleague"].pk}
    )
    assert response.status_code == 200 and "case" in response.context["form"].errors


def test_home_pages_of_the_partner_and_the_facilitator_list_the_next_sessions(
    client, world, cases, workshops
):
    upcoming = f"{timezone.localtime(workshops.upcoming.starts_at):%d/%m/%Y}"
    past = f"{timezone.localtime(workshops.past.starts_at):%d/%m/%Y}"
    client.force_login(world.partner)
    panel = client.get(reverse("home")).content.decode()
    assert "Vos ateliers" in panel and "1 place prise sur 8" in panel
    assert f"{upcoming} 14:00" in panel and past not in panel
    assert reverse("workshops:session", args=[workshops.upcoming.pk]) in panel
    client.force_login(world.colleague)  # facilitator
    assert "Vos prochaines séances d’atelier" in client.get(reverse("home")).content.decode()
    client.force_login(world.adviser)  # not a facilitator
    assert "Vos prochaines séances d’atelier" not in client.get(reverse("home")).content.decode()
