"""The UI shell: home pages per role, health check and friendly error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from ettervern.accounts.selectors import primary_role
from ettervern.web import home_panels


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = primary_role(request.user)
    context = {"role": role, "panels": home_panels.panels_for(request, role)}
    return render(request, "web/home.html", context)


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
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    # Rendered without the request: the context processors may be what failed.
    return HttpResponseServerError(render_to_string("web/error.html", {"status": 500}))


def csrf_failure(request, reason=""):
    return _error(request, 403)
