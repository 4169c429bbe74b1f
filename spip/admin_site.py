"""The admin site, answering 403 (not a login page) to signed-in users who are not admins."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class SpipAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """One sign-in page for the whole service (with its lockout): the project's own."""
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        if request.user.is_authenticated:
            return super().login(request, extra_context)
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("login"))

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Any:
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return wrapped(request, *args, **kwargs)

        return inner
