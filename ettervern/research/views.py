"""The researcher's pages (projects, suppressed tables, the export) and the org admin's
research projects page. No page here shows or links to a participant."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Programme, Role
from ettervern.audit.decorators import role_required
from ettervern.orgadmin.selectors import administered_organisation
from ettervern.research import selectors, services
from ettervern.research.forms import ApproveForm, FilterForm, ProjectForm
from ettervern.research.suppression import THRESHOLD

# --- the researcher ----------------------------------------------------------------------------


@require_GET
@role_required(Role.RESEARCHER)
def project_list(request):
    projects = list(selectors.projects_for(request.user))
    for project in projects:
        project.export_allowed = selectors.export_allowed(project)
    return render(request, "research/project_list.html", {"projects": projects})


def _filter_form(request, project):
    programmes = project.programmes.order_by("name")
    return FilterForm(request.GET or None, programmes=programmes)


@require_GET
@role_required(Role.RESEARCHER)
def project_detail(request, project_id: int):
    project = selectors.project_for_researcher(request.user, project_id)
    form = _filter_form(request, project)
    context = {
        "project": project,
        "form": form,
        "threshold": THRESHOLD,
        "export_allowed": selectors.export_allowed(project),
        "tables_allowed": selectors.tables_allowed(project),
        "query": request.GET.urlencode(),
    }
    if context["tables_allowed"] and (not form.is_bound or form.is_valid()):
        filters = form.filters()
        count, tables = selectors.tables(project, filters)
        services.tables_viewed(
            actor=request.user, project=project, filters=filters, participants=count
        )
        context.update(
            count=count,
            too_few=count < THRESHOLD,
            tables=tables,
            any_hidden=any(t.result.any_hidden for t in tables),
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "research/project_detail.html", context, status=status)


@require_GET
@role_required(Role.RESEARCHER)
def project_export(request, project_id: int):
    project = selectors.project_for_researcher(request.user, project_id)
    form = _filter_form(request, project)
    fmt = request.GET.get("format", "")
    error = None
    if form.is_bound and not form.is_valid():
        error = _("Correct the filters first.")
    elif fmt not in services.FORMATS:
        error = _("Choose CSV or Excel.")
    else:
        try:
            export = services.export_make(
                actor=request.user, project=project, filters=form.filters(), fmt=fmt
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            response = HttpResponse(export.content, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    messages.error(request, error)
    query = request.GET.copy()
    query.pop("format", None)
    url = reverse("research:project", kwargs={"project_id": project.pk})
    return redirect(f"{url}?{query.urlencode()}" if query else url)


# --- the org admin -----------------------------------------------------------------------------


def _organisation(request):
    return administered_organisation(request.user)


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def admin_projects(request):
    organisation = _organisation(request)
    programmes = Programme.objects.filter(organisation=organisation, archived_at__isnull=True)
    form = ProjectForm(request.POST or None, programmes=programmes.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.project_create(
                actor=request.user,
                organisation=organisation,
                submission_key=data.pop("submission_key", None),
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The research project was registered as proposed."))
            return redirect("research_admin:project", research_project_id=project.pk)
    context = {"projects": selectors.projects_of(organisation), "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "research/admin_projects.html", context, status=status)


@require_GET
@role_required(Role.ORG_ADMIN)
def admin_project(request, research_project_id: int):
    project = selectors.project_in(_organisation(request), research_project_id)
    form = ApproveForm(initial={"approval_reference": project.approval_reference})
    return render(request, "research/admin_project.html", {"project": project, "form": form})


@require_POST
@role_required(Role.ORG_ADMIN)
def admin_project_approve(request, research_project_id: int):
    project = selectors.project_in(_organisation(request), research_project_id)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.project_approve(
                actor=request.user,
                project=project,
                approval_reference=form.cleaned_data["approval_reference"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The project is approved: row-level export is open."))
            return redirect("research_admin:project", research_project_id=project.pk)
    return render(
        request, "research/admin_project.html", {"project": project, "form": form}, status=400
    )


@require_POST
@role_required(Role.ORG_ADMIN)
def admin_project_end(request, research_project_id: int):
    project = selectors.project_in(_organisation(request), research_project_id)
    services.project_end(actor=request.user, project=project)
    messages.success(request, _("The project is ended: no more exports."))
    return redirect("research_admin:project", research_project_id=project.pk)
