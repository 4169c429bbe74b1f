"""The issue's "done when", on the demo data: `conseiller`'s home page shows today's
convocations and the deadlines computed from the demo caseload; recording the missing proof,
or issuing the due report, makes its alert disappear through the case recompute."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deadlines import engine
from deadlines.models import Alert
from interviews.models import Interview
from reporting import services
from reporting.models import Kind, Report
from spip.models import Branch, User
from spip.workdays import next_working_day
from tests.demo import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, private_files_root):
    with seeded_demo(django_db_blocker, private_files_root) as output:
        yield output


@pytest.fixture
def conseiller(demo) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="conseiller"))
    return client


def _home(client: Client) -> str:
    return client.get(reverse("home")).content.decode()


def test_home_shows_todays_convocations_and_the_caseloads_deadlines(demo, conseiller):
    assert "Demo deadlines:" in demo
    today = timezone.localdate()
    home = _home(conseiller)
    # Today's convocations (none on a weekend or holiday) and the next working day's, which
    # the demo always plans.
    branch = Branch.objects.get(name="Montluçon")
    shown = Interview.objects.filter(
        adviser__username="conseiller",
        start__date__in=[today, next_working_day(today, branch)],
        status="planned",
    )
    assert shown.filter(start__date=next_working_day(today, branch)).exists()
    for interview in shown:
        assert reverse("interviews:detail", args=[interview.pk]) in home
    mine = Alert.objects.filter(case__adviser__username="conseiller", status="open")
    assert set(mine.values_list("rule", flat=True)) >= {
        "proof_overdue",
        "evaluation_report",
        "interview_gap",
        "end_of_measure_report",
        "measure_end",
        "early_end",
    }
    most_urgent = mine.exclude(rule__in=["measure_end", "early_end"]).order_by(
        "due_on", "case__number", "id"
    )[0]
    assert f'id="alert-{most_urgent.pk}"' in home
    page = conseiller.get(reverse("deadlines:list")).content.decode()
    assert all(f'id="alert-{pk}"' in page for pk in mine.values_list("pk", flat=True))
    # The seeding swept as the nightly task does: sweeping again changes nothing.
    again = engine.sweep(as_of=today)
    assert all(count == engine.RuleCounts(0, 0, 0) for count in again.values())


def test_recording_the_missing_proof_closes_its_alert(
    demo, conseiller, django_capture_on_commit_callbacks
):
    alert = Alert.objects.filter(
        case__adviser__username="conseiller", rule="proof_overdue", status="open"
    ).first()
    assert f'id="alert-{alert.pk}"' in conseiller.get(reverse("deadlines:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = conseiller.post(
            reverse("cases:proof_add", args=[alert.object_id]),
            {"received_on": timezone.localdate().isoformat(), "compliant": "1"},
        )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert (
        f'id="alert-{alert.pk}"' not in conseiller.get(reverse("deadlines:list")).content.decode()
    )


def test_issuing_the_due_report_closes_its_alert(
    demo, conseiller, django_capture_on_commit_callbacks
):
    alert = Alert.objects.filter(
        case__adviser__username="conseiller", rule="end_of_measure_report", status="open"
    ).first()
    with django_capture_on_commit_callbacks(execute=True):
        conseiller.post(
            reverse("reporting:new", args=[alert.case_id]),
            {"kind": Kind.END_OF_MEASURE, "measure": alert.object_id},
        )
    report = Report.objects.get(measure_id=alert.object_id, kind=Kind.END_OF_MEASURE)
    data = {name: getattr(report, name) for name in services.DRAFT_FIELDS}
    data |= {
        "court": report.court_id,
        "version": report.version,
        "judge": "Mme Fontaine",
        "analysis": "Mesure exécutée sans incident.",
        "proposal": "nothing",
    }
    conseiller.post(reverse("reporting:submit", args=[report.pk]), data)
    alert.refresh_from_db()
    assert alert.status == "open"  # submitted is not enough: it must leave the service
    director = Client()
    director.force_login(User.objects.get(username="directrice"))
    report.refresh_from_db()
    director.post(reverse("reporting:validate", args=[report.pk]), {"version": report.version})
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_issue(report_id=report.pk)  # what the worker does
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert f'id="alert-{alert.pk}"' not in _home(conseiller)
