"""Input checks for the deadline pages; the rules of a snooze are in `deadlines.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cases.forms import date_field


class SnoozeForm(DsfrBaseForm):
    until = date_field(_("Put off until"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Why this deadline can wait; the branch's directors see it."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
