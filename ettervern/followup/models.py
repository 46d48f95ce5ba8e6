"""Contacts and activities logged by peer workers."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped

DAY_STARTS = dt.time(8, 0)
EVENING_STARTS = dt.time(17, 0)
NIGHT_STARTS = dt.time(22, 0)


def out_of_hours_kind(
    moment: dt.datetime, opens: dt.time = DAY_STARTS, closes: dt.time = EVENING_STARTS
) -> str:
    """ "weekend", "night", "evening" or "" for a moment, in local time. Derived, never typed.

    ``opens`` and ``closes`` are the programme's office hours (``Programme.office_hours``):
    before they open (or from 22:00) is night, from closing time is evening."""
    local = timezone.localtime(moment)
    if local.weekday() >= 5:
        return "weekend"
    if local.time() >= NIGHT_STARTS or local.time() < opens:
        return "night"
    if local.time() >= closes:
        return "evening"
    return ""


class Contact(TenantScoped):
    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("Conversation")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        WALK_AND_TALK = "walk_and_talk", _("Walk-and-talk")
        OUTDOORS = "outdoors", _("Outdoor activity")
        PRACTICAL = "practical", _("Practical help")
        MOVING = "moving", _("Moving")
        ACCOMPANY_NAV = "accompany_nav", _("Went along to NAV")
        ACCOMPANY_GP = "accompany_gp", _("Went along to the GP")
        ACCOMPANY_THERAPIST = "accompany_therapist", _("Went along to the therapist")
        ACCOMPANY_LAWYER = "accompany_lawyer", _("Went along to the street lawyer")
        ACCOMPANY_BANK = "accompany_bank", _("Went along to the bank")
        RESPONSIBILITY_GROUP = "responsibility_group", _("Responsibility group meeting")
        SOCIAL = "social", _("Social activity")
        OTHER = "other", _("Other")

    class Initiative(models.TextChoices):
        PARTICIPANT = "participant", _("The participant")
        PEER = "peer", _("The peer worker")
        OTHER = "other", _("Someone else")

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not show up")

    match = models.ForeignKey("matching.Match", on_delete=models.PROTECT, related_name="contacts")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="contacts"
    )
    peer = models.ForeignKey("peers.PeerWorker", on_delete=models.PROTECT, related_name="contacts")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    initiative = models.CharField(
        _("who took the initiative"), max_length=12, choices=Initiative.choices, default="peer"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default="held")
    # Visible only to the peer and the coordinator; never copied into audit rows.
    note = models.TextField(_("note"), blank=True, max_length=5000)
    # Set once per rendered form: a double-submitted form cannot store the same contact twice.
    submission_key = models.UUIDField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__lte=24 * 60), name="contact_at_most_a_day"
            )
        ]
        indexes = [
            models.Index(fields=["participant", "-occurred_at"]),
            models.Index(fields=["peer", "-occurred_at"]),
            models.Index(fields=["match", "-occurred_at"]),
            # One week's contacts (peers far over their hours, on the home page).
            models.Index(fields=["occurred_at"], name="contact_time_idx"),
            # A week's held minutes per peer, read from the index alone (peers far over).
            models.Index(
                fields=["occurred_at"],
                include=["programme", "peer", "duration_minutes"],
                condition=models.Q(outcome="held"),
                name="contact_held_time_idx",
            ),
            # Whether a peer logged anything lately, and when last (quiet peers).
            models.Index(fields=["created_by", "created_at"], name="contact_author_time_idx"),
            # The last held contact of a match (attention: no contact for N days).
            models.Index(fields=["match", "outcome", "occurred_at"], name="contact_match_held_idx"),
        ]

    @property
    def out_of_hours(self) -> str:
        """By the programme's office hours (select the programme with the contacts)."""
        return out_of_hours_kind(self.occurred_at, *self.programme.office_hours)


class Agreement(TenantScoped):
    """One version of the follow-up agreement (oppfølgingsavtale) of a match.

    Every change makes a new version; confirmations belong to the version they were given for,
    so an earlier confirmation never covers a later text.
    """

    class ContactKind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        SMS = "sms", _("SMS")
        VIDEO = "video", _("Video")
        OUTDOORS = "outdoors", _("Outdoors")

    class ConfirmMethod(models.TextChoices):
        OWN_LOGIN = "own_login", _("With own login")
        PEER_DEVICE = "peer_device", _("On the peer worker's phone")

    match = models.ForeignKey("matching.Match", on_delete=models.PROTECT, related_name="agreements")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="agreements"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    goals = models.ManyToManyField("participants.Goal", blank=True, related_name="+")
    contact_kinds = models.JSONField(_("kinds of contact wanted"), default=list, blank=True)
    rhythm = models.CharField(_("rhythm"), max_length=200)
    availability = models.TextField(_("availability and limits"), max_length=1000, blank=True)
    joins_responsibility_group = models.BooleanField(
        _("the peer worker joins responsibility group meetings"), default=False
    )
    review_on = models.DateField(_("review date"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant_confirmed_at = models.DateTimeField(null=True, blank=True)
    participant_confirm_method = models.CharField(
        max_length=12, choices=ConfirmMethod.choices, blank=True
    )
    peer_confirmed_at = models.DateTimeField(null=True, blank=True)
    peer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up agreement")
        verbose_name_plural = _("follow-up agreements")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["match", "version"], name="one_agreement_version")
        ]
        indexes = [
            # Agreements due for review, the earliest first (attention), read until enough.
            models.Index(fields=["review_on", "id"], name="agreement_review_idx"),
        ]

    @property
    def confirmed_by_both(self) -> bool:
        return bool(self.participant_confirmed_at and self.peer_confirmed_at)

    def contact_kind_labels(self) -> list[str]:
        labels = dict(self.ContactKind.choices)
        return [str(labels.get(k, k)) for k in self.contact_kinds]


class SignalHandled(TenantScoped):
    """A coordinator marked one signal about a peer worker as handled (who, when).

    ``cause`` names what raised the signal (a week, a check-in, a pause, a date of last
    activity); the same kind of signal with a new cause shows again."""

    peer = models.ForeignKey(
        "peers.PeerWorker", on_delete=models.CASCADE, related_name="handled_signals"
    )
    kind = models.CharField(max_length=20)
    cause = models.CharField(max_length=40)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "kind", "cause"], name="one_handled_mark_per_signal"
            )
        ]
