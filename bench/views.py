"""The benchmark's reference pages: what `/cases/` and our search are measured against.

- `floor`: behind the same middleware (session, sign-in, CSP…), one query for the signed-in
  user's open cases and a bare answer: the least any caseload page can cost.
- `admin_site`: the Django admin changelist over people with `search_fields` on the names,
  as a project without our trigram search would offer (icontains on every name column).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from cases.models import Person

FLOOR_SQL = (
    "SELECT id, number FROM cases_case WHERE adviser_id = %s AND closed_on IS NULL "
    "ORDER BY number LIMIT 50"
)


def floor(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [request.user.pk])
        rows = cursor.fetchall()
    items = "".join(f"<li>{escape(number)}</li>" for _, number in rows)
    return HttpResponse(f"<!doctype html><title>floor</title><ul>{items}</ul>")


class PersonSearch(admin.ModelAdmin):
    search_fields = ("birth_name", "usage_name", "first_names")
    list_display = ("birth_name", "usage_name", "first_names", "birth_date")

    # The bench signs in as an administrator; the comparison is about the search, not rights.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return True

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return True


admin_site = admin.AdminSite(name="bench_admin")
admin_site.register(Person, PersonSearch)
