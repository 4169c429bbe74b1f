"""Context every page's layout needs: navigation for the user's role, unread notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spip.models import Role
from spip.selectors import notification_unread_count

# Navigation by role: (URL name, label). Later apps add their pages here.
NAVIGATION: dict[str, list[tuple[str, Any]]] = {
    Role.ADVISER: [("home", _("Home"))],
    Role.DIRECTOR: [("home", _("Home"))],
    Role.SECRETARY: [("home", _("Home"))],
    Role.CLERK: [("home", _("Home"))],
    Role.PARTNER: [("home", _("Home"))],
    Role.ADMIN: [("home", _("Home")), ("admin:index", _("Administration"))],
}


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
    for url_name, label in NAVIGATION.get(user.role, []):
        url = reverse(url_name)
        active = current == url if url == "/" else current.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    context["nav_items"] = items
    context["unread_notifications"] = notification_unread_count(user=user)
    return context
