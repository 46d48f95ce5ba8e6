"""The funder report keeps only what a person wrote or asked for: the coordinator's summary of a
period, and export jobs (a PDF or workbook made step by step, with its progress). Every figure
is computed from the case data when the report is built (``sections.py``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ettervern.accounts.models import TenantScoped


class Summary(TenantScoped):
    """The coordinator's own words about one programme and period, shown with the figures."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    text = models.TextField(_("summary"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report summary")
        verbose_name_plural = _("report summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end"],
                name="one_report_summary_per_period",
            )
        ]


class Export(TenantScoped):
    """A PDF or Excel copy of a report, made in steps so that no request can time out."""

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel")

    class Status(models.TextChoices):
        WORKING = "working", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    format = models.CharField(max_length=4, choices=Format.choices)
    # "To be shared outside the organisation": counts 1-4 are shown as "<5".
    shared = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WORKING)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=1)
    # The report's plain data, filled section by section; then the file.
    data = models.JSONField(default=dict, blank=True)
    content = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.steps_done / max(self.steps_total, 1)))

    @property
    def filename(self) -> str:
        return f"rapport-{self.period_start:%Y-%m-%d}-{self.period_end:%Y-%m-%d}.{self.format}"
