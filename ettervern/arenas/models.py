"""Social arenas: events where participants meet staff, peers and volunteers.

An event is one occurrence at a place and time (a film night, a concert, a hike, or one Thursday
of the weekly café). A ``Series`` generates the occurrences of a recurring event; each occurrence
is its own ``Event`` row, so one Thursday can move, shrink or be cancelled alone. A ``SignUp`` is
one person on one event (a participant record, or a login: peer, staff, volunteer) and carries
its attendance. A ``Helper`` is a login helping at an event: they see its sign-ups and record
attendance there, and (for volunteers) nothing else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped
from ettervern.participants.models import Participant


class Kind(models.TextChoices):
    CAFE = "cafe", _("Café")
    FILM = "film", _("Film night")
    CONCERT = "concert", _("Concert")
    HIKE = "hike", _("Hike or trip")
    MEAL = "meal", _("Shared meal")
    OTHER = "other", _("Other gathering")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    PARTICIPANTS = "participants", _("Participants (with staff and volunteers)")
    PEERS = "peers", _("Peer workers")
    STAFF = "staff", _("Staff")


class PersonKind(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    PEER = "peer", _("Peer worker")
    STAFF = "staff", _("Staff")
    VOLUNTEER = "volunteer", _("Volunteer")


# Who may sign up for an event meant for an audience. Staff and volunteers run the events and
# may join any of them.
AUDIENCE_ADMITS = {
    Audience.EVERYONE: frozenset(PersonKind.values),
    Audience.PARTICIPANTS: frozenset(PersonKind.values),
    Audience.PEERS: frozenset({PersonKind.PEER, PersonKind.STAFF, PersonKind.VOLUNTEER}),
    Audience.STAFF: frozenset({PersonKind.STAFF, PersonKind.VOLUNTEER}),
}


class Series(TenantScoped):
    """A recurring event: the same gathering every week on one weekday."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # Monday 0 .. Sunday 6
    start_time = models.TimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    audience = models.CharField(_("for whom"), max_length=12, choices=Audience.choices)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring event")
        verbose_name_plural = _("recurring events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="arenas_series_weekday_range"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="arenas_series_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Event(TenantScoped):
    """One gathering at a place and time, with a capacity and an audience."""

    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # The day the series placed this occurrence on (kept when the occurrence moves), so that
    # generating the series again never makes a second one.
    series_day = models.DateField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    audience = models.CharField(_("for whom"), max_length=12, choices=Audience.choices)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_day"],
                condition=models.Q(series__isnull=False),
                name="arenas_one_occurrence_per_series_day",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="arenas_event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="arenas_event_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["programme", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SignUp(TenantScoped):
    """One person signed up for one event: a participant record, or a login."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    person_kind = models.CharField(_("as"), max_length=12, choices=PersonKind.choices)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="arena_signups",
    )
    # The person's own choice: may other participants see that they come?
    visible = models.BooleanField(_("others may see that I come"), default=False)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("attended"), default=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(participant__isnull=False, user__isnull=True)
                    | models.Q(participant__isnull=True, user__isnull=False)
                ),
                name="arenas_signup_one_person",
            ),
            models.UniqueConstraint(
                fields=["event", "participant"],
                condition=models.Q(participant__isnull=False),
                name="arenas_one_signup_per_participant",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="arenas_one_signup_per_user",
            ),
        ]

    @property
    def person_name(self) -> str:
        return self.participant.name if self.participant_id else self.user.name


class Helper(TenantScoped):
    """A login helping at an event (a volunteer, or staff): sees its sign-ups, records
    attendance."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="helpers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="arena_helping"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="arenas_one_helper_row")
        ]
