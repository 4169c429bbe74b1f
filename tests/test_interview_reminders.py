"""Reminders 48 hours ahead: claimed in the database before sending, so never sent twice —
whether the task runs twice, or in two real workers at once — and a claim left by a dead
worker is shown to the adviser, not resent."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Interview
from interviews.reminders import reminders_send
from interviews.tasks import send_reminders
from tests.test_processes import start_worker, stop_process

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _interview(case, adviser, start: dt.datetime, **extra) -> Interview:
    return Interview.objects.create(
        case=case,
        person=case.person,
        adviser=adviser,
        start=start,
        end=start + dt.timedelta(minutes=45),
        created_by=adviser,
        place="Bureau 3",
        **extra,
    )


def _contact(person, *, email: str = "", phone: str = "", opt_out: bool = False) -> None:
    person.email, person.phone, person.sms_opt_out = email, phone, opt_out
    person.save(update_fields=["email", "phone", "sms_opt_out"])


def test_reminders_go_once_about_48_hours_ahead(world, cases, caplog):
    now = timezone.now()
    own, colleague = cases.cases["own"], cases.cases["colleague"]
    _contact(own.person, email="alex.martin@example.org")
    _contact(colleague.person, phone="0612345678", opt_out=True)
    due = _interview(own, world.adviser, now + dt.timedelta(hours=47))
    opted_out = _interview(colleague, world.colleague, now + dt.timedelta(hours=30))
    later = _interview(own, world.adviser, now + dt.timedelta(hours=72))
    too_close = _interview(own, world.adviser, now + dt.timedelta(minutes=50))
    cancelled = _interview(
        own, world.adviser, now + dt.timedelta(hours=40), status=Interview.Status.CANCELLED
    )
    result = reminders_send(now=now)
    assert (result.claimed, result.sent, result.skipped) == (2, 1, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex.martin@example.org"]
    assert "Bureau 3" in message.body and "Montluçon" in message.body
    assert "Martin" not in message.body  # where and when, nothing about the person
    due.refresh_from_db()
    assert due.reminder == Interview.Reminder.SENT and due.reminder_sent_at
    assert "courriel" in due.reminder_result
    opted_out.refresh_from_db()
    assert opted_out.reminder == Interview.Reminder.SKIPPED
    assert "refuse les SMS" in opted_out.reminder_result
    for untouched in (later, too_close, cancelled):
        untouched.refresh_from_db()
        assert untouched.reminder == ""
    # A second run sends nothing more.
    assert reminders_send(now=now).claimed == 0
    assert len(mail.outbox) == 1
    assert "0612345678" not in caplog.text and "alex.martin" not in caplog.text


def test_text_messages_go_through_the_sms_backend(world, cases, caplog, settings):
    caplog.set_level("INFO", logger="interviews.reminders")
    now = timezone.now()
    own = cases.cases["own"]
    _contact(own.person, phone="0612345678")
    interview = _interview(own, world.adviser, now + dt.timedelta(hours=47))
    assert reminders_send(now=now).sent == 1
    interview.refresh_from_db()
    assert "SMS" in interview.reminder_result
    assert "number ending in 78" in caplog.text and "0612345678" not in caplog.text


def test_a_failed_send_is_recorded_not_retried(world, cases, settings):
    settings.SMS_BACKEND = "tests.test_interview_reminders.BrokenSms"
    now = timezone.now()
    own = cases.cases["own"]
    _contact(own.person, phone="0612345678")
    interview = _interview(own, world.adviser, now + dt.timedelta(hours=47))
    assert reminders_send(now=now).failed == 1
    interview.refresh_from_db()
    assert interview.reminder == Interview.Reminder.FAILED
    assert "ConnectionError" in interview.reminder_result
    assert reminders_send(now=now).claimed == 0


class BrokenSms:
    def send(self, phone: str, text: str) -> str:
        raise ConnectionError("provider down")


def test_a_claim_left_by_a_dead_worker_is_shown_not_resent(client, world, cases):
    now = timezone.now()
    own = cases.cases["own"]
    _contact(own.person, email="alex.martin@example.org")
    interview = _interview(
        own,
        world.adviser,
        now + dt.timedelta(hours=40),
        reminder=Interview.Reminder.CLAIMED,
        reminder_claimed_at=now - dt.timedelta(minutes=20),
    )
    fresh = _interview(
        own,
        world.adviser,
        now + dt.timedelta(hours=44),
        reminder=Interview.Reminder.CLAIMED,
        reminder_claimed_at=now - dt.timedelta(minutes=5),
    )
    assert reminders_send(now=now).claimed == 0
    assert mail.outbox == []
    client.force_login(world.adviser)
    page = client.get(reverse("interviews:outcomes")).content.decode()
    assert "Rappels à vérifier" in page
    assert reverse("interviews:detail", args=[interview.pk]) in page
    assert reverse("interviews:detail", args=[fresh.pk]) not in page  # not 15 minutes yet
    assert "1 rappel à vérifier" in client.get(reverse("home")).content.decode()
    # The adviser checked with the person and sends it again.
    client.post(reverse("interviews:reminder_retry", args=[interview.pk]))
    assert reminders_send(now=timezone.now()).sent == 1
    assert len(mail.outbox) == 1


def test_moving_an_interview_sends_a_new_reminder(world, cases):
    now = timezone.now()
    own = cases.cases["own"]
    _contact(own.person, email="alex.martin@example.org")
    start = services.paris_datetime((now + dt.timedelta(days=5)).date(), dt.time(10, 0))
    interview = services.interview_schedule(
        acting_user=world.adviser,
        case=own,
        adviser=world.adviser,
        start=start,
        duration=45,
        kind=Interview.Kind.FOLLOW_UP,
        place="Bureau 3",
    )
    assert reminders_send(now=start - dt.timedelta(hours=47)).sent == 1
    interview.refresh_from_db()
    services.interview_reschedule(
        acting_user=world.adviser,
        interview=interview,
        version=interview.version,
        start=start + dt.timedelta(days=1),
        duration=45,
        place="Bureau 3",
        kind=Interview.Kind.FOLLOW_UP,
        adviser=world.adviser,
    )
    assert reminders_send(now=start + dt.timedelta(days=1) - dt.timedelta(hours=47)).sent == 1
    assert len(mail.outbox) == 2


# --- Real workers ---------------------------------------------------------------------------


def _messages(folder: Path) -> int:
    return sum(path.read_text().count("Message-ID:") for path in folder.iterdir())


@pytest.mark.worker
def test_real_workers_send_each_reminder_once(transactional_db, world, cases, tmp_path):
    """The task run twice through a worker, then from two workers at once: every person
    gets exactly one message."""
    now = timezone.now()
    own = cases.cases["own"]
    _contact(own.person, email="alex.martin@example.org")
    first = _interview(own, world.adviser, now + dt.timedelta(hours=47))
    mails = tmp_path / "mail"
    mails.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mails),
    }
    queues = [f"test-{uuid.uuid4().hex[:12]}" for _ in range(2)]
    workers = [start_worker(queue, env, name=f"w{n}-{queue}") for n, queue in enumerate(queues)]
    try:
        for _ in range(2):
            result = send_reminders.apply_async(queue=queues[0]).get(timeout=90)
        assert _messages(mails) == 1
        assert result["claimed"] == 0  # the second run found nothing left to send
        first.refresh_from_db()
        assert first.reminder == Interview.Reminder.SENT
        # Many reminders due, both workers at once.
        people = []
        for n in range(40):
            case = _new_case(world, cases, n)
            _contact(case.person, email=f"person{n}@example.org")
            people.append(
                _interview(case, world.adviser, now + dt.timedelta(hours=3, minutes=n * 66))
            )
        results = [send_reminders.apply_async(queue=queue) for queue in queues]
        counts = [result.get(timeout=90) for result in results]
        assert sum(count["sent"] for count in counts) == 40
        assert _messages(mails) == 41
        assert not Interview.objects.exclude(reminder=Interview.Reminder.SENT).exists()
    finally:
        for worker in workers:
            stop_process(worker)


def _new_case(world, cases, n: int):
    from cases import services as case_services

    model = cases.cases["own"]
    return case_services.case_open(
        acting_user=world.director,
        branch=world.branch,
        adviser=world.adviser,
        opened_on=model.opened_on,
        intensity=model.intensity,
        intensity_reason="évaluation",
        person_data={
            "birth_name": f"Personne{n}",
            "first_names": "Sam",
            "sex": "F",
            "birth_date": dt.date(1985, 1, 1 + n % 28),
        },
    )


def test_a_fresh_claim_cannot_be_reset(client, world, cases):
    """While a worker may still be sending, nobody can ask for the reminder again."""
    own = cases.own
    interview = _interview(
        own,
        world.adviser,
        timezone.now() + dt.timedelta(hours=40),
        reminder=Interview.Reminder.CLAIMED,
        reminder_claimed_at=timezone.now(),
    )
    client.force_login(world.adviser)
    assert (
        "Renvoyer le rappel"
        not in client.get(reverse("interviews:detail", args=[interview.pk])).content.decode()
    )
    client.post(reverse("interviews:reminder_retry", args=[interview.pk]))
    interview.refresh_from_db()
    assert interview.reminder == Interview.Reminder.CLAIMED
