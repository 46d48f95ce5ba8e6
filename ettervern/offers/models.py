"""The offers directory: other organisations' offers that peers and participants choose from.

An offer belongs to one organisation's directory; the organisation's admin may share the whole
directory, read-only, with named partner organisations. A suggestion ties one offer to one
participant (and perhaps one of her goals), with what came of it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import Organisation, TenantScoped
from ettervern.participants.models import Goal, Participant


class Category(models.TextChoices):
    HOUSING = "housing", _("Housing")
    WORK_EDUCATION = "work_education", _("Work and education")
    LEGAL_DEBT = "legal_debt", _("Debt and legal help")
    HEALTH = "health", _("Health")
    SELF_HELP = "self_help", _("Self-help groups")
    LEISURE = "leisure", _("Leisure")
    FAMILY = "family", _("Family")


# Which of the participant's goal life areas (``lib.vocab.LIFE_AREAS``) an offer category serves.
CATEGORY_LIFE_AREAS = {
    Category.HOUSING: ("housing",),
    Category.WORK_EDUCATION: ("work_education",),
    Category.LEGAL_DEBT: ("economy_debt", "services"),
    Category.HEALTH: ("health", "substance_use"),
    Category.SELF_HELP: ("substance_use", "network_leisure"),
    Category.LEISURE: ("network_leisure",),
    Category.FAMILY: ("family",),
}


def categories_for_life_areas(life_areas) -> list[str]:
    wanted = set(life_areas)
    return [c for c, areas in CATEGORY_LIFE_AREAS.items() if wanted & set(areas)]


class Offer(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    # An ``accounts.Area`` code of the organisation; empty: the whole city.
    area = models.CharField(_("area"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    price = models.CharField(_("price"), max_length=100, blank=True)
    contact = models.CharField(_("how to get in touch"), max_length=300, blank=True)
    checked_on = models.DateField(_("last checked"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("in the directory"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(provider="") & ~Q(name=""), name="offer_has_name_and_provider"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "category"])]

    def __str__(self) -> str:
        return self.name


class Sharing(models.Model):
    """The organisation shares its directory, read-only, with a partner organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "partner"], name="one_sharing_a_pair"),
            models.CheckConstraint(
                condition=~Q(organisation=models.F("partner")), name="sharing_not_with_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} -> {self.partner_id}"


class Suggestion(TenantScoped):
    """An offer suggested to a participant by her peer worker or a coordinator."""

    class Outcome(models.TextChoices):
        OPEN = "", _("No answer yet")
        TAKEN_UP = "taken_up", _("Taken up")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="suggestions")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="offer_suggestions"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_on = models.DateField()
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default="", blank=True
    )
    outcome_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-suggested_on", "-pk"]
