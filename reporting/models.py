"""Reports to the judge (JAP): drafted by the adviser from the case file, countersigned by a
director, issued as an immutable PDF/A by a Celery task, downloaded by the court's clerk.

Rules live in `reporting.rules` (due dates), changes in `reporting.services`. Once issued a
report cannot change (a database trigger refuses it): any later change is a new report.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Measure
from spip.history import tracked
from spip.models import Court


class Kind(models.TextChoices):
    """Kinds of report (CPP D575, DOMAIN.md)."""

    EVALUATION = "evaluation", _("evaluation report")
    ANNUAL = "annual", _("annual report")
    END_OF_MEASURE = "end_of_measure", _("end-of-measure report")
    INCIDENT = "incident", _("incident report")
    SITUATION = "situation", _("situation report")
    ADJUSTMENT = "adjustment", _("sentence adjustment proposal")


class Proposal(models.TextChoices):
    """What the service proposes to the judge: a closed list (DOMAIN.md)."""

    NOTHING = "nothing", _("nothing to report")
    REMINDER = "reminder", _("reminder of the obligations by the judge")
    HEARING = "hearing", _("hearing by the judge")
    MODIFICATION = "modification", _("modification of the obligations")
    PROLONGATION = "prolongation", _("prolongation of the probation period")
    REVOCATION = "revocation", _("revocation")
    EARLY_END = "early_end", _("early end of the measure")
    ADJUSTMENT = "adjustment", _("sentence adjustment")


def report_file_name(instance: Report, filename: str) -> str:
    """A generated name: nothing of the person, the case or the kind is in it."""
    return f"reports/{uuid.uuid4().hex}.pdf"


# Written by every autosave: kept out of the change history (see `Report`).
NOT_IN_HISTORY = [
    "penal_situation",
    "offence_relation",
    "personal_situation",
    "health_followup",
    "analysis",
    "proposal_details",
    "version",
    "saved_at",
]


@tracked(exclude=NOT_IN_HISTORY)
class Report(models.Model):
    """One report to the judge about one measure of a case.

    Section texts are excluded from the change history: the autosave writes them every few
    seconds while the adviser types; the history keeps the workflow (who submitted,
    returned, validated, issued, and when)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for validation")
        VALIDATED = "validated", _("validated, being issued")
        FAILED = "failed", _("issuing failed")
        ISSUED = "issued", _("issued")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reports", verbose_name=_("case")
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="reports", verbose_name=_("measure")
    )
    kind = models.CharField(_("kind of report"), max_length=16, choices=Kind.choices)
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="reports", verbose_name=_("addressee court")
    )
    judge = models.CharField(
        _("judge"),
        max_length=150,
        blank=True,
        help_text=_("The sentence enforcement judge (JAP) the report is addressed to."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)

    penal_situation = models.TextField(_("penal situation and compliance"), blank=True)
    offence_relation = models.TextField(_("attitude to the conviction and the offence"), blank=True)
    personal_situation = models.TextField(
        _("personal, family, housing and work situation"), blank=True
    )
    health_followup = models.TextField(
        _("health follow-up (attendance only)"),
        blank=True,
        help_text=_("Whether care appointments are kept; never any medical information."),
    )
    analysis = models.TextField(_("analysis"), blank=True)
    proposal = models.CharField(_("proposal"), max_length=16, choices=Proposal.choices, blank=True)
    proposal_details = models.TextField(_("details of the proposal"), blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_reports",
        verbose_name=_("author"),
    )
    validator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="validated_reports",
        verbose_name=_("validated by"),
    )
    return_comment = models.TextField(_("director's comment"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    saved_at = models.DateTimeField(_("last saved at"), db_default=Now())
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    issue_attempts = models.PositiveSmallIntegerField(_("issuing attempts"), default=0)
    issue_error = models.CharField(_("issuing error"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    pdf = models.FileField(_("issued PDF"), upload_to=report_file_name, blank=True, max_length=120)
    sha256 = models.CharField(_("SHA-256 of the issued PDF"), max_length=64, blank=True)
    downloaded_at = models.DateTimeField(
        _("first downloaded by the court at"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("report to the judge")
        verbose_name_plural = _("reports to the judge")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (
                    Q(sha256__regex=r"^[0-9a-f]{64}$")
                    & ~Q(pdf="")
                    & Q(validator__isnull=False, validated_at__isnull=False)
                ),
                name="report_issued_has_file",
            ),
            models.CheckConstraint(
                condition=Q(validator__isnull=True) | ~Q(validator=models.F("author")),
                name="report_validator_not_author",
                violation_error_message=_("A report cannot be countersigned by its author."),
            ),
        ]
        indexes = [
            # The clerk's inbox: issued reports of one court, newest first.
            models.Index(
                fields=["court", "-issued_at"],
                condition=Q(status="issued"),
                name="report_court_inbox",
            ),
            # The validation queue and the adviser's list, by status.
            models.Index(fields=["status", "case"], name="report_status_case"),
            models.Index(fields=["case", "kind"], name="report_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.case.number}"

    SECTIONS = (
        "penal_situation",
        "offence_relation",
        "personal_situation",
        "health_followup",
        "analysis",
    )

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) of each section, in reading order."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.SECTIONS
        ]

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def returned(self) -> bool:
        return self.status == self.Status.DRAFT and bool(self.return_comment)
