"""State changes of the core app: access log entries and notifications.

Every other app calls `access_log_record` on each read or change of a person's data and
`notification_send` to tell a user something.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from spip.models import AccessLog, Notification, User


def access_log_record(
    *,
    acting_user: User,
    action: AccessLog.Action | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
) -> AccessLog:
    """Append one access-log row: who did `action` on which object, and why when given.

    Pass either a model instance (`obj`) or its `object_type` ("app_label.model") and
    `object_id`. The row is written in the caller's transaction, so a change that is rolled
    back leaves no trace of having happened, while a read is logged even if nothing changes.
    """
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    if not object_type or object_id in ("", None):
        raise ValueError("access_log_record needs an object or its type and id")
    return AccessLog.objects.create(
        user=acting_user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason,
    )


def access_log_expired(*, older_than_days: int | None = None) -> QuerySet[AccessLog]:
    """Access-log rows older than the retention period (`ACCESS_LOG_RETENTION_DAYS`)."""
    days = older_than_days if older_than_days is not None else settings.ACCESS_LOG_RETENTION_DAYS
    return AccessLog.objects.filter(at__lt=timezone.now() - timedelta(days=days))


def access_log_purge(*, older_than_days: int | None = None) -> int:
    """Delete access-log rows older than the retention period; return how many went.

    The table's trigger rejects DELETE unless the transaction has declared itself the
    retention purge (`spip.access_log_purge`), which only this function does.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL spip.access_log_purge = 'on'")
        deleted, _ = access_log_expired(older_than_days=older_than_days).delete()
        # Called inside a wider transaction, the flag would outlive this block otherwise.
        cursor.execute("SET LOCAL spip.access_log_purge = 'off'")
    return deleted


def notification_send(*, recipient: User, message: str, link: str = "") -> Notification:
    """Leave a message for one user; it shows in their header counter until read.

    `message` must hold nothing the recipient may not see, and `link` is a path whose view
    checks access again (never a name or other personal data in it).
    """
    return Notification.objects.create(recipient=recipient, message=message[:500], link=link)


def notification_mark_read(*, acting_user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the acting user's notifications as read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
