"""Participants (deltakere) and what the service knows of them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped
from ettervern.lib import labels


class HousingStage(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    PRISON = "prison", _("Prison")
    TRAINING_HOUSING = "training_housing", _("Training housing")
    PILOT_FLAT = "pilot_flat", _("Pilot flat")
    OWN_HOME = "own_home", _("Own home")
    HOMELESS = "homeless", _("Homeless")


class Transition(models.TextChoices):
    RELEASE = "release", _("Release from prison")
    DISCHARGE = "discharge", _("Discharge from treatment")
    OTHER = "other", _("Other transition")


class PhoneTail(models.Func):
    """The last eight characters of a phone number, written without query parameters so that
    SQLite matches a query's expression to the index's (``Right`` passes its length as one)."""

    template = "RIGHT(%(expressions)s, 8)"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="SUBSTR(%(expressions)s, -8)")


class Participant(TenantScoped):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        INTAKE = "intake", _("Intake")
        WAITING = "waiting", _("Waiting")
        MATCHED = "matched", _("Matched")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        OTHER = "other", _("Other")
        UNSPECIFIED = "", _("Not stated")

    name = models.CharField(_("name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The code of one of the organisation's areas (``accounts.Area``), checked by the services.
    area = models.CharField(_("area"), max_length=30, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Optional own login for the participant.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant_record",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REFERRED
    )
    status_since = models.DateTimeField(_("status since"))
    # The current housing stage and the coming (or latest) transition: what "needs attention"
    # around release and discharge is derived from.
    housing_stage = models.CharField(
        _("housing stage"), max_length=20, choices=HousingStage.choices, blank=True
    )
    transition = models.CharField(
        _("transition"), max_length=20, choices=Transition.choices, blank=True
    )
    transition_date = models.DateField(_("date of the transition"), null=True, blank=True)
    # What matching uses (codes from ettervern.lib.vocab).
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    substances = models.JSONField(_("substance history"), default=list, blank=True)
    treatment_paths = models.JSONField(_("treatment paths"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    availability_wanted = models.JSONField(_("wanted availability"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["organisation", "name"]),
            # The home page's attention queries: waiting longest, released soon or lately.
            models.Index(fields=["programme", "status", "status_since"], name="part_waiting_idx"),
            # The participant list of a programme, by name.
            models.Index(fields=["programme", "name"], name="part_programme_name_idx"),
            models.Index(
                fields=["programme", "transition", "transition_date"], name="part_transition_idx"
            ),
            # Possible duplicates of the referrals shown: same name (any case), same phone number.
            models.Index("programme", Upper("name"), name="part_name_key_idx"),
            models.Index("programme", PhoneTail("phone"), name="part_phone_tail_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Consent(TenantScoped):
    """Consent per purpose; withdrawal is a timestamp on the same row, as easy as giving it."""

    class Purpose(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up by the service")
        SHARE_REFERRER = "share_referrer", _("Sharing status with the referrer or NAV")
        RESEARCH = "research", _("Taking part in research")

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written")
        ORAL = "oral", _("Oral, recorded by staff")
        DIGITAL = "digital", _("Digital, own login")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(_("given"))
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    text_version = models.CharField(_("version of the consent text"), max_length=20)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]
        indexes = [
            # Withdrawn consents are few: the attention query reads only those.
            models.Index(
                fields=["purpose", "participant"],
                condition=models.Q(withdrawn_at__isnull=False),
                name="consent_withdrawn_idx",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Goal(TenantScoped):
    """The participant's own goal in one life area."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="goals")
    life_area = models.CharField(
        _("life area"), max_length=20, choices=labels.choices(labels.LIFE_AREA_LABELS)
    )
    description = models.TextField(_("goal, in the participant's words"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="active")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")


class PeerWish(TenantScoped):
    """What the participant wishes for in a peer: a "must" is a hard constraint for matching."""

    class Kind(models.TextChoices):
        GENDER = "gender", _("Gender")
        AGE_RANGE = "age_range", _("Age range")
        SHARED_EXPERIENCE = "shared_experience", _("Shared experience")
        TREATMENT_PATH = "treatment_path", _("Treatment path")
        LANGUAGE = "language", _("Language")
        AVAILABILITY = "availability", _("Availability")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="wishes")
    kind = models.CharField(_("wish"), max_length=20, choices=Kind.choices)
    # A code from ettervern.lib.vocab; for an age range "min-max", e.g. "30-50".
    value = models.CharField(_("value"), max_length=40)
    must = models.BooleanField(_("must"), default=False)

    class Meta:
        verbose_name = _("wish for a peer")
        verbose_name_plural = _("wishes for a peer")

    @property
    def value_label(self) -> str:
        names = {
            "gender": labels.GENDER_LABELS,
            "shared_experience": labels.LIVED_EXPERIENCE_LABELS,
            "treatment_path": labels.TREATMENT_PATH_LABELS,
            "language": labels.LANGUAGE_LABELS,
            "availability": labels.AVAILABILITY_LABELS,
        }.get(self.kind, {})
        return str(names.get(self.value, self.value))


# The status state machine: which transitions are legal.
TRANSITIONS: dict[str, frozenset[str]] = {
    "referred": frozenset({"intake", "ended"}),
    "intake": frozenset({"waiting", "ended"}),
    "waiting": frozenset({"matched", "intake", "ended"}),
    "matched": frozenset({"paused", "waiting", "ended"}),
    "paused": frozenset({"matched", "waiting", "ended"}),
    "ended": frozenset({"referred"}),
}


class StatusChange(TenantScoped):
    """One step in a participant's status history. Time in each state is derived from these."""

    class EndReason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("Goals reached")
        MOVED = "moved", _("Moved")
        NO_CONTACT = "no_contact", _("No contact")
        DECLINED = "declined", _("Declined further follow-up")
        RELAPSE = "relapse", _("Relapse")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=Participant.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Participant.Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A short reason code or text (e.g. a pause for relapse, prison, hospital), no case notes.
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    can_come_back = models.BooleanField(_("can come back"), default=False)
    # At the end of follow-up: a short summary and what happens next (other services).
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    next_steps = models.TextField(_("what happens next"), blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["participant", "at"])]


class PauseReason(models.TextChoices):
    RELAPSE = "relapse", _("Relapse")
    PRISON = "prison", _("Prison")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class Referral(TenantScoped):
    """A referral (henvisning), by a coordinator or by a referrer with their own login.

    The participant row is created with it (status "referred"); possible duplicates are only
    flagged to the coordinator (see ``selectors.possible_duplicates``), never merged.
    """

    class Source(models.TextChoices):
        NAV = "nav", _("NAV")
        MUNICIPALITY = "municipality", _("Municipality")
        TREATMENT = "treatment", _("Treatment institution")
        PRISON = "prison", _("Prison")
        OWN_ORGANISATION = "own_organisation", _("Own organisation")
        ACQUAINTANCE = "acquaintance", _("Acquaintance")
        SELF = "self", _("Self-referral")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="referrals")
    source = models.CharField(_("source of the referral"), max_length=20, choices=Source.choices)
    referrer_name = models.CharField(_("referrer's name"), max_length=200, blank=True)
    referrer_organisation = models.CharField(_("referrer's workplace"), max_length=200, blank=True)
    referrer_phone = models.CharField(_("referrer's phone"), max_length=30, blank=True)
    referrer_email = models.EmailField(_("referrer's email"), blank=True)
    wants_help_with = models.TextField(_("what the person wants help with"), max_length=3000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_submitted",
    )
    # Set once per rendered form: a double-submitted referral cannot register the person twice.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        # The referral list of a programme, newest first.
        indexes = [
            models.Index(fields=["programme", "-created_at", "-id"], name="referral_list_idx")
        ]


class GoalNote(TenantScoped):
    """A progress note on a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("progress"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]


class OtherService(TenantScoped):
    """Another service involved with the participant: this service is a supplement to them."""

    class Kind(models.TextChoices):
        NAV = "nav", _("NAV contact")
        MUNICIPAL_SUBSTANCE = "municipal_substance", _("Municipal substance-use follow-up")
        GP = "gp", _("GP")
        RESPONSIBILITY_GROUP = "responsibility_group", _("Responsibility group (ansvarsgruppe)")
        INDIVIDUAL_PLAN = "individual_plan", _("Individual plan (IP)")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="other_services"
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    contact = models.CharField(_("contact person or details"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("other service")
        verbose_name_plural = _("other services")
