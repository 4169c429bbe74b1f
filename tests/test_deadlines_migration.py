"""`Alert` and `DigestClaim` moved from `cases` to `deadlines` without touching their tables:
on a real database, the rows written before the move are read after it through the new
models, and again after migrating back, with the same values; the content types follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from deadlines.models import Alert, DigestClaim
from spip.workdays import week_start

BEFORE = [("cases", "0013_word_similarity_cost")]  # the last state with the models in cases
TABLES = {
    "cases_alert": {"alert_once", "alert_snooze_has_reason", "alert_open_case", "alert_rule_case"},
    "cases_digestclaim": {"digest_once_a_week"},
}


def _migrate(targets: list[tuple[str, str]]):
    """Migrate to `targets`; return the apps of the state reached."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _rows(alert_model, claim_model) -> tuple[list[dict], list[dict]]:
    return (
        list(alert_model.objects.order_by("pk").values()),
        list(claim_model.objects.order_by("pk").values()),
    )


def _content_types(apps, app_label: str) -> dict[str, int]:
    content_type = apps.get_model("contenttypes", "ContentType")
    return dict(
        content_type.objects.filter(
            app_label=app_label, model__in=["alert", "digestclaim"]
        ).values_list("model", "pk")
    )


def _named_constraints() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        return {
            table: set(connection.introspection.get_constraints(cursor, table)) & names
            for table, names in TABLES.items()
        }


@pytest.mark.django_db(transaction=True)
def test_moving_the_models_keeps_every_alert_and_claim(world, cases):
    latest = _latest()
    content_types = _content_types(_migrate(latest), "deadlines")
    assert set(content_types) == {"alert", "digestclaim"}  # created for the models' new app

    old = _migrate(BEFORE)
    assert _content_types(old, "cases") == content_types  # renamed back, same ids
    old_alert, old_claim = old.get_model("cases", "Alert"), old.get_model("cases", "DigestClaim")
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    old_alert.objects.create(
        rule="moved_open",
        case_id=cases.own.pk,
        object_id=cases.obligations["own"].pk,
        due_on=today,
        detail={"label": "Soins"},
        status="open",
        created_at=now,
        snoozed_until=today + dt.timedelta(days=7),
        snooze_reason="Hospitalisé",
        snoozed_by_id=world.adviser.pk,
        notified_at=now,
    )
    old_alert.objects.create(
        rule="moved_closed",
        case_id=cases.cases["colleague"].pk,
        object_id=cases.measures["colleague"].pk,
        due_on=today - dt.timedelta(days=3),
        detail={"kind": "probation"},
        status="closed",
        created_at=now - dt.timedelta(days=9),
        closed_at=now,
        acknowledged_at=now - dt.timedelta(days=1),
        acknowledged_by_id=world.colleague.pk,
    )
    monday = week_start(today)
    old_claim.objects.create(recipient_id=world.adviser.pk, week=monday, claimed_at=now)
    old_claim.objects.create(
        recipient_id=world.colleague.pk, week=monday, claimed_at=now, sent_at=now
    )
    written = _rows(old_alert, old_claim)
    # With the alerts the fixture's case changes raised (recomputed on commit).
    assert {"moved_open", "moved_closed"} < {row["rule"] for row in written[0]}
    assert len(written[1]) == 2

    _migrate(latest)
    assert _rows(Alert, DigestClaim) == written
    assert _content_types(old, "deadlines") == content_types
    assert _named_constraints() == TABLES
    # The table's sequence goes on where it was.
    added = Alert.objects.create(
        rule="measure_end", case=cases.own, object_id=cases.measures["own"].pk, due_on=today
    )
    assert added.pk > max(row["id"] for row in written[0])
    added.delete()

    old = _migrate(BEFORE)
    assert _rows(old.get_model("cases", "Alert"), old.get_model("cases", "DigestClaim")) == written
    assert _content_types(old, "cases") == content_types

    _migrate(latest)  # the database as the other tests expect it
    assert _rows(Alert, DigestClaim) == written
    assert _content_types(old, "deadlines") == content_types
