"""The UI shell: home pages per role, health check and friendly error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from ettervern.accounts.selectors import primary_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied
from ettervern.lib import panels


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = primary_role(request.user)
    context = {"role": role, "panels": panels.panels_for(request, role)}
    return render(request, "web/home.html", context)


@require_GET
@login_required
def panel(request: HttpRequest, key: str) -> HttpResponse:
    """A deferred home panel: the fragment htmx swaps in, or a page of its own without JS."""
    role = primary_role(request.user)
    found = panels.deferred_panels(request, role, key)
    if found is None:
        raise Http404
    template = "web/_panels.html" if request.htmx else "web/panel.html"
    return render(request, template, {"role": role, "panels": found})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Clients that ask for /favicon.ico regardless of the page's icon link get the icon, not a
    404 (which would be audited as a refused URL for every logged-in visit)."""
    return redirect(static("ettervern/favicon.svg"), permanent=True)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "web/error.html", {"status": status}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    _audit_refusal(request)
    return _error(request, 403)


def page_not_found(request, exception=None):
    _audit_refusal(request)
    return _error(request, 404)


def _audit_refusal(request) -> None:
    """Every refused or unknown page a logged-in user asks for is audited once per request.

    Selectors audit their refusals with the object's type and id; this catches the rest (a role
    without access to a page, an id that does not exist, a guessed URL)."""
    user = getattr(request, "user", None)
    request_id = getattr(request, "request_id", "")
    if user is None or not user.is_authenticated:
        return
    # The id is made by the server for each request (never taken from the client), so rows that
    # share it belong to this request. Without one, every refusal gets its own row.
    if (
        request_id
        and AuditEvent.objects.filter(
            request_id=request_id, action=AuditEvent.Action.DENIED
        ).exists()
    ):
        return
    audit_denied(actor=user, object_type="url", object_id=request.path[:40])


def server_error(request):
    # Rendered without the request: the context processors may be what failed.
    return HttpResponseServerError(render_to_string("web/error.html", {"status": 500}))


def csrf_failure(request, reason=""):
    return _error(request, 403)
