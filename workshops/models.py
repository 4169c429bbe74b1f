"""Collective workshops (ateliers collectifs, PPR, CP 131-5-1 courses), their sessions, who
is enrolled and who attended.

Access rules live in `workshops.policy`, every change in `workshops.services`. The capacity
rule (never more enrolled people than places) is kept by the services, which lock the
workshop row before counting; the database refuses the same person enrolled twice.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from cases.legal import CourseKind
from cases.models import Case, Incident, Obligation, Proof
from spip.history import tracked
from spip.models import Branch, Partner


@tracked()
class Workshop(models.Model):
    """A programme run by a branch, with its facilitators and outside contributors."""

    # Attached for display by `workshops.selectors` (never stored).
    fill_percent: int

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("collective workshop")
        PPR = "ppr", _("recidivism prevention programme (PPR)")
        COURSE = "course", _("course (CP 131-5-1)")

    class Status(models.TextChoices):
        OPEN = "open", _("open for enrolment")
        CLOSED = "closed", _("enrolment closed")
        FINISHED = "finished", _("finished")
        CANCELLED = "cancelled", _("cancelled")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("branch")
    )
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    course_kind = models.CharField(
        _("course"), max_length=32, choices=CourseKind.choices, blank=True
    )
    theme = models.CharField(_("theme"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("facilitators"),
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="workshops", verbose_name=_("partner organisations")
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contributed_workshops",
        verbose_name=_("partner contributors"),
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    min_sessions = models.PositiveSmallIntegerField(
        _("sessions to attend for completion"),
        help_text=_("Sessions attended (or caught up) for the enrolment to be completed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="workshop_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_sessions__gt=0), name="workshop_min_sessions_positive"
            ),
            models.CheckConstraint(
                condition=(Q(kind="course") & ~Q(course_kind=""))
                | (~Q(kind="course") & Q(course_kind="")),
                name="workshop_course_kind_for_courses",
                violation_error_message=_("A course names its CP 131-5-1 kind, and only a course."),
            ),
        ]
        indexes = [models.Index(fields=["branch", "status"], name="workshop_branch_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        if self.kind == self.Kind.COURSE and self.course_kind:
            return str(CourseKind(self.course_kind).label)
        return str(self.get_kind_display())


@tracked()
class Session(models.Model):
    """One meeting of a workshop; a catch-up session makes up for an earlier one."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=150)
    topic = models.CharField(_("topic"), max_length=150)
    catch_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catch_ups",
        verbose_name=_("catch-up of"),
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session ends after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["workshop", "starts_at"], name="session_workshop_start")]

    def __str__(self) -> str:
        return self.topic

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at) / timedelta(minutes=1)) / 60


def attestation_file_name(instance: Enrollment, filename: str) -> str:
    """A generated name: nothing of the person is kept in it."""
    return f"attestations/{uuid.uuid4().hex}.pdf"


ACTIVE_STATUSES = ("proposed", "enrolled", "waitlisted", "completed")


@tracked()
class Enrollment(models.Model):
    """A person's place (or place in the queue) in a workshop, through their case."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ENROLLED = "enrolled", _("enrolled")
        WAITLISTED = "waitlisted", _("waitlisted")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("workshop")
    )
    # Kept, counted, by the retention purge, which blanks the reason (`workshops.retention`).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("case")
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("obligation fulfilled"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested at"), db_default=Now())
    # When the person joined the waiting list (kept once promoted): the queue's order, so a
    # proposal confirmed into the queue takes its turn after those already waiting.
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    proof = models.OneToOneField(
        Proof,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollment",
        verbose_name=_("proof recorded"),
    )
    attestation = models.FileField(
        _("attestation"), upload_to=attestation_file_name, blank=True, max_length=120
    )

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "case"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="enrollment_once_per_workshop",
                violation_error_message=_("This person is already enrolled in this workshop."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="completed"),
                name="enrollment_completed_on_when_completed",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="enrollment_waitlisted_at_when_waitlisted",
            ),
        ]
        indexes = [
            models.Index(fields=["workshop", "status", "waitlisted_at"], name="enrollment_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} — {self.get_status_display()}"


@tracked()
class Attendance(models.Model):
    """Whether one enrolled person came to one session. An absence may become an incident
    on the person's measure, once their adviser has judged it so."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")
        CAUGHT_UP = "caught_up", _("caught up")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())
    incident = models.OneToOneField(
        Incident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_absence",
        verbose_name=_("incident"),
    )

    class Meta:
        ordering = ["session__starts_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return self.get_status_display()

    @property
    def attended(self) -> bool:
        return self.status in (self.Status.PRESENT, self.Status.CAUGHT_UP)
