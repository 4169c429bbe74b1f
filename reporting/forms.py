"""Input checks of the report pages; rules stay in `reporting.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cases.forms import date_field
from cases.models import Measure
from reporting.models import Kind, Proposal, Report
from reporting.services import DRAFT_FIELDS
from spip.models import Branch, Court

# A report section is a few pages at most; this bounds what one request may store.
SECTION_MAX_LENGTH = 50_000


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        dates = obj.start_date.strftime("%d/%m/%Y")
        if obj.end_date:
            dates += " – " + obj.end_date.strftime("%d/%m/%Y")
        return f"{obj.get_kind_display()} ({dates})"


class ReportCreateForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Kind.choices)
    measure = MeasureChoiceField(label=_("Measure concerned"), queryset=Measure.objects.none())

    def __init__(self, *args: Any, measures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].empty_label = None


def _section(name: str) -> forms.CharField:
    field = Report._meta.get_field(name)
    return forms.CharField(
        label=capfirst(field.verbose_name),  # lazy: follows each request's language
        help_text=field.help_text,
        required=False,
        max_length=SECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ReportDraftForm(DsfrBaseForm):
    """Everything the adviser edits. Nothing is required here: a draft may be incomplete;
    submitting checks what the director needs."""

    court = forms.ModelChoiceField(label=_("Addressee court"), queryset=Court.objects.all())
    judge = forms.CharField(
        label=_("Judge"),
        help_text=_("The sentence enforcement judge (JAP) the report is addressed to."),
        max_length=150,
        required=False,
    )
    penal_situation = _section("penal_situation")
    offence_relation = _section("offence_relation")
    personal_situation = _section("personal_situation")
    health_followup = _section("health_followup")
    analysis = _section("analysis")
    proposal = forms.ChoiceField(
        label=_("Proposal"), choices=[("", _("to choose"))] + Proposal.choices, required=False
    )
    proposal_details = forms.CharField(
        label=_("Details of the proposal"),
        required=False,
        max_length=SECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)  # id_version: the autosave updates it

    FIELDS = DRAFT_FIELDS

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from reporting.services import allowed_courts

        self.fields["court"].queryset = Court.objects.filter(pk__in=allowed_courts(report))
        self.fields["court"].empty_label = None

    @classmethod
    def for_report(cls, report: Report, data: Any = None) -> ReportDraftForm:
        initial = {name: getattr(report, name) for name in cls.FIELDS} | {
            "court": report.court_id,
            "version": report.version,
        }
        return cls(data, initial=initial, report=report)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):  # browsers send CRLF line ends; store them as typed
                data[name] = value.replace("\r\n", "\n")
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class VersionForm(DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(DsfrBaseForm):
    comment = forms.CharField(
        label=_("What should the author change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClerkFilterForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Kind of report"), required=False, choices=[("", _("all"))] + Kind.choices
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"), required=False, queryset=Branch.objects.none(), empty_label=_("all")
    )
    issued_from = date_field(_("Issued from"), required=False)
    issued_to = date_field(_("Issued until"), required=False)
    not_downloaded = forms.BooleanField(label=_("Not yet downloaded"), required=False)

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(court=court).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and end < start:
            self.add_error("issued_to", _("The end of the period is before its start."))
        return data
