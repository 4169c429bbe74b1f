"""Deadline alerts raised by the engine, and the claims of the weekly digest.

Both tables were created by `cases` (migration 0010) and moved here without being renamed:
they keep `cases_alert` and `cases_digestclaim`, their constraints and their indexes (see
`deadlines/migrations/0001_initial.py`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class Alert(models.Model):
    """A deadline the engine (`deadlines.engine`) raised on a case: one row per rule, object
    and due date, so that a sweep run twice creates nothing twice. The sweep closes it when
    its condition is resolved; the case's advisers may snooze it (until a date, with a
    reason) or, for a rule that only informs, acknowledge it. It is shown to whoever follows
    the case (assigned adviser, co-advisers, substitutes) and to its branch's directors, so a
    reassigned case's alerts follow it."""

    # Attached for display by `deadlines.selectors.decorate` (never stored).
    urgency: str
    label: Any
    source: Any
    description: Any
    link: str
    informative: bool
    snoozed: bool

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    rule = models.CharField(_("rule"), max_length=40)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("case")
    )
    # The measure, obligation or case the rule is about (its type follows from the rule).
    object_id = models.BigIntegerField()
    due_on = models.DateField(_("due on"))
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("raised at"), db_default=Now())
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    snooze_reason = models.CharField(
        _("reason for snoozing"), max_length=300, blank=True, db_default=""
    )
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When its adviser was told of it (the nightly notification); reset when it reopens.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "cases_alert"  # its name from when it lived in `cases` (raw SQL names it)
        ordering = ["due_on", "id"]
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        constraints = [
            models.UniqueConstraint(fields=["rule", "object_id", "due_on"], name="alert_once"),
            models.CheckConstraint(
                condition=Q(snoozed_until__isnull=True) | ~Q(snooze_reason=""),
                name="alert_snooze_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["case", "due_on"],
                name="alert_open_case",
                condition=Q(status="open"),
            ),
            models.Index(fields=["rule", "case"], name="alert_rule_case"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.due_on}"


class DigestClaim(models.Model):
    """The weekly deadline digest of one adviser: claimed (inserted) before the e-mail
    leaves, so that a task run twice sends it once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField(_("week starting"))
    claimed_at = models.DateTimeField(db_default=Now())
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "cases_digestclaim"  # its name from when it lived in `cases`
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.week}"
