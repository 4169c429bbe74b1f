"""Case files: people, their dossiers at a branch, court measures, obligations and proofs.

Legal bounds live in `cases.legal`, access rules in `cases.policy`, every change in
`cases.services`. Models hold fields, database constraints and small predicates.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Concat, Lower, Now
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.legal import CourseKind, EventKind, MeasureKind, OffenceClass, Recidivism
from spip.history import tracked
from spip.models import Branch, Court


class IntensityLevel(models.Model):
    """A follow-up intensity (configurable): the longest interval allowed between interviews."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=80)
    max_interval_days = models.PositiveSmallIntegerField(_("maximum days between interviews"))
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("follow-up intensity")
        verbose_name_plural = _("follow-up intensities")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_interval_days__gt=0), name="intensity_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Normalised(Func):
    """Lower-case, accent-free text (`spip_unaccent`, an immutable wrapper around `unaccent`
    created by migration cases 0002, so that it can be stored and indexed)."""

    function = "spip_unaccent"
    output_field = models.TextField()

    def __init__(self, expression: object) -> None:
        super().__init__(Lower(expression))


@tracked(exclude=["search_name"])
class Person(models.Model):
    """A person under court supervision. Health or other sensitive data never lives here."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")
        OTHER = "X", _("not specified")

    birth_name = models.CharField(_("birth name"), max_length=100)
    usage_name = models.CharField(_("usage name"), max_length=100, blank=True)
    first_names = models.CharField(_("first names"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=120, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    aliases = models.CharField(_("aliases"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    sms_opt_out = models.BooleanField(_("refuses text-message reminders"), default=False)
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    # Names as search sees them: lower case, no accents; trigram-indexed for typo tolerance.
    search_name = models.GeneratedField(
        expression=Normalised(
            Concat(
                "birth_name",
                Value(" "),
                "usage_name",
                Value(" "),
                "first_names",
                Value(" "),
                "aliases",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date"),
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="person_search_trgm"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = self.usage_name or self.birth_name
        return f"{name.upper()} {self.first_names}"

    @property
    def initials(self) -> str:
        name = self.usage_name or self.birth_name
        return f"{self.first_names[:1]}{name[:1]}".upper()


@tracked()
class Case(models.Model):
    """One person's file (dossier) at one branch, followed by one adviser."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="cases", verbose_name=_("branch")
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("adviser"),
    )
    environment = models.CharField(
        _("environment"),
        max_length=8,
        choices=Branch.Environment.choices,
        default=Branch.Environment.OPEN,
    )
    opened_on = models.DateField(_("referral date (saisine)"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Set by the retention purge (`cases.retention`): what is left serves statistics only.
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)
    intensity = models.ForeignKey(
        IntensityLevel, on_delete=models.PROTECT, verbose_name=_("follow-up intensity")
    )
    intensity_reason = models.CharField(_("reason for the intensity"), max_length=300)
    intensity_review_on = models.DateField(_("intensity review date"), null=True, blank=True)
    restricted = models.BooleanField(
        _("restricted access"),
        default=False,
        help_text=_("Only the adviser, the directors and the staff named below may open it."),
    )
    excluded_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="excluded_cases",
        verbose_name=_("staff excluded from this case"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("read_case", "Can read the case file")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=_("A case cannot close before its referral date."),
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "adviser"], name="case_branch_adviser"),
            models.Index(fields=["adviser", "closed_on"], name="case_adviser_open"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def measure_labels(self) -> list[str]:
        """Labels of the `measure_kinds` annotation that list selectors add."""
        return [MeasureKind(kind).label for kind in getattr(self, "measure_kinds", [])]


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case grants (guardian, direct foreign key): assigned adviser, co-advisers,
    substitutes until a date, staff named on a restricted case."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    valid_until = models.DateField(null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission"], name="caseperm_user")]


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


@tracked()
class Measure(models.Model):
    """A court decision followed on a case. The end date is computed, never typed."""

    # Attached for display by `cases.selectors.case_file` (never stored).
    elapsed_percent: int | None
    incidents_12_months: int
    work: Any

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACTIVE = "active", _("in progress")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")
        REVOKED = "revoked", _("revoked")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="measures", verbose_name=_("case")
    )
    kind = models.CharField(_("measure"), max_length=32, choices=MeasureKind.choices)
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="+", verbose_name=_("court")
    )
    decision_date = models.DateField(_("judgment date"))
    final_date = models.DateField(_("date the decision became final"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    recidivism = models.CharField(
        _("recidivism"), max_length=16, choices=Recidivism.choices, default=Recidivism.NONE
    )
    prison_term_months = models.PositiveSmallIntegerField(
        _("suspended prison term (months)"), null=True, blank=True
    )
    probation_months = models.PositiveSmallIntegerField(
        _("probation period (months)"), null=True, blank=True
    )
    tig_hours = models.PositiveSmallIntegerField(_("hours ordered"), null=True, blank=True)
    tig_deadline_months = models.PositiveSmallIntegerField(
        _("execution deadline (months)"), null=True, blank=True
    )
    tig_consent = models.BooleanField(_("consent to community work recorded"), default=False)
    ddse_days = models.PositiveSmallIntegerField(
        _("electronic monitoring (days)"), null=True, blank=True
    )
    total_sentence_days = models.PositiveIntegerField(
        _("total sentence (days)"), null=True, blank=True
    )
    custody_start = models.DateField(_("custody start"), null=True, blank=True)
    remaining_term_days = models.PositiveIntegerField(
        _("remaining term (days)"), null=True, blank=True
    )
    supervision_months = models.PositiveSmallIntegerField(
        _("supervision period (months)"), null=True, blank=True
    )
    socio_judicial_years = models.PositiveSmallIntegerField(
        _("socio-judicial follow-up (years)"), null=True, blank=True
    )
    offence_class = models.CharField(
        _("offence class"), max_length=16, choices=OffenceClass.choices, blank=True
    )
    course_kind = models.CharField(
        _("course"), max_length=32, choices=CourseKind.choices, blank=True
    )
    course_days = models.PositiveSmallIntegerField(_("course length (days)"), null=True, blank=True)
    arse_months = models.PositiveSmallIntegerField(
        _("house arrest period (months)"), null=True, blank=True
    )
    end_date = models.DateField(_("computed end date"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="measure_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=F("decision_date")),
                name="measure_starts_after_decision",
                violation_error_message=_("A measure cannot start before its judgment."),
            ),
            models.CheckConstraint(
                condition=Q(final_date__isnull=True) | Q(final_date__gte=F("decision_date")),
                name="measure_final_after_decision",
                violation_error_message=_(
                    "A decision cannot become final before it is pronounced."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tig_hours__isnull=True) | Q(tig_hours__gt=0),
                name="measure_tig_hours_positive",
            ),
        ]
        indexes = [models.Index(fields=["case", "status"], name="measure_case_status")]

    def __str__(self) -> str:
        return self.get_kind_display()


@tracked()
class MeasureEvent(models.Model):
    """A judge's decision that changes a measure's course: the end date is recomputed."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="events", verbose_name=_("measure")
    )
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    date = models.DateField(_("date"))
    # The day the clock runs again: the suspension covers [date, end_date).
    end_date = models.DateField(_("measure resumes on"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months added"), null=True, blank=True)
    decision_reference = models.CharField(_("JAP decision reference"), max_length=60)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("measure event")
        verbose_name_plural = _("measure events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="event_end_after_start",
                violation_error_message=_("A suspension cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ObligationType(models.Model):
    """Reference table of obligations and bans (CP 132-44 and 132-45), seeded from DOMAIN.md."""

    class Nature(models.TextChoices):
        CONTROL = "control", _("control measure")
        OBLIGATION = "obligation", _("special obligation")
        BAN = "ban", _("ban")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    legal_code = models.CharField(_("legal basis"), max_length=30)
    label = models.CharField(_("label"), max_length=200)
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices)
    proof_expected = models.BooleanField(_("proof expected"), default=False)
    default_check_interval_days = models.PositiveSmallIntegerField(
        _("default check interval (days)"), null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["nature", "legal_code"]
        verbose_name = _("obligation type")
        verbose_name_plural = _("obligation types")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="obligationtype_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.legal_code})"


@tracked()
class Obligation(models.Model):
    """An obligation or ban attached to a measure, with how often its proof is checked."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("measure")
    )
    type = models.ForeignKey(
        ObligationType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    details = models.CharField(_("details"), max_length=300, blank=True)
    check_interval_days = models.PositiveSmallIntegerField(
        _("check interval (days)"), null=True, blank=True
    )
    imposed_on = models.DateField(_("imposed on"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.CharField(_("reason for lifting"), max_length=300, blank=True)
    automatic = models.BooleanField(_("attached by law"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["imposed_on", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("imposed_on")),
                name="obligation_lifted_after_imposed",
                violation_error_message=_("An obligation cannot be lifted before it is imposed."),
            ),
            models.CheckConstraint(
                condition=Q(check_interval_days__isnull=True) | Q(check_interval_days__gt=0),
                name="obligation_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.type.label

    def proof_due_on(self, last_proof_on: date | None) -> date | None:
        """When the next proof is due, from the last one received (or from the start)."""
        if not self.check_interval_days or self.lifted_on:
            return None
        return (last_proof_on or self.imposed_on) + timedelta(days=self.check_interval_days)


def proof_file_name(instance: Proof, filename: str) -> str:
    """A generated name: nothing of the person or of the uploaded name is kept."""
    from cases.files import EXTENSIONS

    return f"proofs/{uuid.uuid4().hex}.{EXTENSIONS.get(instance.file_type, 'bin')}"


@tracked()
class Proof(models.Model):
    """A document (justificatif) brought for an obligation, and the adviser's verdict.

    Its file, if any, lives in private storage (outside every public path) and is served
    only by the access-checked, logged download view."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="proofs", verbose_name=_("obligation")
    )
    received_on = models.DateField(_("received on"))
    period_start = models.DateField(_("period covered from"), null=True, blank=True)
    period_end = models.DateField(_("period covered to"), null=True, blank=True)
    compliant = models.BooleanField(_("compliant"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=proof_file_name, blank=True, max_length=120)
    file_type = models.CharField(_("file type"), max_length=40, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="proof_period_order",
                violation_error_message=_("The period covered must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["obligation", "-received_on"], name="proof_latest")]

    def __str__(self) -> str:
        return f"{self.obligation} — {self.received_on}"


@tracked()
class WorkPlacement(models.Model):
    """Where a community-work sentence (TIG) is served: a host from the partner directory."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="placements", verbose_name=_("measure")
    )
    host = models.ForeignKey(
        "spip.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("host")
    )
    post = models.CharField(_("post"), max_length=150)
    tutor = models.CharField(_("tutor"), max_length=120)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("community-work placement")
        verbose_name_plural = _("community-work placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="placement_end_after_start",
                violation_error_message=_("A placement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} — {self.host}"


@tracked()
class WorkHours(models.Model):
    """Hours of community work done on one day, as validated by the host's tutor."""

    placement = models.ForeignKey(
        WorkPlacement, on_delete=models.CASCADE, related_name="hours", verbose_name=_("placement")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("community-work hours")
        verbose_name_plural = _("community-work hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="workhours_positive_day",
                violation_error_message=_("Hours done in one day are between 0 and 24."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.hours}"


@tracked()
class Incident(models.Model):
    """A breach (manquement) and the service's response, on a closed ladder. A breach is
    for the adviser to judge; nothing here sanctions anyone automatically."""

    class Response(models.TextChoices):
        REMINDER = "reminder", _("reminder of the obligations")
        WARNING = "warning", _("formal warning")
        REPORT = "report", _("report to the judge")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("measure")
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("obligation concerned"),
    )
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("what happened"))
    response = models.CharField(_("response"), max_length=10, choices=Response.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["measure", "occurred_on"], name="incident_measure_date")]

    def __str__(self) -> str:
        return f"{self.occurred_on} — {self.get_response_display()}"


@tracked()
class Assessment(models.Model):
    """An evaluation of the person's life spheres. Each new one is a new row, so earlier
    assessments stay readable. Health: attendance of care only, never medical content."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("case")
    )
    assessed_on = models.DateField(_("assessed on"))
    housing = models.TextField(_("housing"), blank=True)
    work_training = models.TextField(_("work and training"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    health_followup = models.TextField(
        _("health follow-up (attendance only)"),
        blank=True,
        help_text=_("Whether care appointments are kept; never any medical information."),
    )
    addictions = models.TextField(_("addictions"), blank=True)
    family = models.TextField(_("family and parenting"), blank=True)
    social_ties = models.TextField(_("social ties"), blank=True)
    relation_to_offence = models.TextField(_("relation to the offence"), blank=True)
    levers = models.TextField(_("levers and resources"), blank=True)
    plan = models.TextField(_("follow-up plan"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.assessed_on}"

    SPHERES = (
        "housing",
        "work_training",
        "resources",
        "health_followup",
        "addictions",
        "family",
        "social_ties",
        "relation_to_offence",
        "levers",
        "plan",
    )

    @property
    def spheres(self) -> list[tuple[str, str]]:
        """(label, text) of each life sphere, levers and plan, in reading order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SPHERES
        ]


@tracked()
class Transfer(models.Model):
    """A case moved to another branch (dessaisissement): kept as history on the case."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case")
    )
    from_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("from branch")
    )
    to_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("to branch")
    )
    reason = models.CharField(_("reason"), max_length=300)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transferred on"))

    class Meta:
        ordering = ["transferred_on", "id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_branch=F("to_branch")), name="transfer_changes_branch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_branch} → {self.to_branch}"
