"""Companies, intent agreements, placements and triangle agreements («Ut i jobb»).

A triangle agreement (trekantavtale) is a series of immutable versions of one placement's
agreement; each version collects its own three confirmations (participant, employer, advisor).
Any change makes a new version, so a confirmation never covers a text its giver did not see.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped


class Industry(models.TextChoices):
    ROAD_SAFETY = "road_safety", _("Road safety")
    CONSTRUCTION = "construction", _("Construction")
    WAREHOUSE_SALES = "warehouse_sales", _("Warehouse and sales")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")
    OTHER = "other", _("Other")


class Party(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    EMPLOYER = "employer", _("Employer")
    ADVISOR = "advisor", _("Advisor")


class Company(TenantScoped):
    """A partner company (samarbeidsbedrift)."""

    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactPerson(TenantScoped):
    """A company's contact person; may get an employer-contact login (``user``)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employer_contacts",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IntentAgreement(TenantScoped):
    """An intent agreement (intensjonsavtale): the company is open to taking participants."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="intents")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("number of participants the company is open to"))
    kinds_of_work = models.CharField(_("kinds of work"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intent agreement")
        verbose_name_plural = _("intent agreements")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="intent_ends_after_start",
            )
        ]

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Placement(TenantScoped):
    """Work training or employment of a participant in a company."""

    class Kind(models.TextChoices):
        WORK_TRAINING = "work_training", _("Work training")
        EMPLOYMENT = "employment", _("Employment")

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        HIRED = "hired", _("Hired permanently")
        BY_EMPLOYER = "by_employer", _("Ended by the employer")
        BY_PARTICIPANT = "by_participant", _("Ended by the participant")
        RELAPSE = "relapse", _("Relapse")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="placements"
    )
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="placements")
    contact_person = models.ForeignKey(
        ContactPerson, on_delete=models.PROTECT, related_name="placements"
    )
    # The advisor is the peer worker matched with the participant when the placement began.
    advisor = models.ForeignKey(
        "peers.PeerWorker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    position_percent = models.PositiveSmallIntegerField(_("position (%)"), default=100)
    tasks = models.TextField(_("tasks"), max_length=2000, blank=True)
    adaptations = models.TextField(_("adaptations"), max_length=2000, blank=True)
    goals = models.ManyToManyField("participants.Goal", blank=True, related_name="+")
    # Intensified follow-up (first days of the job, after a relapse): contacts are expected
    # every day up to and including this date. Reminders are derived from logged contacts.
    intensified_until = models.DateField(_("intensified follow-up until"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(position_percent__gte=1, position_percent__lte=100),
                name="placement_position_percent",
            ),
        ]
        indexes = [models.Index(fields=["programme", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.company}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class AgreementVersion(TenantScoped):
    """One immutable version of a placement's triangle agreement."""

    class Rhythm(models.IntegerChoices):
        WEEKLY = 7, _("Every week")
        FORTNIGHTLY = 14, _("Every other week")
        MONTHLY = 30, _("Every month")
        BIMONTHLY = 60, _("Every other month")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    participant_expectations = models.TextField(_("what the participant expects"), max_length=3000)
    employer_expectations = models.TextField(_("what the employer expects"), max_length=3000)
    advisor_expectations = models.TextField(_("what the advisor expects"), max_length=3000)
    follow_up = models.TextField(_("follow-up the advisor gives"), max_length=3000)
    meeting_interval_days = models.PositiveSmallIntegerField(
        _("meeting rhythm"), choices=Rhythm.choices, default=Rhythm.MONTHLY
    )
    continue_criteria = models.TextField(
        _("criteria for continuing"),
        max_length=3000,
        help_text=_("One criterion per line; each is reviewed in the meetings."),
    )
    end_criteria = models.TextField(_("criteria for ending"), max_length=3000)
    relapse_plan = models.TextField(_("what happens on relapse"), max_length=3000)
    who_to_call = models.TextField(_("whom to call when"), max_length=2000)
    share_relapse_with_employer = models.BooleanField(
        _("the participant agrees that the employer is told of a relapse"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    TEXT_FIELDS = (
        "participant_expectations",
        "employer_expectations",
        "advisor_expectations",
        "follow_up",
        "meeting_interval_days",
        "continue_criteria",
        "end_criteria",
        "relapse_plan",
        "who_to_call",
        "share_relapse_with_employer",
    )

    class Meta:
        verbose_name = _("triangle agreement")
        verbose_name_plural = _("triangle agreements")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "number"], name="one_triangle_agreement_version"
            )
        ]

    def criteria(self) -> list[str]:
        return [line.strip() for line in self.continue_criteria.splitlines() if line.strip()]


class Confirmation(TenantScoped):
    """One party's confirmation of one version. Given on someone's behalf only with a reason."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="confirmations"
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"))
    # Whom the confirmation is for, as printed (the party's own name).
    party_name = models.CharField(_("name"), max_length=200)
    on_behalf = models.BooleanField(_("recorded on the party's behalf"), default=False)
    on_behalf_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ["confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_confirmation_per_party"),
            models.CheckConstraint(
                condition=models.Q(on_behalf=False) | ~models.Q(on_behalf_reason=""),
                name="on_behalf_needs_reason",
            ),
        ]


class Meeting(TenantScoped):
    """A triangle meeting: planned by the rhythm, then recorded."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="meetings")
    version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_for = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participant_attended = models.BooleanField(_("the participant attended"), default=False)
    employer_attended = models.BooleanField(_("the employer attended"), default=False)
    advisor_attended = models.BooleanField(_("the advisor attended"), default=False)
    # [{"criterion": "...", "status": "met|at_risk|not_met"}] for the version's criteria.
    criteria_review = models.JSONField(default=list, blank=True)
    participant_raised = models.TextField(_("what the participant raised"), blank=True)
    employer_raised = models.TextField(_("what the employer raised"), blank=True)
    advisor_raised = models.TextField(_("what the advisor raised"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("triangle meeting")
        verbose_name_plural = _("triangle meetings")
        ordering = ["scheduled_for", "id"]
        indexes = [models.Index(fields=["placement", "status"])]


class CriterionStatus(models.TextChoices):
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("At risk")
    NOT_MET = "not_met", _("Not met")


class MeetingAction(TenantScoped):
    """An action agreed in a meeting, with the party who owns it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=12, choices=Party.choices)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["done_at", "due_on", "id"]


class RelapseEvent(TenantScoped):
    """A relapse recorded by the advisor. The note is for the advisor and coordinator only;
    the employer learns of the event (never the note) only when the agreement says so."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="relapses")
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=3000, blank=True)
    intensified_until = models.DateField(_("follow-up stepped up until"))
    # Copied from the agreement in force when recorded: the participant's choice at that time.
    shared_with_employer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("relapse")
        verbose_name_plural = _("relapses")
        ordering = ["-occurred_on", "-id"]
