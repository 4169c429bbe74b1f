"""Workshops under real concurrency: two PostgreSQL connections racing for the last place,
and the attestation rendered by a real Celery worker once the completion is committed."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from spip import queueing
from tests.test_processes import celery_worker  # noqa: F401
from tests.test_workshops_fixtures import add_session, make_workshop
from workshops import services, tasks
from workshops.models import Enrollment


def test_two_advisers_racing_for_the_last_place_give_one_enrolment_and_one_waiting(
    transactional_db, world, cases
):
    workshop = make_workshop(world.director, world.branch, capacity=2)
    services.enrollment_create(
        acting_user=world.director, workshop=workshop, case=cases.cases["restricted"]
    )
    contenders = [(world.adviser, cases.own), (world.colleague, cases.cases["colleague"])]
    barrier = threading.Barrier(len(contenders))
    results: list[str] = []
    errors: list[BaseException] = []

    def enrol(user, case) -> None:
        try:
            with transaction.atomic():  # each thread: its own connection and transaction
                barrier.wait(timeout=10)
                enrollment = services.enrollment_create(
                    acting_user=user, workshop=workshop, case=case
                )
                # Hold the transaction open a moment: without the workshop lock, the other
                # one would count the same free place meanwhile.
                time.sleep(0.5)
            results.append(enrollment.status)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=contender) for contender in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(results) == [Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED]
    taken = Enrollment.objects.filter(workshop=workshop, status=Enrollment.Status.ENROLLED)
    assert taken.count() == workshop.capacity


@pytest.fixture
def worker_files(monkeypatch, settings, tmp_path):
    """The worker (started after this fixture) and this process share private files in
    `tmp_path`, and the worker serves static files without a collected manifest."""
    monkeypatch.setenv(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    monkeypatch.setenv("PRIVATE_FILES_ROOT", str(tmp_path))
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.mark.worker
def test_completion_queues_the_attestation_to_a_real_worker(
    worker_files,
    celery_worker,  # noqa: F811 - the fixture imported above
    world,
    cases,
    monkeypatch,
):
    import datetime as dt

    from django.utils import timezone

    from spip.tasks import ping

    ping.apply_async(queue=celery_worker).get(timeout=90)  # the worker is up
    monkeypatch.setattr(queueing, "ROUTING", {"queue": celery_worker})
    workshop = make_workshop(world.director, world.branch, min_sessions=1)
    session = add_session(world.director, workshop, timezone.localdate() - dt.timedelta(days=1))
    enrollment = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=cases.own
    )
    with transaction.atomic():
        services.attendance_record(
            acting_user=world.director, session=session, enrollment=enrollment, status="present"
        )
    deadline = time.monotonic() + 90
    while not Enrollment.objects.get(pk=enrollment.pk).attestation:
        assert time.monotonic() < deadline, "the worker did not render the attestation"
        time.sleep(0.3)
    enrollment.refresh_from_db()
    try:
        assert enrollment.attestation.read().startswith(b"%PDF-")
        # Run again (a redelivery): nothing changes.
        assert (
            tasks.render_attestation.apply_async((enrollment.pk,), queue=celery_worker).get(
                timeout=60
            )
            is False
        )
    finally:
        enrollment.attestation.delete(save=False)
