"""Moving in from spreadsheets: the uploaded file until it is imported, and which row of which
file became which record (so that importing the same file again creates nothing twice)."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from ettervern.accounts.models import TenantScoped


class Kind(models.TextChoices):
    PARTICIPANT = "participant", pgettext_lazy("imported record", "Participant")
    PEER = "peer", pgettext_lazy("imported record", "Peer worker")
    MATCH = "match", pgettext_lazy("imported record", "Match")


class ImportUpload(TenantScoped):
    """A file that passed the checks, kept between the dry run and "Import".

    The content is emptied once imported: the records themselves are the data from then on.
    """

    file_name = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    # What the import created, by kind ({"participant": 200, ...}), and the rows skipped.
    created = models.JSONField(default=dict, blank=True)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class ImportedRecord(TenantScoped):
    """The external id a row had in the organisation's old spreadsheet, and the record it became.

    Kept apart from the domain models so that they stay free of import bookkeeping.
    """

    kind = models.CharField(max_length=12, choices=Kind.choices)
    external_id = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    upload = models.ForeignKey(
        ImportUpload, null=True, on_delete=models.SET_NULL, related_name="records"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "external_id"], name="one_record_per_external_id"
            )
        ]
