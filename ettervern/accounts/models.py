"""Users, organisations (tenants), programmes and role memberships."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. What they may see comes from their memberships, not from this row."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access only
    is_demo = models.BooleanField(default=False, help_text="Created by seed_demo.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email


class Organisation(models.Model):
    """A tenant. Every row of case data belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A service run by an organisation, e.g. a peer-support service or a job programme."""

    class Kind(models.TextChoices):
        PEER_SUPPORT = "peer_support", _("Peer support service")
        JOB = "job", _("Job programme")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField()
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PEER_SUPPORT
    )
    # Settings that drive what "needs attention" means. Derived by queries; no worker needed.
    no_contact_alert_days = models.PositiveSmallIntegerField(
        _("alert when no contact for (days)"), default=14
    )
    waiting_alert_days = models.PositiveSmallIntegerField(
        _("alert when waiting longer than (days)"), default=30
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("review agreements every (days)"), default=90
    )
    hours_per_participant_week = models.DecimalField(
        _("hours per participant per week"), max_digits=5, decimal_places=2, default=3.75
    )
    checkin_prompt_days = models.PositiveSmallIntegerField(
        _("prompt for a check-in after (days)"), default=21
    )
    peer_read_grace_days = models.PositiveSmallIntegerField(
        _("peer may read after a match ends for (days)"), default=14
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="programme_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PEER_WORKER = "peer_worker", _("Peer worker")
    PARTICIPANT = "participant", _("Participant")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
    REFERRER = "referrer", _("Referrer")
    RESEARCHER = "researcher", _("Researcher")
    ORG_ADMIN = "org_admin", _("Administrator")


# Roles that work with case data on behalf of the organisation: they must use a second factor.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.PEER_WORKER, Role.ORG_ADMIN, Role.RESEARCHER})


class Membership(models.Model):
    """A user's role in one programme. A user has at most one role per programme."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="one_role_per_programme")
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.programme}"


class TenantScoped(models.Model):
    """Base for every case-data row: it carries its organisation and programme.

    The organisation is redundant with the programme on purpose: every query can filter on it
    directly, and the data can be sharded by organisation later.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
