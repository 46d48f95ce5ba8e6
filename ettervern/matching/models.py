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
    # Set when the peer worker accepts a proposal (when the programme asks for that).
    peer_accepted_at = models.DateTimeField(_("accepted by the peer worker"), null=True, blank=True)
    # The time of the last contact held in this match, or None: derived from the contacts, kept
    # by the contact services (``followup.services.last_held_refresh``) with the match row
    # locked. The attention list reads the quiet matches by it through an index.
    last_held_at = models.DateTimeField(null=True, blank=True, editable=False)
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
        indexes = [
            models.Index(fields=["peer", "status"]),
            # Active matches of a programme (attention items), a participant's current match.
            models.Index(fields=["programme", "status"], name="match_programme_status_idx"),
            models.Index(fields=["participant", "status"], name="match_participant_status_idx"),
            # Active matches with no contact held for a while, the quietest first (attention).
            models.Index(
                fields=["programme", "status", "last_held_at"], name="match_last_held_idx"
            ),
            # Questionnaires due: the first matches of a programme begun in a window, in order,
            # and whether a participant has a match that began earlier.
            models.Index(fields=["programme", "started_on"], name="match_programme_started_idx"),
            models.Index(
                fields=["participant", "started_on"], name="match_participant_started_idx"
            ),
            # Matches of a programme ended since a day (a past week's shares, from the slots
            # held now).
            models.Index(
                fields=["programme", "ended_on"],
                condition=models.Q(ended_on__isnull=False),
                name="match_programme_ended_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.peer}"


class MatchingSettings(TenantScoped):
    """Per programme: the weight of each scoring criterion and how suggestions behave."""

    weights = models.JSONField(_("weights"), default=dict, blank=True)
    suggestions_shown = models.PositiveSmallIntegerField(_("suggestions shown"), default=5)
    require_peer_acceptance = models.BooleanField(
        _("the peer worker accepts before the coordinator confirms"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], name="one_matching_settings_per_programme"
            )
        ]


class Exclusion(TenantScoped):
    """A pair that must never be matched (known to each other, conflict), with a reason."""

    class Kind(models.TextChoices):
        KNOWN = "known", _("Know each other")
        CONFLICT = "conflict", _("Conflict")
        OTHER = "other", _("Other reason")

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="exclusions"
    )
    peer = models.ForeignKey(
        "peers.PeerWorker", on_delete=models.CASCADE, related_name="exclusions"
    )
    kind = models.CharField(_("why"), max_length=10, choices=Kind.choices)
    # A short, factual reason; shown to coordinators only.
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(fields=["participant", "peer"], name="one_exclusion_per_pair")
        ]


class PlanConstraint(TenantScoped):
    """A coordinator's lock or ban of one pair in the batch plan (kept until removed)."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("Locked")
        FORBID = "forbid", _("Not this pair")

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    peer = models.ForeignKey("peers.PeerWorker", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "peer"], name="one_plan_constraint_per_pair"
            )
        ]


class PeerPause(TenantScoped):
    """A peer worker's pause from following up: asked for by the peer or started by the
    coordinator. While it is in effect, a cover peer may follow each of her participants.

    The reason is for the coordinator only (never shown to the cover peer or the participants)."""

    class Reason(models.TextChoices):
        OWN_RECOVERY = "own_recovery", _("Own recovery")
        HOLIDAY = "holiday", _("Holiday")
        ILLNESS = "illness", _("Illness")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    # Open: the pause still asks for something (approval, or the peer's return).
    OPEN = (Status.REQUESTED, Status.APPROVED)

    peer = models.ForeignKey("peers.PeerWorker", on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    starts_on = models.DateField(_("from"))
    expected_return_on = models.DateField(_("expected back"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_return_on__gte=models.F("starts_on")),
                name="pause_returns_after_start",
            ),
            models.UniqueConstraint(
                fields=["peer"],
                condition=models.Q(status__in=["requested", "approved"]),
                name="one_open_pause_per_peer",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]


class PauseCover(TenantScoped):
    """Who covers one participant while her peer worker is on pause: may read the record and log
    contacts until the pause ends (``access.covers_in_effect``)."""

    pause = models.ForeignKey(PeerPause, on_delete=models.CASCADE, related_name="covers")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="pause_covers"
    )
    cover = models.ForeignKey(
        "peers.PeerWorker",
        on_delete=models.PROTECT,
        related_name="covering",
        verbose_name=_("cover peer"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cover")
        verbose_name_plural = _("covers")
        constraints = [
            models.UniqueConstraint(
                fields=["pause", "participant"], name="one_cover_per_participant_and_pause"
            )
        ]
