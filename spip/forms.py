"""Forms of the kernel: domain errors onto forms, the service-form flow, sign-in forms.

Every view that runs a service from a form goes through `submit_form`: a `SpipError` from
the service shows next to the field it names (or above the form), `NotAllowed` is a 403,
anything else is a bug and propagates.

The login view takes its form from `LOGIN_FORM`, so a two-factor form (django-otp's
`OTPAuthenticationForm`) can replace it without touching the views or templates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from spip.exceptions import ConcurrentEdit, DomainErrors, NotAllowed, SpipError

T = TypeVar("T")
R = TypeVar("R")


def apply_domain_error(form: forms.BaseForm, error: SpipError) -> None:
    """Show a service's error next to the field it names (or above the form). After a
    concurrent edit the form carries the version now saved, so that what the user typed is
    kept and their next save deliberately replaces the other edit."""
    if isinstance(error, ConcurrentEdit) and "version" in form.fields:
        data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
        data["version"] = str(error.current_version)
        form.data = data
    errors = (error.errors if isinstance(error, DomainErrors) else []) or [error]
    for item in errors:
        field = item.field if item.field in form.fields else None
        form.add_error(field, str(item.message))


def submit_form(
    form: forms.BaseForm,
    *,
    service: Callable[[dict[str, Any]], T],
    then: Callable[[T], R],
) -> R | None:
    """The view's "valid form → service → redirect" in one place: when the (bound) form is
    valid, call `service` with its cleaned data and return `then(result)` (usually a
    redirect). None when the form is unbound or invalid, or the service refused with a
    domain error, now on the form: the caller renders the form again. `NotAllowed` is a
    403, as if the view had refused."""
    if not form.is_valid():
        return None
    try:
        result = service(form.cleaned_data)
    except NotAllowed:
        raise PermissionDenied from None
    except SpipError as error:
        apply_domain_error(form, error)
        return None
    return then(result)


class LoginForm(DsfrBaseForm, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Incorrect username or password. Both are case-sensitive; after several "
            "failures the account is locked for a while."
        ),
        "inactive": _("This account is inactive."),
    }


class SpipPasswordChangeForm(DsfrBaseForm, PasswordChangeForm):
    pass
