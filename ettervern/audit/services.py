"""Writing audit events. Call inside the same transaction as the write it records."""

from django.db import models

from ettervern.accounts.models import User
from ettervern.accounts.selectors import memberships_of, role_in_programme
from ettervern.audit.context import request_id_var, request_path_var
from ettervern.audit.events import EventDeclarationError, EventType
from ettervern.audit.models import AuditEvent

Action = AuditEvent.Action


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation_id: int | None = None,
    programme_id: int | None = None,
    participant_id: int | None = None,
    summary: str = "",
    event: EventType | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one audit event of a declared type (``ettervern.audit.events``).

    Organisation, programme and participant default to the object's own fields when it has them.
    ``data`` carries only the keys ``event`` declares; it and ``summary`` never carry the content
    of notes. A read needs no event type; every other action does.
    """
    data = dict(data or {})
    if event is None:
        if action != AuditEvent.Action.READ or data:
            raise EventDeclarationError("an audit row for a write needs a declared event type")
    else:
        event.check(data)
        data = {"event": event.code, **data}
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        organisation_id = organisation_id or getattr(obj, "organisation_id", None)
        programme_id = programme_id or getattr(obj, "programme_id", None)
        if participant_id is None:
            participant_id = getattr(obj, "participant_id", None)
            if participant_id is None and obj._meta.label_lower == "participants.participant":
                participant_id = obj.pk
    actor_role = ""
    if actor is not None and actor.is_authenticated:
        actor_role = role_in_programme(actor, programme_id)
    else:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_role=actor_role,
        organisation_id=organisation_id,
        programme_id=programme_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        participant_id=participant_id,
        summary=summary[:300],
        data=data,
        request_id=request_id_var.get(),
        path=request_path_var.get(),
    )


def audit_denied(*, actor: User, object_type: str, object_id: str | int) -> None:
    """Record a refused access, under the actor's own organisation(s), never the target's."""
    memberships = memberships_of(actor) if actor.is_authenticated else []
    first = memberships[0] if memberships else None
    AuditEvent.objects.create(
        actor=actor if actor.is_authenticated else None,
        actor_role=first.role if first else "",
        organisation_id=first.organisation_id if first else None,
        programme_id=first.programme_id if first else None,
        action=Action.DENIED,
        object_type=object_type,
        object_id=str(object_id).replace("\x00", "")[:40],
        request_id=request_id_var.get(),
        path=request_path_var.get(),
    )
