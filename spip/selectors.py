"""Read queries of the core app."""

from __future__ import annotations

from django.db.models import QuerySet

from spip.models import Notification, User


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user: User, limit: int = 100) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit]
