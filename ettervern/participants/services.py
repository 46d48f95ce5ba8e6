"""Writes on participants. Each writes its audit row in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Programme, User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.participants.models import TRANSITIONS, Participant, StatusChange


def participant_transition(
    *,
    actor: User | None,
    participant: Participant,
    to: str,
    reason: str = "",
    end_reason: str = "",
    can_come_back: bool = False,
) -> StatusChange:
    """Move a participant through the status state machine, keeping history. Must run in a
    transaction (the callers' services are atomic); illegal transitions raise ValidationError."""
    if to not in TRANSITIONS.get(participant.status, frozenset()):
        raise ValidationError(
            _("A participant cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Participant.Status(participant.status).label,
                "to": Participant.Status(to).label if to in Participant.Status.values else to,
            }
        )
    if to == Participant.Status.ENDED and not end_reason:
        raise ValidationError(_("Choose why the follow-up ends."))
    now = timezone.now()
    change = StatusChange.objects.create(
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        participant=participant,
        from_status=participant.status,
        to_status=to,
        at=now,
        by=actor,
        reason=reason,
        end_reason=end_reason,
        can_come_back=can_come_back,
    )
    Participant.objects.filter(pk=participant.pk).update(status=to, status_since=now)
    old = participant.status
    participant.status, participant.status_since = to, now
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=participant,
        summary=f"status {old}->{to}",
        data={"event": "status_changed", "from": old, "to": to, "end_reason": end_reason},
    )
    return change


@transaction.atomic
def participant_create(
    *, actor: User | None, programme: Programme, name: str, **fields
) -> Participant:
    """Create a participant in status "referred", with the first history row."""
    now = timezone.now()
    participant = Participant.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        name=name,
        status=Participant.Status.REFERRED,
        status_since=now,
        created_by=actor,
        **fields,
    )
    StatusChange.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        participant=participant,
        from_status="",
        to_status=Participant.Status.REFERRED,
        at=now,
        by=actor,
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=participant, summary="created")
    return participant


CONTACT_FIELDS = ("phone", "email", "address", "area")


@transaction.atomic
def participant_update_details(
    *, actor: User, participant: Participant, changes: dict
) -> Participant:
    """Update plain details; the audit row names the fields changed, never their values.

    Compares against the stored row (a ModelForm may already have written into ``participant``).
    """
    stored = Participant.objects.select_for_update().get(pk=participant.pk)
    changed = [f for f, v in changes.items() if getattr(stored, f) != v]
    if not changed:
        return participant
    for field in changed:
        setattr(participant, field, changes[field])
    participant.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=participant,
        summary="details changed",
        data={"event": "details_changed", "fields": sorted(changed)},
    )
    return participant
