"""Users, organisations (tenants), programmes and role memberships."""

import datetime as dt
import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator
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
        # Peer pickers list a programme's peers by name, the first few only.
        indexes = [models.Index(fields=["name"], name="user_name_idx")]

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
        _("alert when no contact for (days)"),
        default=14,
        help_text=_(
            "A participant in follow-up shows under “needs attention” when nobody has logged a "
            "contact with them for this many days."
        ),
    )
    waiting_alert_days = models.PositiveSmallIntegerField(
        _("alert when waiting longer than (days)"),
        default=30,
        help_text=_(
            "A participant on the waiting list shows under “needs attention” after waiting this "
            "many days without a peer worker."
        ),
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("review agreements every (days)"),
        default=90,
        help_text=_("How often the follow-up agreement is reviewed together with the participant."),
    )
    hours_per_participant_week = models.DecimalField(
        _("hours per participant per week"),
        max_digits=5,
        decimal_places=2,
        default=3.75,
        help_text=_(
            "The time a peer worker has for each participant per week (3.75 hours is a 10 % "
            "position). It sets each peer worker's time budget and capacity."
        ),
    )
    checkin_prompt_days = models.PositiveSmallIntegerField(
        _("prompt for a check-in after (days)"),
        default=21,
        help_text=_(
            "A peer worker is asked for a well-being check-in when the last one is older than "
            "this many days."
        ),
    )
    course_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed to complete the peer course (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A candidate completes the peer course only after attending at least this share of "
            "its sessions."
        ),
    )
    peer_read_grace_days = models.PositiveSmallIntegerField(
        _("peer may read after a match ends for (days)"),
        default=14,
        help_text=_(
            "After a match ends, the peer worker may still read (not change) the participant's "
            "record for this many days, to finish and hand over."
        ),
    )
    # Office hours on weekdays: contacts outside them count as out of hours.
    office_opens = models.TimeField(
        _("office hours start"),
        default=dt.time(8, 0),
        help_text=_(
            "Contacts on weekdays before this time, at weekends, or after office hours count as "
            "out of hours in the time budget and on the contact."
        ),
    )
    office_closes = models.TimeField(
        _("office hours end"),
        default=dt.time(17, 0),
        help_text=_(
            "Contacts on weekdays from this time count as evening (from 22:00 as night), out of "
            "hours."
        ),
    )
    # An archived programme takes no new members; its history stays.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="programme_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def office_hours(self) -> tuple[dt.time, dt.time]:
        return (self.office_opens, self.office_closes)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PEER_WORKER = "peer_worker", _("Peer worker")
    PARTICIPANT = "participant", _("Participant")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
    REFERRER = "referrer", _("Referrer")
    RESEARCHER = "researcher", _("Researcher")
    ORG_ADMIN = "org_admin", _("Administrator")
    VOLUNTEER = "volunteer", _("Volunteer")


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


def token_hash(token: str) -> str:
    """What is stored of an invitation's secret: its SHA-256, never the secret itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation to log in with a role in a programme, sent by e-mail as a one-time link.

    Only a hash of the link's secret is stored. An invitation is pending until it is accepted,
    revoked, replaced by a resend (which revokes it) or expires.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The login that accepted it.
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    # A participant's own login: accepting ties the login to this participant record. Named by
    # string: accounts never imports the participants app.
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.programme}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Area(models.Model):
    """A district or place the organisation serves. Participants and peer workers store its
    ``code``; its map point (optional) gives the distance in matching."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="areas")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        help_text=_("The area's centre, e.g. 60.39. Used for the distance when matching."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        help_text=_("The area's centre, e.g. 5.32. Used for the distance when matching."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="area_code_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)
