"""Sign-in forms in the French state design system.

The login view takes its form from `LOGIN_FORM`, so a two-factor form (django-otp's
`OTPAuthenticationForm`) can replace it without touching the views or templates.
"""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


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
