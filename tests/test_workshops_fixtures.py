"""A small workshop world around `tests.conftest`'s: one workshop at the world's branch
(facilitated by the colleague, with the partner as contributor) and one at the other
branch, each with a past and an upcoming session and the own case enrolled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from workshops import services
from workshops.models import Enrollment, Session, Workshop


@dataclass
class WorkshopWorld:
    workshop: Workshop
    other: Workshop
    past: Session
    upcoming: Session
    other_past: Session
    enrollment: Enrollment
    other_enrollment: Enrollment


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_workshop(director, branch, **options) -> Workshop:
    values = {
        "title": "Prévention des addictions",
        "kind": Workshop.Kind.WORKSHOP,
        "theme": "Alcool et cannabis",
        "capacity": 8,
        "min_sessions": 2,
    } | options
    return services.workshop_create(acting_user=director, branch_id=branch.pk, **values)


def add_session(director, workshop, day: dt.date, topic: str = "Séance") -> Session:
    return services.session_add(
        acting_user=director,
        workshop=workshop,
        starts_at=at(day, 14),
        ends_at=at(day, 16, 30),
        place="Salle collective",
        topic=topic,
    )


@pytest.fixture(name="workshops")
def workshops_fixture(world, cases) -> WorkshopWorld:
    today = timezone.localdate()
    world.partner.partner.department = world.branch.department
    world.partner.partner.save(update_fields=["department"])
    workshop = make_workshop(
        world.director,
        world.branch,
        facilitators=[world.colleague],
        partners=[world.partner.partner],
        contributors=[world.partner],
    )
    other = make_workshop(world.other_director, world.other_branch, title="Éco-citoyenneté")
    past = add_session(world.director, workshop, today - dt.timedelta(days=7), "Représentations")
    upcoming = add_session(world.director, workshop, today + dt.timedelta(days=7), "Risques")
    other_past = add_session(world.other_director, other, today - dt.timedelta(days=3))
    enrollment = services.enrollment_create(
        acting_user=world.adviser, workshop=workshop, case=cases.own
    )
    other_enrollment = services.enrollment_create(
        acting_user=world.other_adviser, workshop=other, case=cases.cases["other_branch"]
    )
    return WorkshopWorld(workshop, other, past, upcoming, other_past, enrollment, other_enrollment)
