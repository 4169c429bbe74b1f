"""Views of the core app: home page, health check, sign-in pages, notifications."""

from __future__ import annotations

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from spip.forms import LoginForm, SpipPasswordChangeForm
from spip.home import panels_for
from spip.selectors import notification_list
from spip.services import notification_mark_read


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    directed = list(user.directed_branches.all()) if user.role == "director" else []
    panels = panels_for(user, timezone.localdate())
    return render(request, "spip/home.html", {"directed_branches": directed, "panels": panels})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and compose health checks."""
    checks = {"database": _database_up(), "broker": _broker_up()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded"}
        | {name: "up" if up else "down" for name, up in checks.items()},
        status=200 if healthy else 503,
    )


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _broker_up() -> bool:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = SpipPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: SpipPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def notifications(request: HttpRequest) -> HttpResponse:
    return render(
        request, "spip/notifications.html", {"notifications": notification_list(user=request.user)}
    )


@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(acting_user=request.user)
    return redirect("notifications")
