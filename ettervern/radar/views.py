from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.matching.selectors import coordinated_programme
from ettervern.radar.selectors import radar_for


def _programme(request):
    programme = coordinated_programme(request.user, request.GET.get("tiltak"))
    if programme is None:
        raise Http404
    return programme


def _programmes(request):
    return programmes_for_role(request.user, Role.COORDINATOR).order_by("name")


@require_GET
@role_required(Role.COORDINATOR)
def radar(request):
    """The radar page at once, with a "computing" notice: the radar itself (seconds for a large
    organisation) comes from :func:`radar_result`, which htmx loads into it."""
    programme = _programme(request)
    context = {"programme": programme, "programmes": _programmes(request)}
    return render(request, "radar/radar.html", context)


@require_GET
@role_required(Role.COORDINATOR)
def radar_result(request):
    """The computed radar: the fragment for htmx, or the whole page without JavaScript."""
    programme = _programme(request)
    context = {"programme": programme, "radar": radar_for(programme)}
    if request.htmx:
        return render(request, "radar/_result.html", context)
    context["programmes"] = _programmes(request)
    return render(request, "radar/radar.html", context)


@require_GET
@role_required(Role.COORDINATOR)
def radar_card(request):
    """The short card on the matching page, loaded after the page (the radar re-plans)."""
    programme = _programme(request)
    return render(request, "radar/_card.html", {"radar": radar_for(programme)})
