"""Interviews: scheduling without overlaps in Paris time, outcome logging with proofs and a
proposed incident, the convocation letter, the calendar feed, the agenda."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Incident, Proof
from cases.selectors import case_file
from interviews import selectors, services
from interviews.models import Interview
from spip.exceptions import SpipError
from spip.models import AccessLog
from spip.workdays import is_working_day, on_or_after_working_day
from tests.pdfs import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning, Paris time, well before the demo dates of the fixtures.
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return services.paris_datetime(dt.date(year, month, day), dt.time(hour, minute))


def schedule(case, user, start, *, adviser=None, duration=45, **extra) -> Interview:
    return services.interview_schedule(
        acting_user=user,
        case=case,
        adviser=adviser or case.adviser,
        start=start,
        duration=duration,
        kind=extra.pop("kind", Interview.Kind.FOLLOW_UP),
        place=extra.pop("place", "Bureau 3"),
    )


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- Scheduling -----------------------------------------------------------------------------


def _second_case(world, cases):
    from cases import services as case_services

    return case_services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=world.adviser,
        opened_on=cases.own.opened_on,
        intensity=cases.own.intensity,
        intensity_reason="évaluation",
        person_data={
            "birth_name": "Durand",
            "first_names": "Lou",
            "sex": "F",
            "birth_date": dt.date(1988, 2, 3),
        },
    )


def test_overlaps_are_refused_for_the_adviser_and_for_the_person(world, cases, at_now):
    own = cases.cases["own"]
    schedule(own, world.adviser, paris(2026, 3, 4, 10, 0))
    # The adviser is busy from 10:00 to 10:45, whatever the case.
    second = _second_case(world, cases)
    with pytest.raises(SpipError) as error:
        schedule(second, world.director, paris(2026, 3, 4, 10, 30), adviser=world.adviser)
    assert "déjà un entretien" in str(error.value.message)
    assert "04/03/2026" in str(error.value.message)
    # The person is busy too, even with someone else (the director may hold interviews).
    with pytest.raises(SpipError) as error:
        schedule(own, world.director, paris(2026, 3, 4, 10, 15), adviser=world.director)
    assert "Cette personne a déjà un rendez-vous" in str(error.value.message)
    # Back to back is fine; so is the same slot once the first is cancelled.
    schedule(own, world.adviser, paris(2026, 3, 4, 10, 45))
    first = Interview.objects.get(start=paris(2026, 3, 4, 10, 0))
    services.interview_cancel(acting_user=world.adviser, interview=first, version=first.version)
    schedule(second, world.director, paris(2026, 3, 4, 10, 0), adviser=world.adviser)


def test_the_database_refuses_an_overlap_the_service_did_not_see(world, cases, at_now):
    """Two requests at the same moment both pass the check: the exclusion constraint keeps
    only one."""
    own = cases.cases["own"]
    first = schedule(own, world.adviser, paris(2026, 3, 4, 10, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(
            case=cases.cases["colleague"],
            person=cases.cases["colleague"].person,
            adviser=world.adviser,
            start=first.start + dt.timedelta(minutes=10),
            end=first.end + dt.timedelta(minutes=10),
            duration=45,
            created_by=world.adviser,
        )


def test_no_interview_in_the_past_or_outside_office_hours(world, cases, at_now):
    own = cases.cases["own"]
    with pytest.raises(SpipError, match="passé"):
        schedule(own, world.adviser, paris(2026, 3, 1, 10))
    with pytest.raises(SpipError, match="entre 07:00 et 21:00"):
        schedule(own, world.adviser, paris(2026, 3, 3, 22))


def test_scheduling_across_the_daylight_saving_change(client, world, cases):
    """Clocks go back on Sunday 25 October 2026: 09:00 stays 09:00 on either side."""
    own = cases.cases["own"]
    with time_machine.travel(dt.datetime(2026, 10, 20, 8, 0, tzinfo=PARIS), tick=False):
        client.force_login(world.adviser)
        for day in ("2026-10-23", "2026-10-26"):
            response = client.post(
                reverse("interviews:schedule_for_case", args=[own.pk]),
                {
                    "adviser": world.adviser.pk,
                    "day": day,
                    "at": "09:00",
                    "duration": 45,
                    "kind": "follow_up",
                    "place": "Bureau 3",
                },
            )
            assert response.status_code == 302, response.content.decode()
        before, after = Interview.objects.order_by("start")
        assert before.start.astimezone(dt.UTC).hour == 7  # summer time, UTC+2
        assert after.start.astimezone(dt.UTC).hour == 8  # winter time, UTC+1
        assert after.start - before.start == dt.timedelta(days=3, hours=1)
        page = client.get(reverse("interviews:agenda"), {"view": "week", "day": "2026-10-19"})
        assert "09:00–09:45" in page.content.decode()
        page = client.get(reverse("interviews:agenda"), {"view": "week", "day": "2026-10-26"})
        assert "09:00–09:45" in page.content.decode()
        # The hour skipped in spring does not exist: refused, not shifted.
        with pytest.raises(SpipError, match="n’existe pas|n'existe pas"):
            services.paris_datetime(dt.date(2027, 3, 28), dt.time(2, 30))


def test_form_errors_are_in_french_next_to_the_field(client, world, cases, at_now):
    own = cases.cases["own"]
    client.force_login(world.adviser)
    schedule(own, world.adviser, paris(2026, 3, 4, 10, 0))
    response = client.post(
        reverse("interviews:schedule_for_case", args=[own.pk]),
        {
            "adviser": world.adviser.pk,
            "day": "2026-03-04",
            "at": "10:30",
            "duration": 45,
            "kind": "follow_up",
            "place": "Bureau 3",
        },
    )
    assert response.status_code == 200
    assert "déjà un entretien" in response.content.decode()
    response = client.post(
        reverse("interviews:schedule_for_case", args=[own.pk]),
        {"adviser": world.adviser.pk, "day": "2026-13-45", "at": "25:00", "duration": 7},
    )
    assert response.status_code == 200
    assert Interview.objects.count() == 1


def test_reschedule_keeps_the_earlier_time_and_resets_the_convocation(world, cases, at_now):
    own = cases.cases["own"]
    interview = schedule(own, world.adviser, paris(2026, 3, 4, 10, 0))
    services.interview_convocation_sent(
        acting_user=world.secretary, interview=interview, channel=Interview.Channel.POST
    )
    interview.refresh_from_db()
    moved = services.interview_reschedule(
        acting_user=world.secretary,
        interview=interview,
        version=interview.version,
        start=paris(2026, 3, 5, 14, 0),
        duration=30,
        place="Bureau 2",
        kind=Interview.Kind.FOLLOW_UP,
        adviser=world.adviser,
    )
    assert moved.start == paris(2026, 3, 5, 14, 0)
    assert moved.convocation_sent_at is None
    assert paris(2026, 3, 4, 10, 0) in set(moved.history.values_list("start", flat=True))


def test_next_date_follows_the_follow_up_intensity(world, cases, at_now):
    own = cases.cases["own"]
    interval = own.intensity.max_interval_days
    assert selectors.suggested_next_date(own, today=NOW.date()) <= NOW.date() + dt.timedelta(7)
    Interview.objects.create(
        case=own,
        person=own.person,
        adviser=world.adviser,
        start=paris(2026, 2, 2, 10),
        end=paris(2026, 2, 2, 10, 45),
        status=Interview.Status.HELD,
        created_by=world.adviser,
    )
    # Counted from the last interview held, not from today.
    for today in (dt.date(2026, 2, 3), dt.date(2026, 2, 10)):
        suggested = selectors.suggested_next_date(own, today=today)
        assert suggested <= dt.date(2026, 2, 2) + dt.timedelta(days=interval)
        assert suggested >= dt.date(2026, 2, 2) + dt.timedelta(days=interval - 2)
        assert is_working_day(suggested, own.branch)
    # Overdue: as soon as possible.
    late = dt.date(2026, 2, 2) + dt.timedelta(days=interval + 10)
    assert selectors.suggested_next_date(own, today=late) == on_or_after_working_day(
        late, own.branch
    )


# --- Outcome --------------------------------------------------------------------------------


def test_logging_an_outcome_records_the_proofs_checked(client, world, cases, at_now):
    own = cases.cases["own"]
    interview = schedule(own, world.adviser, paris(2026, 3, 2, 9, 0))
    obligation = cases.obligations["own"]
    at_now.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    client.force_login(world.adviser)
    form = client.get(reverse("interviews:outcome", args=[interview.pk]), HTTP_HX_REQUEST="true")
    assert f'name="proof_{obligation.pk}"' in form.content.decode()
    response = client.post(
        reverse("interviews:outcome", args=[interview.pk]),
        {
            "status": "held",
            "outcome": "Suivi poursuivi",
            "notes": "Recherche d’emploi active",
            "version": interview.version,
            f"proof_{obligation.pk}": "yes",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Issue enregistrée" in body and "1 justificatif enregistré" in body
    interview.refresh_from_db()
    assert interview.status == Interview.Status.HELD
    proof = Proof.objects.get(obligation=obligation)
    assert proof.compliant and proof.received_on == dt.date(2026, 3, 2)
    assert proof.recorded_by == world.adviser


def test_a_missed_interview_proposes_an_incident_the_adviser_confirms(client, world, cases, at_now):
    own = cases.cases["own"]
    interview = schedule(own, world.adviser, paris(2026, 3, 2, 9, 0))
    at_now.move_to(dt.datetime(2026, 3, 2, 11, 0, tzinfo=PARIS))
    client.force_login(world.adviser)
    response = client.post(
        reverse("interviews:outcome", args=[interview.pk]),
        {"status": "missed", "outcome": "", "notes": "", "version": interview.version},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Enregistrer un manquement" in body
    assert not Incident.objects.exists()  # proposed, not recorded
    measure = cases.measures["own"]
    response = client.post(
        reverse("interviews:incident", args=[interview.pk]),
        {
            "measure": measure.pk,
            "response": "reminder",
            "description": "Convocation non honorée sans excuse.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Manquement enregistré" in response.content.decode()
    incident = Incident.objects.get()
    assert incident.obligation.type.code == "control-convocations"
    assert incident.occurred_on == dt.date(2026, 3, 2)
    interview.refresh_from_db()
    assert interview.incident == incident
    own_measure = next(m for m in case_file(own, today=dt.date(2026, 3, 2))["measures"])
    assert own_measure.incidents_12_months == 1
    # Proposed once: a second confirmation is refused.
    with pytest.raises(SpipError):
        services.interview_incident_record(
            acting_user=world.adviser,
            interview=interview,
            measure=measure,
            response="reminder",
            description="encore",
        )


def test_no_outcome_before_the_interview(world, cases, at_now):
    interview = schedule(cases.cases["own"], world.adviser, paris(2026, 3, 3, 9, 0))
    with pytest.raises(SpipError, match="pas encore eu lieu"):
        services.interview_outcome_record(
            acting_user=world.adviser,
            interview=interview,
            version=interview.version,
            status="held",
            outcome="",
            notes="",
        )


def test_secretary_sees_the_schedule_never_the_notes(client, world, cases, at_now):
    own = cases.cases["own"]
    interview = schedule(own, world.adviser, paris(2026, 3, 2, 9, 0))
    at_now.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    services.interview_outcome_record(
        acting_user=world.adviser,
        interview=interview,
        version=interview.version,
        status="held",
        outcome="Point emploi",
        notes="Confidentiel : situation familiale",
    )
    client.force_login(world.secretary)
    page = client.get(reverse("interviews:detail", args=[interview.pk])).content.decode()
    assert "Confidentiel" not in page and "Bureau 3" in page
    assert client.get(reverse("interviews:outcome", args=[interview.pk])).status_code == 403
    client.force_login(world.adviser)
    page = client.get(reverse("interviews:detail", args=[interview.pk])).content.decode()
    assert "Confidentiel" in page
    assert AccessLog.objects.filter(
        user=world.adviser,
        action="view",
        object_id=str(interview.pk),
        object_type="interviews.interview",
    ).exists()


# --- Convocation letter ---------------------------------------------------------------------


def test_convocation_letter_holds_name_date_time_place_and_proofs(client, world, cases, at_now):
    own = cases.cases["own"]
    interview = schedule(own, world.adviser, paris(2026, 3, 5, 14, 30), place="Bureau 12")
    client.force_login(world.secretary)
    response = client.get(reverse("interviews:convocation", args=[interview.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Martin" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "MARTIN Alex" in text
    assert "Jeudi 5 mars 2026" in text
    assert "14:30" in text
    assert "Bureau 12" in text
    assert cases.obligations["own"].type.label[:30] in " ".join(text.split())
    assert "132-44" in text
    assert AccessLog.objects.filter(user=world.secretary, action="print").exists()


# --- Calendar feed --------------------------------------------------------------------------


def test_calendar_feed_parses_and_holds_no_names(client, world, cases, at_now):
    own = cases.cases["own"]
    kept = schedule(own, world.adviser, paris(2026, 3, 4, 10, 0))
    cancelled = schedule(
        own,
        world.adviser,
        paris(2026, 3, 6, 10, 0),
        place="Chez la personne",
        kind=Interview.Kind.HOME_VISIT,
    )
    services.interview_cancel(acting_user=world.adviser, interview=cancelled, version=1)
    client.force_login(world.adviser)
    page = client.post(reverse("interviews:calendar"), {"action": "create"}).content.decode()
    feed_url = page.split('id="feed-url">')[1].split("<")[0]
    client.logout()  # calendar clients do not sign in
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    for private in ("Martin", "MARTIN", "Alex", "Chez la personne"):
        assert private not in body
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    event = events[f"interview-{kept.pk}@spip"]
    assert own.number in str(event["summary"]) and "(AM)" in str(event["summary"])
    assert event.decoded("dtstart") == kept.start
    assert str(events[f"interview-{cancelled.pk}@spip"]["status"]) == "CANCELLED"
    # A move propagates: same UID, higher SEQUENCE, new time.
    services.interview_reschedule(
        acting_user=world.adviser,
        interview=kept,
        version=kept.version,
        start=paris(2026, 3, 4, 15, 0),
        duration=45,
        place="Bureau 3",
        kind=Interview.Kind.FOLLOW_UP,
        adviser=world.adviser,
    )
    event = {
        str(e["uid"]): e
        for e in icalendar.Calendar.from_ical(client.get(feed_url).content).walk("VEVENT")
    }[f"interview-{kept.pk}@spip"]
    assert int(event["sequence"]) == 2
    assert event.decoded("dtstart") == paris(2026, 3, 4, 15, 0)


def test_a_revoked_or_unknown_token_answers_404(client, world, cases, at_now):
    token = services.calendar_token_create(acting_user=world.adviser)
    url = reverse("interviews:calendar_feed", kwargs={"token": token})
    assert client.get(url).status_code == 200
    client.force_login(world.adviser)
    client.post(reverse("interviews:calendar"), {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(url.replace(token, "x" * 43)).status_code == 404
    # A new address replaces the old one.
    first = services.calendar_token_create(acting_user=world.adviser)
    second = services.calendar_token_create(acting_user=world.adviser)
    assert client.get(url.replace(token, first)).status_code == 404
    assert client.get(url.replace(token, second)).status_code == 200


# --- Agenda ---------------------------------------------------------------------------------


def _fill_week(case, adviser, count: int) -> None:
    rows = []
    for n in range(count):
        start = paris(2026, 3, 2 + n % 5, 8 + (n // 5) % 12, 0) + dt.timedelta(
            minutes=0 if n < 60 else 30
        )
        rows.append(
            Interview(
                case=case,
                person=case.person,
                adviser=adviser,
                start=start,
                duration=20,
                end=start + dt.timedelta(minutes=20),
                created_by=adviser,
            )
        )
    Interview.objects.bulk_create(rows)


@pytest.mark.parametrize("role", ["adviser", "director", "secretary"])
def test_agenda_query_count_does_not_grow_with_interviews(
    client, world, cases, at_now, django_assert_max_num_queries, role
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = getattr(world, role)
    client.force_login(user)
    url = reverse("interviews:agenda")
    params = {"view": "week", "day": "2026-03-02"}
    if role != "adviser":
        params["adviser"] = world.adviser.pk
    _fill_week(cases.cases["own"], world.adviser, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    Interview.objects.all().delete()
    _fill_week(cases.cases["own"], world.adviser, 120)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
    assert response.content.decode().count("agenda-entry") >= 120
    assert len(many) == len(few)


def test_director_and_secretary_see_the_branch_agendas(client, world, cases, at_now):
    schedule(cases.cases["own"], world.adviser, paris(2026, 3, 2, 10, 0))
    schedule(cases.cases["colleague"], world.colleague, paris(2026, 3, 2, 10, 0))
    schedule(cases.cases["other_branch"], world.other_adviser, paris(2026, 3, 2, 10, 0))
    for user in (world.director, world.secretary):
        client.force_login(user)
        page = client.get(reverse("interviews:agenda"), {"day": "2026-03-02"}).content.decode()
        assert "MARTIN Alex" in page and "BERNARD Alex" in page
        assert "THOMAS Alex" not in page
    client.force_login(world.adviser)
    page = client.get(reverse("interviews:agenda"), {"day": "2026-03-02"}).content.decode()
    assert "MARTIN Alex" in page and "BERNARD Alex" not in page
    # An adviser cannot ask for a colleague's agenda.
    assert (
        client.get(reverse("interviews:agenda"), {"adviser": world.colleague.pk}).status_code == 404
    )


def test_outcomes_to_log_lists_past_interviews_without_outcome(client, world, cases, at_now):
    past = schedule(cases.cases["own"], world.adviser, paris(2026, 3, 2, 9, 0))
    schedule(cases.cases["own"], world.adviser, paris(2026, 3, 3, 9, 0))
    at_now.move_to(dt.datetime(2026, 3, 2, 12, 0, tzinfo=PARIS))
    client.force_login(world.adviser)
    page = client.get(reverse("interviews:outcomes")).content.decode()
    assert f'id="outcome-{past.pk}"' in page
    assert page.count('class="fr-mb-2w" id="outcome-') == 1
    home = client.get(reverse("home")).content.decode()
    assert "1 issue à consigner" in home


# --- What the review found ------------------------------------------------------------------


def test_only_someone_who_follows_the_case_holds_its_interviews(client, world, cases, at_now):
    """Nobody gets on their agenda a case they may not open: not a colleague who reads it
    with a reason, not an adviser excluded from it or not named on a restricted case."""
    for situation, adviser in [
        ("own", world.colleague),
        ("excluded", world.adviser),
        ("restricted", world.adviser),
    ]:
        with pytest.raises(SpipError, match="qui suit ce dossier"):
            schedule(
                cases.cases[situation],
                world.colleague if situation != "own" else world.adviser,
                paris(2026, 3, 4, 10),
                adviser=adviser,
            )
    client.force_login(world.director)
    form = client.get(reverse("interviews:schedule_for_case", args=[cases.own.pk]))
    choices = form.context["form"].fields["adviser"].queryset
    assert list(choices) == [world.adviser]


def test_agenda_feed_and_lists_never_show_a_case_the_adviser_may_not_open(
    client, world, cases, at_now
):
    restricted = cases.cases["restricted"]
    Interview.objects.create(
        case=restricted,
        person=restricted.person,
        adviser=world.adviser,
        start=paris(2026, 3, 2, 7, 0),
        end=paris(2026, 3, 2, 7, 45),
        created_by=world.colleague,
    )
    client.force_login(world.adviser)
    for url in (reverse("interviews:agenda"), reverse("interviews:outcomes"), reverse("home")):
        assert "PETIT" not in client.get(url, {"day": "2026-03-02"}).content.decode(), url
    token = services.calendar_token_create(acting_user=world.adviser)
    feed = client.get(reverse("interviews:calendar_feed", args=[token])).content.decode()
    assert restricted.number not in feed


def test_a_transfer_cancels_the_old_branch_planned_interviews(world, cases, at_now):
    from cases import services as case_services

    own = cases.own
    interview = schedule(own, world.adviser, paris(2026, 3, 4, 10, 0))
    case_services.case_transfer(
        acting_user=world.director, case=own, to_branch=world.other_branch, reason="déménagement"
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED


def test_changing_an_outcome_is_refused_cleanly(client, world, cases, at_now):
    own = cases.own
    first = schedule(own, world.adviser, paris(2026, 3, 2, 9, 0))
    at_now.move_to(dt.datetime(2026, 3, 2, 8, 30, tzinfo=PARIS))
    first, _ = services.interview_outcome_record(
        acting_user=world.adviser,
        interview=first,
        version=first.version,
        status="excused",
        outcome="",
        notes="",
    )
    schedule(own, world.adviser, paris(2026, 3, 2, 9, 0))  # the freed slot is taken again
    at_now.move_to(dt.datetime(2026, 3, 2, 11, 0, tzinfo=PARIS))
    client.force_login(world.adviser)
    response = client.post(
        reverse("interviews:outcome", args=[first.pk]),
        {"status": "held", "version": first.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "déjà un entretien" in response.content.decode()
    # Once an incident is recorded, a missed interview stays missed.
    missed = schedule(own, world.adviser, paris(2026, 3, 2, 10, 0))
    missed, _ = services.interview_outcome_record(
        acting_user=world.adviser,
        interview=missed,
        version=missed.version,
        status="missed",
        outcome="",
        notes="",
    )
    services.interview_incident_record(
        acting_user=world.adviser,
        interview=missed,
        measure=cases.measures["own"],
        response="reminder",
        description="Absent",
    )
    missed.refresh_from_db()
    with pytest.raises(SpipError, match="manquement a été enregistré"):
        services.interview_outcome_record(
            acting_user=world.adviser,
            interview=missed,
            version=missed.version,
            status="excused",
            outcome="",
            notes="",
        )


def test_notes_stay_out_of_the_change_history(world, cases, at_now):
    interview = schedule(cases.own, world.adviser, paris(2026, 3, 2, 9, 0))
    at_now.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    services.interview_outcome_record(
        acting_user=world.adviser,
        interview=interview,
        version=interview.version,
        status="held",
        outcome="",
        notes="Très confidentiel",
    )
    assert (
        not hasattr(interview.history.model, "notes")
        or not interview.history.filter(notes__contains="confidentiel").exists()
    )
    assert "notes" not in {field.name for field in interview.history.model._meta.fields}


def test_scheduling_from_the_agenda_without_any_adviser_is_a_404(client, world):
    from spip.models import Role
    from tests.factories import BranchFactory, UserFactory

    lonely = UserFactory(role=Role.SECRETARY, branch=BranchFactory(name="Vide"))
    client.force_login(lonely)
    assert client.get(reverse("interviews:schedule")).status_code == 404


def test_home_panel_query_count_does_not_grow(client, world, cases, at_now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.adviser)
    _fill_week(cases.own, world.adviser, 5)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    Interview.objects.all().delete()
    _fill_week(cases.own, world.adviser, 100)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home")).content.decode()
    assert page.count("Bureau") == 0 and "Vos entretiens" in page
    assert len(many) == len(few)
