"""Project middleware."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, except for background requests (htmx): a redirect to the sign-in page
    would be swapped into the page, or silently lose what the request carried. They get
    401 instead, and the page tells the user to sign in again while keeping what is on
    screen (e.g. the report being drafted)."""

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["WWW-Authenticate"] = 'Session realm="spip"'
            return response
        return super().handle_no_permission(request, view_func)
