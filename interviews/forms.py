"""Input checks of the interview pages; rules stay in `interviews.services`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cases.forms import date_field
from cases.models import Case, Incident, Measure, Obligation
from interviews.models import Interview
from interviews.services import paris_datetime
from spip.exceptions import SpipError
from spip.models import User

DURATIONS = [
    (15, "15 min"),
    (30, "30 min"),
    (45, "45 min"),
    (60, "1 h"),
    (90, "1 h 30"),
    (120, "2 h"),
    (180, "3 h"),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ScheduleForm(DsfrBaseForm):
    """When, with whom, how long, where. The time typed is Paris time."""

    adviser = AdviserChoiceField(label=_("Adviser"), queryset=User.objects.none())
    day = date_field(_("Date"))
    at = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATIONS, coerce=int, initial=45
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Interview.Kind.choices, initial=Interview.Kind.FOLLOW_UP
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, advisers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = User.objects.filter(pk__in=[a.pk for a in advisers])
        self.fields["adviser"].empty_label = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("day") and data.get("at"):
            try:
                data["start"] = paris_datetime(data["day"], data["at"])
            except SpipError as error:
                self.add_error("at", str(error.message))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("adviser", "start", "duration", "kind", "place")}


class AgendaScheduleForm(ScheduleForm):
    """Scheduling from the agenda: the case is chosen among the adviser's caseload."""

    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())
    field_order = ["case"]

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases.select_related("person").order_by(
            "person__birth_name", "person__first_names"
        )
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.person.birth_name.upper()} {case.person.first_names} — {case.number}"
        )


class RescheduleForm(ScheduleForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


PROOF_CHOICES = [("", _("not brought")), ("yes", _("compliant")), ("no", _("not compliant"))]


class OutcomeForm(DsfrBaseForm):
    """What happened, the notes, and the proofs checked — in one form."""

    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (value, label)
            for value, label in Interview.Status.choices
            if value in Interview.OUTCOMES
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was decided, in a few words (may be quoted in a report)."),
    )
    notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, obligations: list[Obligation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.obligations = obligations
        for obligation in obligations:
            self.fields[f"proof_{obligation.pk}"] = forms.ChoiceField(
                label=str(obligation.type.label),
                choices=PROOF_CHOICES,
                required=False,
                help_text=obligation.details,
            )

    def proof_fields(self) -> list[Any]:
        return [self[f"proof_{obligation.pk}"] for obligation in self.obligations]

    def proofs(self) -> dict[int, bool]:
        return {
            obligation.pk: self.cleaned_data[f"proof_{obligation.pk}"] == "yes"
            for obligation in self.obligations
            if self.cleaned_data.get(f"proof_{obligation.pk}")
        }


class IncidentForm(DsfrBaseForm):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    response = forms.ChoiceField(
        label=_("Response"), choices=Incident.Response.choices, initial=Incident.Response.REMINDER
    )
    description = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, measures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].empty_label = None


class ConvocationSentForm(DsfrBaseForm):
    channel = forms.ChoiceField(label=_("Given"), choices=Interview.Channel.choices)


class AgendaForm(forms.Form):
    """The agenda's query string: which view, which day, whose agenda (ids only)."""

    view = forms.ChoiceField(choices=[("day", "day"), ("week", "week")], required=False)
    day = forms.DateField(required=False)
    adviser = forms.IntegerField(required=False, min_value=1)

    def cleaned(self, today: date) -> tuple[str, date, int | None]:
        if not self.is_valid():
            return "week", today, None
        data = self.cleaned_data
        day = data.get("day") or today
        if not date(2000, 1, 1) <= day <= date(2100, 1, 1):
            day = today
        return data.get("view") or "", day, data.get("adviser")
