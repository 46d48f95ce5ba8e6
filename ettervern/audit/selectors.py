from django.db.models import QuerySet

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent


def own_record_access_for(user: User) -> QuerySet[AuditEvent]:
    """For a participant's own login: who has read or changed their record."""
    return (
        AuditEvent.objects.filter(
            participant__user=user,
            participant__programme_id__in=programme_ids_for_role(user, Role.PARTICIPANT),
            action__in=[AuditEvent.Action.READ, AuditEvent.Action.UPDATE, AuditEvent.Action.CREATE],
        )
        .exclude(actor=user)
        .select_related("actor")
    )


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """A coordinator reviews the audit log of their programmes."""
    return AuditEvent.objects.filter(
        programme_id__in=programme_ids_for_role(user, Role.COORDINATOR)
    ).select_related("actor", "participant")
