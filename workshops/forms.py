"""Input checks for the workshop pages; domain rules stay in the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cases.forms import date_field
from cases.legal import CourseKind
from cases.models import Case, Incident, Obligation
from spip.models import Branch, Partner, User
from workshops.models import Session, Workshop
from workshops.policy import (
    assignable_contributors,
    assignable_facilitators,
    assignable_partners,
    workshop_branches,
)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class WorkshopForm(DsfrBaseForm):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Workshop.Kind.choices)
    course_kind = forms.ChoiceField(
        label=_("Course (CP 131-5-1)"),
        required=False,
        choices=[("", "—"), *CourseKind.choices],
        help_text=_("Only for a course."),
    )
    theme = forms.CharField(label=_("Theme"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=200)
    min_sessions = forms.IntegerField(
        label=_("Sessions to attend for completion"), min_value=1, max_value=100
    )
    facilitators = UserChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contributors = UserChoiceField(
        label=_("Partner contributors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Accounts of the partner organisations who record attendance."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branches = workshop_branches(user)
        self.fields["branch"].queryset = branches
        if len(branches) == 1:
            self.fields["branch"].initial = branches[0].pk
        self.fields["facilitators"].queryset = assignable_facilitators(branches).order_by(
            "last_name", "first_name"
        )
        departments = branches.values("department")
        self.fields["partners"].queryset = assignable_partners(departments)
        self.fields["contributors"].queryset = assignable_contributors(departments).order_by(
            "last_name", "first_name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Workshop.Kind.COURSE and not data.get("course_kind"):
            self.add_error("course_kind", _("Choose the kind of course (CP 131-5-1)."))
        return data


class WorkshopUpdateForm(WorkshopForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Workshop.Status.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["branch"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(DsfrBaseForm):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=150)
    topic = forms.CharField(label=_("Topic"), max_length=150)
    catch_up_of = forms.ModelChoiceField(
        label=_("Catch-up of the session"), queryset=Session.objects.none(), required=False
    )

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catch_up_of"].queryset = workshop.sessions.all()
        self.fields["catch_up_of"].label_from_instance = _session_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, datetime) and not 2000 <= value.year <= 2100:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
        return data


def _session_label(session: Session) -> str:
    from django.utils import formats

    start = timezone.localtime(session.starts_at)
    return f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} — {session.topic}"


class EnrolCaseForm(DsfrBaseForm):
    """From the workshop page: one of the adviser's own cases."""

    case = forms.ModelChoiceField(label=_("Person"), queryset=Case.objects.none())
    obligation = forms.ModelChoiceField(
        label=_("Obligation fulfilled"),
        queryset=Obligation.objects.none(),
        required=False,
        help_text=_("A course ordered as an obligation gets its proof on completion."),
    )
    propose_only = forms.BooleanField(label=_("Propose only (takes no place yet)"), required=False)

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases.select_related("person").order_by(
            "person__birth_name", "person__first_names", "id"
        )
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.person.full_name} — {case.number}"
        )
        self.fields["obligation"].queryset = (
            Obligation.objects.filter(measure__case__in=cases, lifted_on__isnull=True)
            .exclude(type__nature="control")
            .select_related("type", "measure__case")
        )
        self.fields["obligation"].label_from_instance = lambda obligation: (
            f"{obligation.measure.case.number} — {obligation.type.label}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        obligation, case = data.get("obligation"), data.get("case")
        if obligation is not None and case is not None and obligation.measure.case_id != case.pk:
            self.add_error("obligation", _("This obligation belongs to another case."))
        return data


class EnrolWorkshopForm(DsfrBaseForm):
    """From the case file: one of the branch's open workshops."""

    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=Workshop.objects.none())
    obligation = forms.ModelChoiceField(
        label=_("Obligation fulfilled"),
        queryset=Obligation.objects.none(),
        required=False,
        help_text=_("A course ordered as an obligation gets its proof on completion."),
    )
    propose_only = forms.BooleanField(label=_("Propose only (takes no place yet)"), required=False)

    def __init__(self, *args: Any, workshops: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops
        self.fields["obligation"].queryset = (
            Obligation.objects.filter(measure__case=case, lifted_on__isnull=True)
            .exclude(type__nature="control")
            .select_related("type")
        )


class DropForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from workshops.models import Attendance

        self.fields["status"].choices = Attendance.Status.choices


class AbsenceIncidentForm(DsfrBaseForm):
    occurred_on = date_field(_("Date of the incident"))
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    response = forms.ChoiceField(
        label=_("Response"), choices=Incident.Response.choices, widget=forms.RadioSelect
    )
