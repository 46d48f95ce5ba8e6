"""Peer workers (likepersoner): their profile in the resource base."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped
from ettervern.lib import labels


class PeerWorker(TenantScoped):
    """A peer worker's profile: special-category data about an employee.

    Visible to the peer and their coordinator only.
    """

    class ResourceStatus(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("Active in the resource base")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="peer_profiles"
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=labels.choices(labels.GENDER_LABELS), blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    substances = models.JSONField(_("substance history"), default=list, blank=True)
    treatment_paths = models.JSONField(_("treatment paths"), default=list, blank=True)
    years_in_recovery = models.PositiveSmallIntegerField(
        _("years in recovery"), null=True, blank=True
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    strengths = models.JSONField(_("strengths"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    area = models.CharField(
        _("area"), max_length=30, choices=labels.choices(labels.AREA_LABELS), blank=True
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    max_participants = models.PositiveSmallIntegerField(
        _("maximum number of participants"), default=2
    )
    resource_status = models.CharField(
        _("resource base"),
        max_length=10,
        choices=ResourceStatus.choices,
        default=ResourceStatus.CANDIDATE,
    )
    course_completed_on = models.DateField(_("peer course completed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer worker")
        verbose_name_plural = _("peer workers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="one_peer_profile_per_programme"
            )
        ]
        indexes = [models.Index(fields=["programme", "resource_status"])]

    def __str__(self) -> str:
        return self.user.name
