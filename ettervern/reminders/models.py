"""Reminders outside the app: each user's daily digest choice, the digests sent, and the secret
address of the personal calendar feed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderSettings(models.Model):
    """One user's choices. Not tied to a programme: the digest covers all of the user's roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    digest_enabled = models.BooleanField(_("send me a daily summary by e-mail"), default=False)
    # The local hour (Europe/Oslo) the digest is sent in.
    digest_hour = models.PositiveSmallIntegerField(_("hour"), default=7)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="digest_hour_0_23")
        ]
        indexes = [models.Index(fields=["digest_enabled", "digest_hour"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest_enabled} {self.digest_hour:02d}"


class DigestSent(models.Model):
    """One row per user per local day: a second run in the same hour (or day) sends nothing.

    ``seen`` holds the keys (codes and ids, never text) of the items that count as "new since
    the last digest", so the next digest names only what came since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()
    lines = models.PositiveSmallIntegerField(default=0)
    seen = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class CalendarToken(models.Model):
    """The secret of a user's calendar feed address; only its SHA-256 is stored.

    A revoked row stays, so a request with the old address is recognised (and audited) as one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} #{self.pk}"
