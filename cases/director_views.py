"""The director's allocation page (`/director/caseloads/`) and its actions: assigning a case
from the unassigned queue, substitutes for a leave, closing a case whose measures are over.

Directors only: an admin, adviser or secretary is told no (403: staff who may know the page
exists), a clerk or partner never learns it exists (404). Cases are fetched through
the access policy ("caseload.allocate" for the pages, "case.assign"/"case.close" for a case),
so another branch's director gets 404 on them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import allocation, services
from cases.director_forms import CloseForm, QueueAssignForm, SubstituteForm
from cases.legal import MeasureKind
from cases.models import Case, IntensityLevel
from cases.policy import case_for
from spip import policy
from spip.forms import submit_form

PAGE = "cases:director_caseloads"


def _directors_only(request: HttpRequest) -> None:
    policy.require(request.user, "caseload.allocate")


def _form_page(
    request: HttpRequest, form: Any, title: str, action_url: str, case: Case | None = None
) -> HttpResponse:
    return render(
        request,
        "cases/director/form.html",
        {"form": form, "title": title, "action_url": action_url, "case": case},
    )


@require_GET
def caseloads(request: HttpRequest) -> HttpResponse:
    _directors_only(request)
    page = allocation.allocation_page(request.user, as_of=timezone.localdate())
    context = {
        "page": page,
        "substitute_form": SubstituteForm(director=request.user),
        "kind_weights": [(MeasureKind(k).label, w) for k, w in allocation.KIND_WEIGHTS.items()],
        "intensity_factors": [
            (level.label, allocation.intensity_factor(level.code))
            for level in IntensityLevel.objects.all()
        ],
    }
    return render(request, "cases/director/caseloads.html", context)


@require_GET
def adviser_caseload(request: HttpRequest, adviser_id: int) -> HttpResponse:
    """One adviser's open cases, heaviest first, each with a link to reassign it."""
    _directors_only(request)
    adviser = get_object_or_404(
        allocation.branch_advisers(list(request.user.directed_branches.all())), pk=adviser_id
    )
    cases = allocation.adviser_cases(request.user, adviser, as_of=timezone.localdate())
    total = sum((case.weight for case in cases), Decimal(0))
    return render(
        request,
        "cases/director/adviser.html",
        {"adviser": adviser, "cases": cases, "total": total, "target": allocation.TARGET_LOAD},
    )


@require_POST
def queue_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    _directors_only(request)
    case = case_for(request.user, case_id, "case.assign")
    form = QueueAssignForm(request.POST, branch=case.branch)

    def assigned(_case: Case) -> HttpResponse:
        messages.success(
            request,
            _("Case %(number)s assigned to %(adviser)s.")
            % {"number": case.number, "adviser": form.cleaned_data["adviser"]},
        )
        return redirect(PAGE)

    done = submit_form(
        form,
        service=lambda data: services.case_assign(acting_user=request.user, case=case, **data),
        then=assigned,
    )
    if done is not None:
        return done
    url = reverse("cases:director_assign", kwargs={"case_id": case.pk})
    return _form_page(request, form, _("Assign the case"), url, case)


@require_http_methods(["GET", "POST"])
def substitutes(request: HttpRequest) -> HttpResponse:
    _directors_only(request)
    form = SubstituteForm(request.POST or None, director=request.user)

    def substituted(granted: list[Case]) -> HttpResponse:
        data = form.cleaned_data
        messages.success(
            request,
            ngettext(
                "%(substitute)s substitutes for %(absent)s until %(date)s on %(count)d case.",
                "%(substitute)s substitutes for %(absent)s until %(date)s on %(count)d cases.",
                len(granted),
            )
            % {
                "substitute": data["substitute"],
                "absent": data["absent"],
                "date": formats.date_format(data["until"], "SHORT_DATE_FORMAT"),
                "count": len(granted),
            },
        )
        return redirect(PAGE)

    done = submit_form(
        form,
        service=lambda data: services.case_substitutes_set(acting_user=request.user, **data),
        then=substituted,
    )
    if done is not None:
        return done
    return _form_page(request, form, _("Set a substitute"), reverse("cases:director_substitutes"))


@require_POST
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    _directors_only(request)
    case = case_for(request.user, case_id, "case.close")
    form = CloseForm(request.POST)

    def closed(_case: Case) -> HttpResponse:
        messages.success(request, _("Case %(number)s closed.") % {"number": case.number})
        return redirect(PAGE)

    done = submit_form(
        form,
        service=lambda data: services.case_close(acting_user=request.user, case=case, **data),
        then=closed,
    )
    if done is not None:
        return done
    url = reverse("cases:director_close", kwargs={"case_id": case.pk})
    return _form_page(request, form, _("Close the case"), url, case)
