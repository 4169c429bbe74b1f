"""Core model: the organisation (SPIP, branches, courts, partners), users and their roles,
the append-only access log and notifications."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A departmental SPIP (one per département), e.g. the SPIP de l'Allier."""

    code = models.CharField(_("département code"), max_length=3, unique=True)
    name = models.CharField(_("département"), max_length=80)
    spip_name = models.CharField(_("service name"), max_length=120)
    address = models.TextField(_("head office address"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("departmental SPIP")
        verbose_name_plural = _("departmental SPIPs")

    def __str__(self) -> str:
        return self.spip_name


class Court(models.Model):
    """A tribunal judiciaire: addressee of reports, seat of the JAP and of the clerk's office."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    city = models.CharField(_("city"), max_length=80)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    """An antenne of a departmental SPIP, working in the community or in a prison."""

    class Environment(models.TextChoices):
        OPEN = "open", _("community (milieu ouvert)")
        CLOSED = "closed", _("prison (milieu fermé)")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="branches", verbose_name=_("SPIP")
    )
    name = models.CharField(_("name"), max_length=80)
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        related_name="branches",
        verbose_name=_("court of jurisdiction"),
    )
    environment = models.CharField(
        _("environment"), max_length=8, choices=Environment.choices, default=Environment.OPEN
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["department__code", "name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="branch_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An outside organisation in the partner directory (care, employment, housing...)."""

    class Kind(models.TextChoices):
        CARE = "care", _("care / addiction centre (CSAPA)")
        EMPLOYMENT = "employment", _("employment")
        HOUSING = "housing", _("housing")
        TRAINING = "training", _("training")
        ASSOCIATION = "association", _("association")
        TIG_HOST = "tig_host", _("community-work host")
        VICTIM_SUPPORT = "victim_support", _("victim support")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="partners", verbose_name=_("SPIP")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="partner_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADVISER = "adviser", _("probation adviser (CPIP)")
    DIRECTOR = "director", _("probation director (DPIP)")
    CLERK = "clerk", _("court clerk")
    SECRETARY = "secretary", _("administrative officer")
    PARTNER = "partner", _("partner contributor")
    ADMIN = "admin", _("administrator")


BRANCH_ROLES = (Role.ADVISER, Role.DIRECTOR, Role.SECRETARY)


class SpipUserManager(UserManager["User"]):
    def create_superuser(self, *args: object, **kwargs: object) -> User:
        # Guardian grants every object permission to a superuser; our access policy relies
        # on roles instead, so no account may be one (a database constraint agrees).
        raise NotImplementedError(
            "No SPIP account is a superuser: create a user with the 'admin' role instead."
        )


class User(AbstractUser):
    """A member of staff or a partner contributor. The role decides what they may do."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("branch"),
    )
    directed_branches = models.ManyToManyField(
        Branch, blank=True, related_name="directors", verbose_name=_("directed branches")
    )
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clerks",
        verbose_name=_("court"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("partner organisation"),
    )

    objects = SpipUserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=False),
                name="user_never_superuser",
                violation_error_message=_("No account may be a superuser."),
            ),
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role=Role.ADMIN),
                name="user_staff_only_admin",
                violation_error_message=_("Only administrators may reach the administration site."),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=BRANCH_ROLES) | Q(branch__isnull=False),
                name="user_branch_role_has_branch",
                violation_error_message=_(
                    "Advisers, directors and administrative officers need a branch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role=Role.CLERK, court__isnull=False)
                | (~Q(role=Role.CLERK) & Q(court__isnull=True)),
                name="user_clerk_has_court",
                violation_error_message=_("A court clerk needs a court, and only a clerk has one."),
            ),
            models.CheckConstraint(
                condition=Q(role=Role.PARTNER, partner__isnull=False)
                | (~Q(role=Role.PARTNER) & Q(partner__isnull=True)),
                name="user_partner_has_organisation",
                violation_error_message=_(
                    "A partner contributor needs an organisation, and only they have one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def place_label(self) -> str:
        """Where the user works, as shown on their home page: branch, court or organisation."""
        if self.role == Role.CLERK and self.court_id:
            return str(self.court)
        if self.role == Role.PARTNER and self.partner_id:
            return str(self.partner)
        if self.branch_id:
            return str(self.branch)
        return ""


class AccessLog(models.Model):
    """Who read or changed which record, when, and why when outside their own caseload.

    Append-only: a database trigger rejects every UPDATE, and every DELETE except the
    retention purge's (see `spip.services.access_log_purge`). The object is named by type and
    id rather than a foreign key, so the log outlives the records it describes.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("view")
        CREATE = "create", _("creation")
        CHANGE = "change", _("change")
        EXPORT = "export", _("export")
        DOWNLOAD = "download", _("download")
        PRINT = "print", _("print")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), db_default=Now())
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="accesslog_object"),
            models.Index(fields=["user", "at"], name="accesslog_user"),
            models.Index(fields=["at"], name="accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """A message to one user, shown with a counter in the page header until read.

    The message and link carry no personal data beyond what the recipient may see; links
    point at pages that check access again.
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
        ]

    def __str__(self) -> str:
        return self.message
