"""Input checks for the case pages; domain rules stay in the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cases.legal import (
    CourseKind,
    EventKind,
    MeasureKind,
    OffenceClass,
    Recidivism,
    terms_fields,
)
from cases.models import Incident, IntensityLevel, Obligation, ObligationType, Person
from cases.policy import assignable_advisers, default_adviser, openable_branches
from spip.models import Branch, Court, Partner, Role, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    """A date within 1900–2100: outside is a typing error, and date arithmetic on it would
    overflow."""
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        validators=[
            MinValueValidator(EARLIEST, _("Enter a date between 1900 and 2100.")),
            MaxValueValidator(LATEST, _("Enter a date between 1900 and 2100.")),
        ],
    )


class SearchForm(DsfrBaseForm):
    q = forms.CharField(label=_("Name or case number"), max_length=100, strip=True)


class CaseFilterForm(DsfrBaseForm):
    STATUS = [("open", _("open cases")), ("closed", _("closed cases")), ("all", _("all cases"))]
    SORT = [
        ("name", _("name")),
        ("-name", _("name, descending")),
        ("end", _("next end date")),
        ("-end", _("next end date, descending")),
        ("opened", _("referral date")),
        ("-opened", _("referral date, descending")),
        ("number", _("case number")),
    ]

    kind = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", _("all"))] + MeasureKind.choices
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS)
    intensity = forms.ChoiceField(label=_("Follow-up intensity"), required=False)
    ends_before = date_field(_("Measure ending before"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intensity"].choices = [("", _("all"))] + [
            (level.code, level.label) for level in IntensityLevel.objects.all()
        ]


class AccessReasonForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Why do you open this case?"),
        help_text=_("This case is not in your caseload: your reason is recorded."),
        max_length=300,
        min_length=5,
        widget=forms.TextInput,
    )


class IntakeForm(DsfrBaseForm):
    """Intake: a person (new, or an existing one proposed by the de-duplication) and a case."""

    existing_person = forms.ModelChoiceField(
        label=_("Person already known"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("No: a different person"),
    )
    birth_name = forms.CharField(label=_("Birth name"), max_length=100)
    usage_name = forms.CharField(label=_("Usage name"), max_length=100, required=False)
    first_names = forms.CharField(label=_("First names"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices)
    birth_date = date_field(_("Birth date"))
    birth_place = forms.CharField(label=_("Birth place"), max_length=120, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=60, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    sms_opt_out = forms.BooleanField(label=_("Refuses text-message reminders"), required=False)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    adviser = forms.ModelChoiceField(
        label=_("Adviser"), queryset=User.objects.none(), required=False
    )
    opened_on = date_field(_("Referral date (saisine)"))
    intensity = forms.ModelChoiceField(
        label=_("Follow-up intensity"), queryset=IntensityLevel.objects.all()
    )
    intensity_reason = forms.CharField(label=_("Reason for the intensity"), max_length=300)

    def __init__(self, *args: Any, user: User, duplicates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branches = openable_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].initial = user.branch_id
        self.fields["adviser"].queryset = assignable_advisers(branches)
        default = default_adviser(user)
        if default is not None:
            self.fields["adviser"].initial = default.pk
        if duplicates is not None:
            self.fields["existing_person"].queryset = duplicates
        else:
            del self.fields["existing_person"]


class VersionedForm(DsfrBaseForm):
    """Carries the version of the record as the user read it, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CaseUpdateForm(VersionedForm):
    intensity = forms.ModelChoiceField(
        label=_("Follow-up intensity"), queryset=IntensityLevel.objects.all()
    )
    intensity_reason = forms.CharField(label=_("Reason for the intensity"), max_length=300)
    intensity_review_on = date_field(_("Intensity review date"), required=False)


class ObligationUpdateForm(VersionedForm):
    details = forms.CharField(label=_("Details"), max_length=300, required=False)
    check_interval_days = forms.IntegerField(
        label=_("Check interval (days)"), required=False, min_value=1, max_value=366
    )


class AssignForm(DsfrBaseForm):
    adviser = forms.ModelChoiceField(label=_("New adviser"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = assignable_advisers(branch)


class RestrictForm(DsfrBaseForm):
    restricted = forms.BooleanField(
        label=_("Restricted access: only the adviser and the directors may open the case"),
        required=False,
    )
    excluded_staff = forms.ModelMultipleChoiceField(
        label=_("Staff excluded from this case"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["excluded_staff"].queryset = User.objects.filter(
            branch=case.branch,
            role__in=[Role.ADVISER, Role.SECRETARY, Role.DIRECTOR],
            is_active=True,
        ).exclude(pk=case.adviser_id)
        self.fields["restricted"].initial = case.restricted
        self.fields["excluded_staff"].initial = list(case.excluded_staff.all())


class TransferForm(DsfrBaseForm):
    to_branch = forms.ModelChoiceField(label=_("Receiving branch"), queryset=Branch.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = Branch.objects.exclude(
            pk=case.branch_id
        ).select_related("department")


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=32_767)


class MeasureForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    court = forms.ModelChoiceField(label=_("Court"), queryset=Court.objects.all())
    decision_date = date_field(_("Judgment date"))
    final_date = date_field(_("Date the decision became final"), required=False)
    start_date = date_field(_("Start date"))
    recidivism = forms.ChoiceField(
        label=_("Recidivism"), choices=Recidivism.choices, initial=Recidivism.NONE
    )
    prison_term_months = _count(_("Suspended prison term (months)"))
    probation_months = _count(_("Probation period (months)"))
    tig_hours = forms.DecimalField(
        label=_("Community work hours ordered"),
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
    )
    tig_deadline_months = _count(_("Execution deadline (months)"))
    tig_consent = forms.BooleanField(
        label=_("The person consents to community work (CP 131-8)"), required=False
    )
    ddse_days = _count(_("Electronic monitoring (days)"))
    remaining_term_days = _count(_("Remaining term (days)"))
    total_sentence_days = _count(_("Total sentence (days)"))
    custody_start = date_field(_("Custody start"), required=False)
    supervision_months = _count(_("Supervision period (months)"))
    offence_class = forms.ChoiceField(
        label=_("Offence class"), required=False, choices=[("", "—")] + OffenceClass.choices
    )
    socio_judicial_years = _count(_("Socio-judicial follow-up (years)"))
    course_kind = forms.ChoiceField(
        label=_("Course"), required=False, choices=[("", "—")] + CourseKind.choices
    )
    course_days = _count(_("Course length (days)"))
    arse_months = _count(_("House arrest period (months)"))

    DURATION_FIELDS = (
        "prison_term_months",
        "probation_months",
        "tig_hours",
        "tig_deadline_months",
        "tig_consent",
        "ddse_days",
        "remaining_term_days",
        "total_sentence_days",
        "custody_start",
        "supervision_months",
        "offence_class",
        "socio_judicial_years",
        "course_kind",
        "course_days",
        "arse_months",
    )

    def clean(self) -> dict[str, Any]:
        """Keep only the durations the chosen kind uses: a TIG's hours typed before switching
        to a probation must not be saved with it."""
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            used = terms_fields(kind)
            for name in self.DURATION_FIELDS:
                if name not in used:
                    cleaned[name] = False if name == "tig_consent" else None
        return cleaned


class EventForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Decision"), choices=EventKind.choices)
    date = date_field(_("Date"))
    end_date = date_field(_("Suspension: the measure resumes on"), required=False)
    months = _count(_("Months added"))
    decision_reference = forms.CharField(label=_("JAP decision reference"), max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)


class ObligationForm(DsfrBaseForm):
    type = forms.ModelChoiceField(
        label=_("Obligation or ban"),
        queryset=ObligationType.objects.exclude(nature=ObligationType.Nature.CONTROL),
    )
    imposed_on = date_field(_("Imposed on"))
    details = forms.CharField(label=_("Details"), max_length=300, required=False)
    check_interval_days = forms.IntegerField(
        label=_("Check interval (days)"), required=False, min_value=1, max_value=366
    )


class LiftForm(DsfrBaseForm):
    lifted_on = date_field(_("Lifted on"))
    reason = forms.CharField(label=_("Reason (JAP decision)"), max_length=300)


class ProofForm(DsfrBaseForm):
    received_on = date_field(_("Received on"))
    compliant = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", _("compliant")), ("0", _("not compliant"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    period_start = date_field(_("Period covered from"), required=False)
    period_end = date_field(_("Period covered to"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class PlacementForm(DsfrBaseForm):
    host = forms.ModelChoiceField(label=_("Host organisation"), queryset=Partner.objects.none())
    post = forms.CharField(label=_("Post"), max_length=150)
    tutor = forms.CharField(label=_("Tutor"), max_length=120)
    started_on = date_field(_("Started on"))

    def __init__(self, *args: Any, department_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Partner.objects.filter(department_id=department_id)


class WorkHoursForm(DsfrBaseForm):
    date = date_field(_("Date"))
    hours = forms.DecimalField(
        label=_("Hours done"),
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
        max_digits=4,
        decimal_places=2,
        step_size=Decimal("0.25"),
    )


class IncidentForm(DsfrBaseForm):
    occurred_on = date_field(_("Date of the incident"))
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    obligation = forms.ModelChoiceField(
        label=_("Obligation concerned"), queryset=Obligation.objects.none(), required=False
    )
    response = forms.ChoiceField(
        label=_("Response"), choices=Incident.Response.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, measure: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = measure.obligations.select_related("type")


def _text(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssessmentForm(DsfrBaseForm):
    assessed_on = date_field(_("Assessed on"))
    housing = _text(_("Housing"))
    work_training = _text(_("Work and training"))
    resources = _text(_("Resources"))
    health_followup = _text(
        _("Health follow-up (attendance only)"),
        help_text=_("Whether care appointments are kept; never any medical information."),
    )
    addictions = _text(_("Addictions"))
    family = _text(_("Family and parenting"))
    social_ties = _text(_("Social ties"))
    relation_to_offence = _text(_("Relation to the offence"))
    levers = _text(_("Levers and resources"))
    plan = _text(_("Follow-up plan"), required=True)
    review_on = date_field(_("Review date"), required=False)


class AssessmentUpdateForm(VersionedForm, AssessmentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["assessed_on"]


class MeasureUpdateForm(VersionedForm, MeasureForm):
    """Correcting a measure: the kind stays (another kind is another measure)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].disabled = True
