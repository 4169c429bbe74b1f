"""Deadline pages: the adviser's deadlines (`/deadlines/`), the director's view per adviser,
and snoozing, acknowledging or restoring one alert.

Advisers and directors only: an admin or a secretary is told no (403), a clerk or partner
never learns the pages exist (404). An alert is fetched through the user's own caseload, so
a colleague's alert answers 404 to anyone but the branch's directors.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import alerts
from cases.forms import SnoozeForm, apply_domain_error
from spip import policy
from spip.exceptions import SpipError
from spip.models import User


def _followers_only(request: HttpRequest) -> None:
    policy.require(request.user, "deadline.list")


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the action came from (the home page or a deadline list)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("cases:deadlines")


@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    _followers_only(request)
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    if policy.can(user, "deadline.team"):
        rows = alerts.overdue_by_adviser(user, today)
        return render(request, "cases/alerts/director.html", {"rows": rows})
    listing = alerts.alert_list(alerts.user_alerts(user, today), today)
    return render(
        request, "cases/alerts/list.html", {"listing": listing, "adviser": None, "today": today}
    )


@require_GET
def adviser_deadlines(request: HttpRequest, adviser_id: int) -> HttpResponse:
    """A director reads the deadlines of one adviser of a branch they direct."""
    _followers_only(request)
    policy.require(request.user, "deadline.team")
    adviser = alerts.adviser_for_director(request.user, adviser_id)
    today = timezone.localdate()
    listing = alerts.alert_list(
        alerts.adviser_alerts_for_director(request.user, adviser, today), today
    )
    return render(
        request, "cases/alerts/list.html", {"listing": listing, "adviser": adviser, "today": today}
    )


@require_http_methods(["GET", "POST"])
def snooze(request: HttpRequest, alert_id: int) -> HttpResponse:
    _followers_only(request)
    alert = alerts.alert_for_user(request.user, alert_id)
    today = timezone.localdate()
    initial = {"until": today + timedelta(days=7), "next": request.GET.get("next", "")}
    form = SnoozeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            alerts.alert_snooze(
                acting_user=request.user, alert=alert, until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"], today=today,
            )  # fmt: skip
        except SpipError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The deadline is put off."))
            return _back(request)
    alerts.decorate(alert, today)
    return render(request, "cases/alerts/snooze.html", {"form": form, "alert": alert})


@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    _followers_only(request)
    alert = alerts.alert_for_user(request.user, alert_id)
    try:
        alerts.alert_acknowledge(acting_user=request.user, alert=alert)
    except SpipError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Noted: this deadline leaves your list."))
    return _back(request)


@require_POST
def restore(request: HttpRequest, alert_id: int) -> HttpResponse:
    _followers_only(request)
    alert = alerts.alert_for_user(request.user, alert_id)
    if alerts.alert_restore(acting_user=request.user, alert=alert):
        messages.success(request, _("The deadline is back in the list."))
    return _back(request)
