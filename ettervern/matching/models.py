"""A match between a participant and a peer worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped


class Match(TenantScoped):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    # Statuses in which the match holds the participant (and, unless freed, a peer's slot).
    CURRENT = (Status.ACTIVE, Status.PAUSED)

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="matches"
    )
    peer = models.ForeignKey("peers.PeerWorker", on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    # A paused match keeps the peer's slot unless the coordinator frees it.
    frees_slot = models.BooleanField(_("slot freed while paused"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status__in=["active", "paused"]),
                name="one_current_match_per_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="match_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["peer", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.peer}"
