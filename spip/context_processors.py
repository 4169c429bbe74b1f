"""Context every page's layout needs: the navigation the policy shows the user, unread
notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from spip.navigation import items_for
from spip.selectors import notification_unread_count


def layout(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "service_name": settings.SPIP_SERVICE_NAME,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    current = request.path
    items = []
    for item in items_for(user):
        url = reverse(item.url_name)
        active = current == url if url == "/" else current.startswith(url)
        items.append({"url": url, "label": item.label, "active": active})
    context["nav_items"] = items
    context["unread_notifications"] = notification_unread_count(user=user)
    return context
