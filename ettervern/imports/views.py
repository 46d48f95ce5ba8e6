"""Moving in from spreadsheets: upload and dry run, then import. Coordinators only."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ettervern.accounts.areas import area_choices
from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.imports import blanks, selectors, services
from ettervern.imports.forms import UploadForm
from ettervern.imports.reading import MAX_BYTES, too_large

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@role_required(Role.COORDINATOR)
def template_xlsx(request):
    programme = programmes_for_role(request.user, Role.COORDINATOR).first()
    areas = dict(area_choices(programme.organisation_id)) if programme else {}
    return _download(blanks.xlsx(areas), "ettervern-import.xlsx", XLSX)


@require_GET
@role_required(Role.COORDINATOR)
def template_csv(request, kind: str):
    name = "ettervern-likepersoner.csv" if kind == "peer" else "ettervern-deltakere.csv"
    return _download(blanks.csv_file(kind), name, "text/csv; charset=utf-8")


def _page(request, form, outcome=None, upload=None, status=200):
    return render(
        request,
        "imports/upload.html",
        {"form": form, "outcome": outcome, "upload": upload},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def upload(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR).order_by("name")
    form = UploadForm(request.POST or None, request.FILES or None, programmes=programmes)
    if request.method == "GET":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    programme = form.cleaned_data["programme"]
    file = form.cleaned_data["file"]
    name = file.name
    if file.size > MAX_BYTES:
        # Refused before it is read into memory.
        content = b""
        outcome = services.refused(too_large())
    else:
        content = file.read()
        outcome = services.import_dry_run(
            actor=request.user, programme=programme, name=name, content=content
        )
    if not outcome.ok:
        form.add_error("file", _("Nothing was imported. Correct the file and upload it again."))
        return _page(request, form, outcome=outcome, status=400)
    try:
        kept = services.upload_keep(
            actor=request.user,
            programme=programme,
            name=name,
            content=content,
            plan=outcome.plan,
            submission_key=form.cleaned_data.get("submission_key"),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, form, status=400)
    return _page(request, UploadForm(programmes=programmes), outcome=outcome, upload=kept)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def upload_detail(request, upload_id: int):
    upload = selectors.get_upload_for_user(request.user, upload_id)
    if upload.imported_at is not None:
        return render(request, "imports/done.html", {"upload": upload})
    if request.method == "GET":
        outcome = services.import_dry_run(
            actor=request.user,
            programme=upload.programme,
            name=upload.file_name,
            content=bytes(upload.content),
        )
        return render(
            request,
            "imports/dry_run.html",
            {"upload": upload, "outcome": outcome},
            status=200 if outcome.ok else 400,
        )
    try:
        outcome = services.import_apply(
            actor=request.user,
            upload=upload,
            site_url=settings.ETTERVERN_SITE_URL or request.build_absolute_uri("/"),
        )
    except ValidationError:
        return redirect("imports:detail", upload_id=upload.pk)
    if not outcome.written:
        return render(
            request, "imports/dry_run.html", {"upload": upload, "outcome": outcome}, status=400
        )
    messages.success(request, _("The file was imported."))
    return redirect("imports:detail", upload_id=upload.pk)
