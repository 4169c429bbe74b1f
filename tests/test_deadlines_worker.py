"""The nightly deadline sweep run by a real Celery worker against the test database: it
raises the alerts and tells each adviser; run again, it raises nothing."""

from __future__ import annotations

import pytest

from deadlines.models import Alert
from deadlines.tasks import sweep_deadlines
from spip.models import Notification
from spip.tasks import ping
from tests.test_processes import celery_worker  # noqa: F401


@pytest.mark.worker
def test_a_real_worker_sweeps_the_deadlines(celery_worker, world, cases):  # noqa: F811
    ping.apply_async(queue=celery_worker).get(timeout=90)  # the worker is up
    # Each change already recomputed its case once committed; start from none.
    assert Alert.objects.filter(rule="first_convocation", case=cases.own).exists()
    Alert.objects.all().delete()
    counts = sweep_deadlines.apply_async(queue=celery_worker).get(timeout=120)
    raised = {code: created for code, (created, _updated, _closed) in counts.items()}
    assert raised["first_convocation"] == len(cases.cases)  # no interview yet anywhere
    assert Alert.objects.filter(rule="first_convocation", case=cases.own, status="open").exists()
    assert Alert.objects.count() == sum(raised.values())
    assert Notification.objects.filter(recipient=world.adviser, link="/deadlines/").count() == 1
    again = sweep_deadlines.apply_async(queue=celery_worker).get(timeout=120)
    assert all(numbers == [0, 0, 0] for numbers in again.values())
    assert Notification.objects.filter(recipient=world.adviser, link="/deadlines/").count() == 1
