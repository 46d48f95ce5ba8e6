from django.db.models import QuerySet

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """A coordinator reviews the audit log of their programmes."""
    return AuditEvent.objects.filter(
        programme_id__in=programme_ids_for_role(user, Role.COORDINATOR)
    ).select_related("actor", "participant")
