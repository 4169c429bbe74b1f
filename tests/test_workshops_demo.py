"""`seed_demo` adds the Montluçon workshops (`workshops.demo`): four programmes, past and
upcoming sessions, enrolments with a waiting list, attendance, the CSAPA and `partenaire`
on addiction awareness; and a second run adds nothing."""

from __future__ import annotations

import io

import django.apps
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cases.models import Proof
from cases.reference import load_reference_data
from spip.models import AccessLog, User
from workshops.demo import PLANS
from workshops.models import Attendance, Enrollment, Session, Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
MODELS = [Workshop, Session, Enrollment, Attendance, Proof, AccessLog]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        load_reference_data(django.apps.apps)
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_the_four_montlucon_workshops_with_past_and_upcoming_sessions(demo):
    now = timezone.now()
    workshops = {w.title: w for w in Workshop.objects.filter(branch__name="Montluçon")}
    assert set(workshops) == {plan.title for plan in PLANS}
    themes = " ".join(f"{w.title} {w.theme}" for w in workshops.values()).lower()
    for word in ("citoyenneté", "éco-citoyenneté", "addictions", "parentale"):
        assert word in themes
    sessions = Session.objects.filter(workshop__branch__name="Montluçon")
    assert sessions.filter(starts_at__lt=now).exists()
    assert sessions.filter(starts_at__gt=now).exists()


def test_addiction_awareness_has_the_csapa_its_partner_and_a_waiting_list(demo):
    workshop = Workshop.objects.get(title="Prévention des addictions")
    assert [p.name for p in workshop.partners.all()] == ["CSAPA Addictions Montluçon"]
    assert list(workshop.contributors.all()) == [User.objects.get(username="partenaire")]
    enrolled = workshop.enrollments.filter(status=Enrollment.Status.ENROLLED).count()
    assert enrolled == workshop.capacity
    assert workshop.enrollments.filter(status=Enrollment.Status.WAITLISTED).exists()
    recorded = Attendance.objects.filter(session__workshop=workshop)
    assert recorded.exists() and {a.recorded_by.username for a in recorded} == {"partenaire"}


def test_the_citizenship_course_is_completed_with_proofs_where_ordered(demo):
    course = Workshop.objects.get(kind="course", course_kind="citizenship")
    completed = course.enrollments.filter(status=Enrollment.Status.COMPLETED)
    assert completed.count() >= course.enrollments.count() // 2
    ordered = completed.exclude(obligation=None)
    assert ordered.exists(), "a completed course shows the proof on the person's obligation"
    for enrollment in ordered:
        assert enrollment.proof is not None and enrollment.proof.compliant
        assert enrollment.proof.obligation_id == enrollment.obligation_id
    assert not course.enrollments.filter(obligation=None).exclude(proof=None).exists()
    for enrollment in course.enrollments.select_related("case"):
        assert enrollment.enrolled_by_id == enrollment.case.adviser_id
    assert Attendance.objects.filter(status="absent").exists()


def test_seed_demo_twice_creates_no_workshop_data_twice(demo):
    before = _counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert "Demo workshops created: 0 workshops, 0 enrolments, 0 attendances." in out.getvalue()
