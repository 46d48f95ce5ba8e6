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

    class Kind(models.TextChoices):
        # Uses their own lived experience; has gone through the peer course.
        PEER = "peer", _("Peer worker")
        # The "Ut i jobb" model: an advisor (veileder) without lived experience, registered
        # directly by the coordinator, without the peer course.
        ADVISOR = "advisor", _("Advisor")

    class ResourceStatus(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("Active in the resource base")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="peer_profiles"
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices, default=Kind.PEER)
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
    # The code of one of the organisation's areas (``accounts.Area``), checked by the services.
    area = models.CharField(_("area"), max_length=30, blank=True)
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
    # When her login last logged a contact, and when she last sent a check-in, or None: derived
    # from the contacts and check-ins, kept by the services that make them
    # (``followup.services.contact_log``, ``checkin_submit``). "Quiet for a while" on the
    # coordinator's home reads them from the peer rows instead of searching every peer's
    # contacts and check-ins.
    last_logged_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_checkin_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The slots she holds: matches active, or paused without the slot freed. Derived from the
    # matches, kept by the match services (``matching.services.held_slots_refresh``) with her
    # row locked, so lists, suggestions and signals read it instead of counting every peer's
    # matches. The capacity check of a new match still counts the matches themselves.
    held_slots = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer worker")
        verbose_name_plural = _("peer workers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="one_peer_profile_per_programme"
            )
        ]
        indexes = [
            models.Index(fields=["programme", "resource_status"]),
            # Active peers quiet since a time (peer signals), without reading every peer.
            models.Index(
                fields=["programme", "last_logged_at"],
                condition=models.Q(resource_status="active"),
                name="peer_active_logged_idx",
            ),
            # A programme's peers with the slots they hold and their user, read from the index
            # alone: the weekly budget queries join every peer with contacts that week, and the
            # peers away every peer without an active role.
            models.Index(
                fields=["programme", "id"],
                include=["held_slots", "user"],
                name="peer_held_slots_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.user.name

    @property
    def is_advisor(self) -> bool:
        return self.kind == self.Kind.ADVISOR

    @property
    def needs_course(self) -> bool:
        """Only a peer worker must have completed the peer course to be matched."""
        return self.kind == self.Kind.PEER

    @property
    def role_name(self) -> str:
        """The role as the person's pages name it: "likeperson" or "veileder"."""
        return _("advisor") if self.is_advisor else _("peer worker")


# --- recruitment and the peer course ---------------------------------------------------------


class Course(TenantScoped):
    """A cohort of the peer course (likepersonkurs)."""

    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer course")
        verbose_name_plural = _("peer courses")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="course_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(TenantScoped):
    """Someone recruited for the peer course. Linked to a PeerWorker once admitted.

    A candidate may have no login yet: the login is created when they enter the resource base.
    """

    class HeardVia(models.TextChoices):
        NAV = "nav", _("NAV")
        TREATMENT = "treatment", _("Treatment institution")
        PRISON = "prison", _("Prison or probation")
        PEER = "peer", _("Another peer worker")
        OWN_ORGANISATION = "own_organisation", _("Our own organisation")
        ADVERT = "advert", _("Advertisement or social media")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECRUITED = "recruited", _("Recruited")
        IN_COURSE = "in_course", _("In the course")
        COMPLETED = "completed", _("Completed the course")
        ADMITTED = "admitted", _("In the resource base")
        WITHDRAWN = "withdrawn", _("Withdrew")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    heard_via = models.CharField(_("how they heard of us"), max_length=20, choices=HeardVia.choices)
    # Recorded from the start, and carried into the peer profile at admission.
    gender = models.CharField(
        _("gender"), max_length=10, choices=labels.choices(labels.GENDER_LABELS), blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    in_recovery_since = models.DateField(_("in recovery since"), null=True, blank=True)
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("course"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECRUITED
    )
    course_completed_on = models.DateField(_("course completed"), null=True, blank=True)
    peer = models.OneToOneField(
        PeerWorker, null=True, blank=True, on_delete=models.PROTECT, related_name="candidate"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["programme", "status"]),
            # The candidate list of a programme, by name, one page at a time.
            models.Index(fields=["programme", "name"], name="candidate_list_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class CourseSession(TenantScoped):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(Candidate, blank=True, related_name="course_sessions")

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["held_on", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="course_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    @property
    def hours(self) -> float:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return round((end - start) / 60, 2)


class CourseAbsence(TenantScoped):
    """Why a candidate missed a course session (the attendance itself is ``attendees``)."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        WORK = "work", _("Work or school")
        FAMILY = "family", _("Family")
        OTHER = "other", _("Other reason")

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="absences")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="absences")
    reason = models.CharField(_("reason for absence"), max_length=10, choices=Reason.choices)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate"], name="one_absence_per_session_and_candidate"
            )
        ]


# --- supervision and well-being --------------------------------------------------------------

SUPERVISION_TOPICS = {
    "boundaries": _("Boundaries"),
    "own_recovery": _("Own recovery"),
    "difficult_situation": _("A difficult situation"),
    "services": _("Collaboration with services"),
    "workload": _("Workload"),
    "participant": _("Following up a participant"),
    "working_life": _("The way on into working life"),
    "other": _("Other"),
}


class Supervision(TenantScoped):
    """Individual supervision (veiledning): a conversation between a coordinator and a peer.

    ``notes`` are for the two of them only: never shown to other coordinators, never audited.
    """

    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="supervisions")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    topics = models.JSONField(_("topics"), default=list, blank=True)
    notes = models.TextField(_("private notes"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("individual supervision")
        verbose_name_plural = _("individual supervisions")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["peer", "-held_on"])]

    def topic_labels(self) -> list[str]:
        return [str(SUPERVISION_TOPICS.get(t, t)) for t in self.topics]


class GroupSupervision(TenantScoped):
    """Group supervision (fellesveiledning); a date in the future means it is planned."""

    held_on = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=200)
    guest_speaker = models.CharField(_("guest speaker"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        PeerWorker, blank=True, related_name="group_supervisions", verbose_name=_("attended")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group supervision")
        verbose_name_plural = _("group supervisions")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["programme", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.theme}"


class CheckIn(TenantScoped):
    """A peer's voluntary well-being check-in. Visible to the peer and their coordinator only."""

    class Workload(models.TextChoices):
        TOO_LITTLE = "too_little", _("Too little")
        RIGHT = "right", _("About right")
        TOO_MUCH = "too_much", _("Too much")

    class Scale(models.IntegerChoices):
        HARD = 1, _("Hard")
        MIXED = 2, _("Mixed")
        GOOD = 3, _("Good")

    peer = models.ForeignKey(PeerWorker, on_delete=models.PROTECT, related_name="checkins")
    submitted_at = models.DateTimeField(_("submitted"))
    workload = models.CharField(_("workload"), max_length=10, choices=Workload.choices)
    boundaries = models.PositiveSmallIntegerField(_("setting boundaries"), choices=Scale.choices)
    own_recovery = models.PositiveSmallIntegerField(_("own recovery"), choices=Scale.choices)
    support_wanted = models.BooleanField(_("I would like a conversation"), default=False)
    text = models.TextField(_("anything else"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("well-being check-in")
        verbose_name_plural = _("well-being check-ins")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["peer", "-submitted_at"]),
            # The newest worrying check-ins of a programme, in order (peer signals).
            models.Index(fields=["programme", "-submitted_at"], name="checkin_programme_time_idx"),
        ]


class ConversationRequest(TenantScoped):
    """A peer asked for a conversation with one tap; open until a coordinator follows it up."""

    peer = models.ForeignKey(
        PeerWorker, on_delete=models.PROTECT, related_name="conversation_requests"
    )
    requested_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["peer"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_conversation_request_per_peer",
            )
        ]
