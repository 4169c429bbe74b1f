"""The access log is append-only in the database itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from spip.models import AccessLog
from spip.services import access_log_purge, access_log_record

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _entry(world, **kwargs):
    return access_log_record(
        acting_user=world.adviser,
        action=AccessLog.Action.VIEW,
        object_type="cases.case",
        object_id=42,
        **kwargs,
    )


def test_record_names_the_object_by_type_and_id(world):
    entry = _entry(world, reason="remplacement")
    entry.refresh_from_db()
    assert (entry.object_type, entry.object_id, entry.reason) == (
        "cases.case",
        "42",
        "remplacement",
    )
    # Stamped by the database's clock (the process's may be moved by --clock).
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (database_now,) = cursor.fetchone()
    assert abs(entry.at - database_now) < timedelta(minutes=1)
    world.branch.refresh_from_db()
    from_instance = access_log_record(
        acting_user=world.adviser, action=AccessLog.Action.CHANGE, obj=world.branch
    )
    assert (from_instance.object_type, from_instance.object_id) == (
        "spip.branch",
        str(world.branch.pk),
    )


def test_update_is_rejected_by_the_database(world):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(reason="effacer mes traces")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE spip_accesslog SET object_id = '1' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == "" and entry.object_id == "42"


def test_delete_is_rejected_by_the_database(world):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM spip_accesslog")
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_retention_purge_deletes_only_old_rows(world):
    old = _entry(world)
    recent = _entry(world)
    # Backdating a row is itself an UPDATE, so the test inserts the old row directly.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO spip_accesslog (user_id, at, action, object_type, object_id, reason) "
            "VALUES (%s, %s, 'view', 'cases.case', '7', '') RETURNING id",
            [world.adviser.pk, timezone.now() - timedelta(days=400)],
        )
        (old_id,) = cursor.fetchone()
    assert access_log_purge(older_than_days=365) == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {old.pk, recent.pk}
    assert not AccessLog.objects.filter(pk=old_id).exists()
    # The permission to delete ended with the purge's transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=old.pk).delete()
