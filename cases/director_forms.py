"""Input checks for the director's allocation page; the rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cases.forms import date_field
from cases.policy import assignable_advisers
from spip.models import Branch, User


class AdviserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} — {obj.branch}"


class QueueAssignForm(DsfrBaseForm):
    adviser = forms.ModelChoiceField(label=_("Adviser"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = assignable_advisers(branch)


class SubstituteForm(DsfrBaseForm):
    absent = AdviserField(label=_("Absent adviser"), queryset=User.objects.none())
    substitute = AdviserField(
        label=_("Substitute adviser"),
        queryset=User.objects.none(),
        help_text=_("A colleague of the same branch."),
    )
    until = date_field(_("Last day of the absence"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, director: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        advisers = assignable_advisers(director.directed_branches.all()).select_related("branch")
        self.fields["absent"].queryset = advisers
        self.fields["substitute"].queryset = advisers
        self.fields["until"].help_text = _(
            "The substitute may open the absent adviser's open cases from now until this "
            "day included; the access ends by itself the next day."
        )


class CloseForm(DsfrBaseForm):
    closed_on = date_field(_("Closed on"))
    reason = forms.CharField(label=_("Reason"), max_length=300)
