from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ettervern.accounts.models import Role
from ettervern.audit.decorators import role_required
from ettervern.audit.models import AuditEvent
from ettervern.audit.selectors import audit_events_visible_to, own_record_access_for

AUDIT_PAGE_SIZE = 50


@require_GET
@role_required(Role.COORDINATOR)
def audit_list(request):
    events = audit_events_visible_to(request.user)
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    # Keyset pagination: older than the last row shown, never a COUNT(*) over the whole log.
    before = None
    cursor = request.GET.get("eldre", "")
    if cursor.isdigit() and len(cursor) < 19:
        before = events.filter(pk=int(cursor)).values("at", "pk").first()
    if before:
        # ``at__lte`` bounds the index scan; the rest only sorts out ties of the same moment.
        events = events.filter(
            Q(at__lt=before["at"]) | Q(at=before["at"], pk__lt=before["pk"]), at__lte=before["at"]
        )
    rows = list(events.order_by("-at", "-pk")[: AUDIT_PAGE_SIZE + 1])
    context = {
        "page": rows[:AUDIT_PAGE_SIZE],
        "older": rows[AUDIT_PAGE_SIZE - 1].pk if len(rows) > AUDIT_PAGE_SIZE else None,
        "is_first": before is None,
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
