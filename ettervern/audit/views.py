from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ettervern.accounts.models import Role
from ettervern.audit.decorators import role_required
from ettervern.audit.models import AuditEvent
from ettervern.audit.selectors import audit_events_visible_to, own_record_access_for


@require_GET
@role_required(Role.COORDINATOR)
def audit_list(request):
    events = audit_events_visible_to(request.user)
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    context = {
        "page": page,
        "actions": AuditEvent.Action.choices,
        "action": action,
        "roles": dict(Role.choices),
    }
    return render(request, "audit/list.html", context)


@require_GET
@role_required(Role.PARTICIPANT)
def own_record_access(request):
    """The participant's own view of who has opened or changed their record."""
    page = Paginator(own_record_access_for(request.user), 50).get_page(request.GET.get("side"))
    return render(request, "audit/own_record.html", {"page": page, "roles": dict(Role.choices)})
