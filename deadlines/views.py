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

from deadlines import selectors, services
from deadlines.forms import SnoozeForm
from spip import policy
from spip.exceptions import SpipError
from spip.forms import submit_form
from spip.models import User


def _followers_only(request: HttpRequest) -> None:
    policy.require(request.user, "deadline.list")


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the action came from (the home page or a deadline list)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("deadlines:list")


@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    _followers_only(request)
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    if policy.can(user, "deadline.team"):
        rows = selectors.overdue_by_adviser(user, today)
        return render(request, "deadlines/director.html", {"rows": rows})
    listing = selectors.alert_list(selectors.user_alerts(user, today), today)
    return render(
        request, "deadlines/list.html", {"listing": listing, "adviser": None, "today": today}
    )


@require_GET
def adviser_deadlines(request: HttpRequest, adviser_id: int) -> HttpResponse:
    """A director reads the deadlines of one adviser of a branch they direct."""
    _followers_only(request)
    policy.require(request.user, "deadline.team")
    adviser = selectors.adviser_for_director(request.user, adviser_id)
    today = timezone.localdate()
    listing = selectors.alert_list(
        selectors.adviser_alerts_for_director(request.user, adviser, today), today
    )
    return render(
        request, "deadlines/list.html", {"listing": listing, "adviser": adviser, "today": today}
    )


def _put_off(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("The deadline is put off."))
    return _back(request)


@require_http_methods(["GET", "POST"])
def snooze(request: HttpRequest, alert_id: int) -> HttpResponse:
    _followers_only(request)
    alert = selectors.alert_for_user(request.user, alert_id)
    today = timezone.localdate()
    initial = {"until": today + timedelta(days=7), "next": request.GET.get("next", "")}
    form = SnoozeForm(request.POST or None, initial=initial)
    done = submit_form(
        form,
        service=lambda data: services.alert_snooze(
            acting_user=request.user,
            alert=alert,
            until=data["until"],
            reason=data["reason"],
            today=today,
        ),
        then=lambda _alert: _put_off(request),
    )
    if done is not None:
        return done
    selectors.decorate(alert, today)
    return render(request, "deadlines/snooze.html", {"form": form, "alert": alert})


@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    _followers_only(request)
    alert = selectors.alert_for_user(request.user, alert_id)
    try:
        services.alert_acknowledge(acting_user=request.user, alert=alert)
    except SpipError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Noted: this deadline leaves your list."))
    return _back(request)


@require_POST
def restore(request: HttpRequest, alert_id: int) -> HttpResponse:
    _followers_only(request)
    alert = selectors.alert_for_user(request.user, alert_id)
    if services.alert_restore(acting_user=request.user, alert=alert):
        messages.success(request, _("The deadline is back in the list."))
    return _back(request)
