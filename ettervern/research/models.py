"""Research projects and the research ids that pseudonymise participants in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ettervern.accounts.models import Membership, Organisation, Programme


class ResearchProject(models.Model):
    """A research project the organisation takes part in. Researchers see aggregated tables of
    its programmes; a row-level export exists only once the org admin has approved it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ENDED = "ended", _("Ended")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programmes = models.ManyToManyField(Programme, related_name="+", verbose_name=_("programmes"))
    title = models.CharField(pgettext_lazy("research project", "title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    approval_reference = models.CharField(
        _("approval reference"),
        max_length=60,
        blank=True,
        help_text=_("E.g. the REK number of the approval by the ethics committee."),
    )
    # Memberships with the researcher role, in this organisation.
    researchers = models.ManyToManyField(
        Membership, related_name="+", verbose_name=_("responsible researchers")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="research_project_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ResearchId(models.Model):
    """A participant's research id in one project: random, stable for the project, and the only
    thing of the participant an export names. The link back stays in this table."""

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="ids")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "participant"], name="one_research_id_per_project"
            )
        ]

    def __str__(self) -> str:
        return self.token
