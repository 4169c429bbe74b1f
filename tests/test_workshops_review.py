"""Workshops: the defects found in review (issue 6), each pinned by a test."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Proof
from spip.exceptions import SpipError
from spip.models import AccessLog, Notification
from tests.test_workshops import _course_with_obligation, _open_case
from tests.test_workshops_fixtures import add_session, make_workshop, workshops_fixture  # noqa: F401
from workshops import selectors, services
from workshops.models import Attendance, Enrollment, Session

pytestmark = pytest.mark.date_sensitive


def test_an_absence_turned_into_an_incident_meanwhile_cannot_be_corrected_to_present(
    transactional_db, world, cases
):
    """The adviser records the incident while a partner corrects the absence: the partner
    waits for the adviser's transaction, then finds the absence settled."""
    from django.utils import timezone

    workshop = make_workshop(
        world.director, world.branch, facilitators=[world.colleague], min_sessions=2
    )
    session = add_session(world.director, workshop, timezone.localdate() - dt.timedelta(days=2))
    enrollment = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=cases.own
    )
    attendance = services.attendance_record(
        acting_user=world.colleague, session=session, enrollment=enrollment, status="absent"
    )
    incident_saved = threading.Event()
    errors: list[BaseException] = []
    outcome: list[str] = []

    def adviser() -> None:
        try:
            with transaction.atomic():
                services.absence_to_incident(
                    acting_user=world.adviser,
                    attendance=attendance,
                    response="reminder",
                    description="Absent sans prévenir",
                )
                incident_saved.set()
                time.sleep(1)  # the correction arrives while this is not committed
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            incident_saved.set()
            connection.close()

    def facilitator() -> None:
        try:
            incident_saved.wait(10)
            services.attendance_record(
                acting_user=world.colleague,
                session=session,
                enrollment=enrollment,
                status="present",
            )
            outcome.append("corrected")
        except SpipError:
            outcome.append("refused")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=adviser), threading.Thread(target=facilitator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert outcome == ["refused"]
    attendance = Attendance.objects.get(pk=attendance.pk)
    assert attendance.status == Attendance.Status.ABSENT and attendance.incident_id


@pytest.mark.django_db
def test_completion_is_dated_by_the_latest_session_attended_not_the_last_recorded(
    world, cases, workshops
):
    obligation, course, (first, second), enrollment = _course_with_obligation(world, cases)
    for session in (second, first):  # the earlier session recorded last
        services.attendance_record(
            acting_user=world.partner, session=session, enrollment=enrollment, status="present"
        )
    enrollment.refresh_from_db()
    day_two = timezone.localtime(second.starts_at).date()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_on == day_two
    assert Proof.objects.get(obligation=obligation).received_on == day_two
    context = selectors.attestation_context(enrollment)
    assert context["completed_on"] == context["last_day"] == day_two


def _full_with_one_waiting(world, workshops):
    """The fixture's workshop with one place, taken by the own case, and a colleague's
    person waiting."""
    workshop = workshops.workshop
    workshop.capacity = 1
    workshop.save(update_fields=["capacity"])
    waiting = services.enrollment_create(
        acting_user=world.colleague,
        workshop=workshop,
        case=_open_case(world, "Garcia", adviser=world.colleague),
    )
    assert waiting.status == Enrollment.Status.WAITLISTED
    return waiting


@pytest.mark.django_db
def test_a_transfer_withdraws_the_person_from_the_old_branchs_workshops(world, cases, workshops):
    waiting = _full_with_one_waiting(world, workshops)
    proposed_elsewhere = make_workshop(world.director, world.branch, title="Citoyenneté")
    proposal = services.enrollment_create(
        acting_user=world.adviser, workshop=proposed_elsewhere, case=cases.own, propose_only=True
    )
    case_services.case_transfer(
        acting_user=world.director,
        case=cases.own,
        to_branch=world.other_branch,
        reason="déménagement",
    )
    for enrollment in (workshops.enrollment, proposal):
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.DROPPED
        assert enrollment.reason == "dossier transféré"
    assert AccessLog.objects.filter(
        user=world.director,
        object_type="workshops.enrollment",
        object_id=str(workshops.enrollment.pk),
        reason="dossier transféré",
    ).exists()
    waiting.refresh_from_db()
    assert waiting.status == Enrollment.Status.ENROLLED
    assert Notification.objects.filter(
        recipient=world.colleague, message__contains="place"
    ).exists()


@pytest.mark.django_db
def test_closing_a_case_withdraws_its_person_and_a_closed_case_enrols_nobody(
    client, world, cases, workshops
):
    waiting = _full_with_one_waiting(world, workshops)
    case = _open_case(world, "Lopez")
    done = make_workshop(world.director, world.branch, title="Citoyenneté", capacity=1)
    held = services.enrollment_create(acting_user=world.adviser, workshop=done, case=case)
    other_waiting = services.enrollment_create(
        acting_user=world.colleague,
        workshop=done,
        case=_open_case(world, "Durand", adviser=world.colleague),
    )
    assert other_waiting.status == Enrollment.Status.WAITLISTED
    case_services.case_close(
        acting_user=world.director, case=case, closed_on=timezone.localdate(), reason="fin"
    )
    held.refresh_from_db()
    other_waiting.refresh_from_db()
    assert held.status == Enrollment.Status.DROPPED and held.reason == "dossier clos"
    assert other_waiting.status == Enrollment.Status.ENROLLED
    waiting.refresh_from_db()
    assert waiting.status == Enrollment.Status.WAITLISTED  # another workshop: untouched
    # A closed case enrols nobody, from the service or from the case file.
    with pytest.raises(SpipError, match="clos"):
        services.enrollment_create(
            acting_user=world.adviser, workshop=workshops.workshop, case=case
        )
    client.force_login(world.adviser)
    response = client.post(
        reverse("workshops:enrol_case", args=[case.pk]), {"workshop": workshops.workshop.pk}
    )
    assert response.status_code == 200
    assert "Ce dossier est clos" in response.content.decode()
    assert not Enrollment.objects.filter(case=case, workshop=workshops.workshop).exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("workshops:enrol_case", args=[case.pk]) not in page
    page = client.get(reverse("cases:detail", args=[cases.own.pk])).content.decode()
    assert reverse("workshops:enrol_case", args=[cases.own.pk]) in page


@pytest.mark.django_db
def test_a_proposal_confirmed_into_the_queue_waits_behind_those_already_waiting(
    client, world, cases, workshops
):
    workshop = workshops.workshop
    workshop.capacity = 1
    workshop.save(update_fields=["capacity"])
    proposal = services.enrollment_create(
        acting_user=world.adviser,
        workshop=workshop,
        case=_open_case(world, "Lopez"),
        propose_only=True,
    )
    first_waiting = services.enrollment_create(
        acting_user=world.colleague,
        workshop=workshop,
        case=_open_case(world, "Garcia", adviser=world.colleague),
    )
    proposal = services.enrollment_confirm(acting_user=world.adviser, enrollment=proposal)
    assert proposal.status == first_waiting.status == Enrollment.Status.WAITLISTED
    client.force_login(world.director)
    page = client.get(reverse("workshops:detail", args=[workshop.pk])).context["page"]
    assert [row.enrollment.pk for row in page.waiting] == [first_waiting.pk, proposal.pk]
    services.enrollment_drop(
        acting_user=world.adviser, enrollment=workshops.enrollment, reason="a trouvé un emploi"
    )
    first_waiting.refresh_from_db()
    proposal.refresh_from_db()
    assert first_waiting.status == Enrollment.Status.ENROLLED
    assert proposal.status == Enrollment.Status.WAITLISTED


@pytest.mark.django_db
def test_a_freed_place_is_announced_even_when_the_case_has_no_adviser(world, cases, workshops):
    from cases.models import Case
    from spip.models import Role
    from tests import factories

    workshop = workshops.workshop
    workshop.capacity = 1
    workshop.save(update_fields=["capacity"])
    substitute = factories.UserFactory(role=Role.ADVISER, branch=world.branch)
    first = services.enrollment_create(
        acting_user=world.colleague,
        workshop=workshop,
        case=_open_case(world, "Garcia", adviser=world.colleague),
    )
    second = services.enrollment_create(
        acting_user=substitute,
        workshop=workshop,
        case=_open_case(world, "Lopez", adviser=substitute),
    )
    Case.objects.filter(pk__in=[first.case_id, second.case_id]).update(adviser=None)
    # Without an adviser: whoever enrolled the person hears of it.
    services.enrollment_drop(
        acting_user=world.director, enrollment=workshops.enrollment, reason="déménage"
    )
    first.refresh_from_db()
    assert first.status == Enrollment.Status.ENROLLED
    assert Notification.objects.filter(recipient=world.colleague).count() == 1
    # And when they have left the service too: the branch's directors.
    substitute.is_active = False
    substitute.save(update_fields=["is_active"])
    services.enrollment_drop(acting_user=world.director, enrollment=first, reason="déménage")
    second.refresh_from_db()
    assert second.status == Enrollment.Status.ENROLLED
    assert not Notification.objects.filter(recipient=substitute).exists()
    note = Notification.objects.get(recipient=world.director)
    assert second.case.number in note.message


@pytest.mark.django_db
def test_staff_excluded_from_a_case_never_see_its_persons_name(client, world, cases, workshops):
    excluded = cases.cases["excluded"]  # world.adviser and world.director are excluded
    # A workshop run by someone excluded from the case takes no enrolment of it.
    run_by_excluded = make_workshop(
        world.director, world.branch, title="Citoyenneté", facilitators=[world.adviser]
    )
    with pytest.raises(SpipError, match="exclu"):
        services.enrollment_create(
            acting_user=world.colleague, workshop=run_by_excluded, case=excluded
        )
    proposal = services.enrollment_create(
        acting_user=world.colleague,
        workshop=workshops.workshop,
        case=excluded,
        propose_only=True,
    )
    workshops.workshop.facilitators.add(world.adviser)  # named facilitator since
    with pytest.raises(SpipError, match="exclu"):
        services.enrollment_confirm(acting_user=world.colleague, enrollment=proposal)
    workshops.workshop.facilitators.remove(world.adviser)
    enrollment = services.enrollment_confirm(acting_user=world.colleague, enrollment=proposal)
    assert enrollment.status == Enrollment.Status.ENROLLED
    # The director runs the workshop but is excluded from the case: a neutral label.
    client.force_login(world.director)
    pages = [
        client.get(reverse("workshops:detail", args=[workshops.workshop.pk])),
        client.get(reverse("workshops:session", args=[workshops.past.pk])),
        client.post(
            reverse("workshops:attendance", args=[workshops.past.pk, enrollment.pk]),
            {"status": "present"},
            headers={"HX-Request": "true"},
        ),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "robert" not in body.lower()
        assert "Personne suivie (accès restreint)" in body or "personne suivie" in body.lower()
    assert "MARTIN" in pages[0].content.decode()  # the others' names are still there
    # The facilitator who follows the case sees the name.
    client.force_login(world.colleague)
    assert (
        "ROBERT"
        in client.get(reverse("workshops:session", args=[workshops.past.pk])).content.decode()
    )


@pytest.mark.django_db
def test_a_session_of_tomorrow_just_after_midnight_in_paris_has_not_begun(world, cases, workshops):
    from tests.test_workshops_fixtures import at

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    early = services.session_add(
        acting_user=world.director,
        workshop=workshops.workshop,
        starts_at=at(tomorrow, 0, 30),
        ends_at=at(tomorrow, 2),
        place="Salle",
        topic="Nuit",
    )
    early = Session.objects.get(pk=early.pk)  # as the views have it: in UTC
    assert early.starts_at.date() < tomorrow  # still today in UTC
    with pytest.raises(SpipError, match="commencé|begun"):
        services.attendance_record(
            acting_user=world.director,
            session=early,
            enrollment=workshops.enrollment,
            status="present",
        )


@pytest.mark.django_db
def test_a_refused_attendance_answered_with_the_named_row_is_in_the_access_log(
    client, world, cases, workshops
):
    client.force_login(world.partner)
    url = reverse("workshops:attendance", args=[workshops.past.pk, workshops.enrollment.pk])
    response = client.post(url, {"status": "n'importe quoi"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "MARTIN" in response.content.decode()
    assert AccessLog.objects.filter(
        user=world.partner,
        action=AccessLog.Action.VIEW,
        object_type="workshops.session",
        object_id=str(workshops.past.pk),
    ).exists()


@pytest.mark.django_db
def test_the_case_enrolments_query_uses_no_deprecated_argument(world, cases, workshops):
    import warnings

    from django.utils.deprecation import RemovedInDjango61Warning

    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango61Warning)
        assert selectors.case_enrollments(cases.own.pk)


@pytest.mark.django_db
def test_fewer_sessions_required_complete_those_who_now_meet_the_rule(world, cases, workshops):
    workshop = workshops.workshop  # two sessions required
    services.attendance_record(
        acting_user=world.director,
        session=workshops.past,
        enrollment=workshops.enrollment,
        status="present",
    )
    waiting_nothing = services.enrollment_create(
        acting_user=world.colleague,
        workshop=workshop,
        case=_open_case(world, "Garcia", adviser=world.colleague),
    )
    workshop.refresh_from_db()
    services.workshop_update(
        acting_user=world.director,
        workshop=workshop,
        version=workshop.version,
        title=workshop.title,
        kind=workshop.kind,
        theme=workshop.theme,
        capacity=workshop.capacity,
        min_sessions=1,
        status=workshop.status,
        facilitators=[world.colleague],
        partners=[world.partner.partner],
        contributors=[world.partner],
    )
    workshops.enrollment.refresh_from_db()
    waiting_nothing.refresh_from_db()
    assert workshops.enrollment.status == Enrollment.Status.COMPLETED
    assert workshops.enrollment.completed_on == timezone.localtime(workshops.past.starts_at).date()
    assert waiting_nothing.status == Enrollment.Status.ENROLLED  # attended nothing yet
