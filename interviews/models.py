"""Interviews (convocations and entretiens), calendar-feed tokens.

An interview occupies its adviser's and its person's time from `start` to `end`: two planned
or held interviews of one adviser, or of one person, never overlap (an exclusion constraint
backs the services' check, so that two requests at the same moment cannot both win).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case, Incident, Person
from spip.history import tracked


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.Field()


# Private notes stay out of the change history, which the case file shows.
@tracked(exclude=["reminder_claimed_at", "updated_at", "notes"])
class Interview(models.Model):
    class Kind(models.TextChoices):
        INTAKE = "intake", _("intake interview")
        FOLLOW_UP = "follow_up", _("follow-up interview")
        EVALUATION = "evaluation", _("evaluation interview")
        HOME_VISIT = "home_visit", _("home visit")
        PHONE = "phone", _("phone interview")
        VIDEO = "video", _("video interview")
        PARTNER = "partner", _("interview with a partner")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("interview", "planned")
        HELD = "held", pgettext_lazy("interview", "held")
        MISSED = "missed", pgettext_lazy("interview", "missed")
        EXCUSED = "excused", pgettext_lazy("interview", "excused")
        CANCELLED = "cancelled", pgettext_lazy("interview", "cancelled")

    class Channel(models.TextChoices):
        HAND = "hand", _("handed over")
        POST = "post", _("by post")
        EMAIL = "email", _("by e-mail")
        HEARING = "hearing", _("at the hearing")

    class Reminder(models.TextChoices):
        NONE = "", _("not yet")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not sent")
        FAILED = "failed", _("failed")

    # Statuses that occupy the adviser's and the person's time.
    BUSY = (Status.PLANNED, Status.HELD)
    # Statuses an outcome form may record.
    OUTCOMES = (Status.HELD, Status.MISSED, Status.EXCUSED)

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("case")
    )
    # Copied from the case (which never changes person) so that the person's overlaps are
    # a constraint of this table.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("adviser"),
    )
    start = models.DateTimeField(_("start"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    end = models.DateTimeField(_("end"), editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FOLLOW_UP)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("private notes"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_logged_at = models.DateTimeField(_("outcome logged at"), null=True, blank=True)
    convocation_sent_at = models.DateTimeField(_("convocation sent at"), null=True, blank=True)
    convocation_channel = models.CharField(
        _("convocation sent"), max_length=10, choices=Channel.choices, blank=True
    )
    reminder = models.CharField(
        _("reminder"), max_length=10, choices=Reminder.choices, default="", blank=True
    )
    reminder_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    reminder_result = models.CharField(_("reminder result"), max_length=200, blank=True)
    incident = models.OneToOneField(
        Incident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview",
        verbose_name=_("incident"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [
            models.Index(fields=["adviser", "start"], name="interview_adviser_start"),
            models.Index(fields=["case", "start"], name="interview_case_start"),
            # The reminder sweep and "outcomes to log" look at planned interviews by date.
            models.Index(
                fields=["start"], name="interview_planned_start", condition=Q(status="planned")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=5, duration__lte=480), name="interview_duration_range"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="interview_end"),
            ExclusionConstraint(
                name="interview_adviser_no_overlap",
                expressions=[
                    ("adviser", RangeOperators.EQUAL),
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=["planned", "held"]),
            ),
            ExclusionConstraint(
                name="interview_person_no_overlap",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=["planned", "held"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.case.number}"

    def missed_without_excuse(self) -> bool:
        """Missed, and not yet turned into an incident (the outcome page offers to)."""
        return self.status == Interview.Status.MISSED and self.incident_id is None


class CalendarToken(models.Model):
    """The secret of an adviser's calendar feed. Only its SHA-256 is stored: the address is
    shown once, when it is made; revoking deletes nothing, the feed just answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(db_default=Now())
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_token"
            ),
        ]

    def __str__(self) -> str:
        return f"calendar token {self.pk}"
