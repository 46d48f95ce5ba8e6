"""Questionnaires as data: instruments (loaded from the files in ``instruments/``), the
programmes' schedules, and the participants' responses with one answer per item.

An instrument row is immutable once loaded: a changed file must carry a new ``version``, and a
response points to the version it was given in, so old answers keep their meaning.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Programme, TenantScoped
from ettervern.participants.models import Goal, Participant


class Instrument(models.Model):
    """One version of a questionnaire, as defined in its data file (``definition``)."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Rating scale")
        GOALS = "goals", _("Goal progress")

    code = models.SlugField(max_length=30)
    version = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=10)
    intro = models.TextField(blank=True)
    source = models.TextField()
    licence = models.TextField()
    validated = models.BooleanField()
    translation_validated = models.BooleanField()
    requires_match = models.BooleanField(default=False)
    scale_min = models.SmallIntegerField()
    scale_max = models.SmallIntegerField()
    # The whole file as loaded (scale labels, scoring, cut-offs, subscales, default schedule).
    definition = models.JSONField()
    # SHA-256 of the file: loading the same version with other content is refused.
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")
        ]
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return self.name

    @property
    def scale_labels(self) -> list[str]:
        return list(self.definition["scale"]["labels"])

    @property
    def subscales(self) -> list[dict]:
        """[{"code": ..., "name": ...}] in the file's order (empty: only a total)."""
        return list(self.definition.get("subscales", []))

    @property
    def cutoffs(self) -> list[dict]:
        return list(self.definition.get("cutoffs", []))

    @property
    def total_range(self) -> tuple[int, int]:
        scoring = self.definition["scoring"]
        return scoring.get("total_min", 0), scoring.get("total_max", 0)

    @property
    def default_schedule(self) -> list[str]:
        return list(self.definition.get("default_schedule", []))


class Item(models.Model):
    """A question of a scale instrument (goal progress asks one per goal instead)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=30)
    text = models.TextField()
    subscale = models.SlugField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="item_code_once"),
            models.UniqueConstraint(fields=["instrument", "position"], name="item_position_once"),
        ]
        ordering = ["instrument", "position"]

    def __str__(self) -> str:
        return f"{self.instrument_id}:{self.code}"


class Point(models.TextChoices):
    """When in the follow-up a questionnaire is due, counted from the first match's start."""

    INTAKE = "intake", _("At the start")
    M3 = "m3", _("After 3 months")
    M6 = "m6", _("After 6 months")
    M12 = "m12", _("After 12 months")
    END = "end", _("At the end")


POINT_MONTHS = {Point.INTAKE: 0, Point.M3: 3, Point.M6: 6, Point.M12: 12}


class Schedule(models.Model):
    """The points at which a programme asks an instrument (by code, whatever the version).

    No row for an instrument: the file's ``default_schedule`` applies."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    instrument_code = models.SlugField(max_length=30)
    points = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument_code"], name="schedule_once_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.instrument_code}"


class Mode(models.TextChoices):
    OWN_LOGIN = "own_login", _("With her own login")
    PEER_PHONE = "peer_phone", _("Together, on the peer worker's phone")
    READ_ALOUD = "read_aloud", _("Read aloud, answers entered by staff")


class Response(TenantScoped):
    """One filling-in of one instrument version. Only complete responses carry scores."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    mode = models.CharField(max_length=12, choices=Mode.choices)
    answered_at = models.DateTimeField()
    answered_on = models.DateField()
    # The schedule point this response answered, when one was open ("" otherwise).
    point = models.CharField(max_length=10, choices=Point.choices, blank=True)
    complete = models.BooleanField()
    total = models.SmallIntegerField(null=True)
    # {subscale code: score}; empty when incomplete or the instrument has no subscales.
    subscale_scores = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["participant", "instrument", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complete=True, total__isnull=False)
                | models.Q(complete=False, total__isnull=True),
                name="response_scored_iff_complete",
            )
        ]
        ordering = ["answered_at", "pk"]


class Answer(models.Model):
    """One item's answer (or, for goal progress, one goal's)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_item_once"),
            models.UniqueConstraint(fields=["response", "goal"], name="answer_goal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.item_id or self.goal_id}={self.value}"
