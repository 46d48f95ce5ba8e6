"""The append-only audit log. It doubles as the participant's timeline (see participants)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("Read")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        DENIED = "denied", _("Access denied")
        EXPORT = "export", _("Exported")

    # A default rather than auto_now_add, so that imported history (demo data) keeps its times.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    # Nullable: a denied attempt on an object of another organisation is recorded under the
    # actor's organisations, never the victim's (which would reveal the attempt to the wrong org).
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        "accounts.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    # The participant the event concerns, when there is one: drives the timeline and lets a
    # participant see who read their record.
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # A short, safe description ("status: waiting → matched"); never the content of notes.
    summary = models.CharField(max_length=300, blank=True)
    # Structured, safe details for the timeline (field names changed, codes); never note text.
    data = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # One per query a page runs: the audit log (programme, organisation, actor), the
        # timeline (a participant's writes, newest first), refusals looked up by request.
        indexes = [
            # The audit log, newest first; the id breaks ties of the keyset (bulk writes share
            # one timestamp).
            models.Index(fields=["programme", "-at", "-id"], name="audit_prog_at_idx"),
            # The audit log filtered by action, newest first (keyset pagination).
            models.Index(
                fields=["programme", "action", "-at", "-id"], name="audit_prog_action_at_idx"
            ),
            models.Index(fields=["participant", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["organisation", "-at"], name="audit_org_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["request_id"], name="audit_request_id_idx"),
            models.Index(
                fields=["participant", "-at"],
                name="audit_timeline_idx",
                condition=models.Q(action__in=["create", "update", "delete"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")


class Submission(models.Model):
    """A create form that was handled: its key (one per rendered form), who sent it, and the
    object it created. The unique key makes a repeated or simultaneous second submission find
    the first object instead of creating a copy (see ``ettervern.audit.submissions``)."""

    key = models.UUIDField(unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    object_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} {self.object_type_id}:{self.object_id}"
