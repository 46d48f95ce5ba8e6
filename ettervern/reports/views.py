"""The funder report: the page, the coordinator's summary, PDF and Excel copies made in steps
with their progress shown. Coordinators of the programme and the organisation's admins only."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ettervern.accounts.models import Role
from ettervern.audit.decorators import role_required
from ettervern.lib.periods import Period, month_of
from ettervern.reports import periods, selectors, services
from ettervern.reports import render as copies
from ettervern.reports.forms import ExportForm, PeriodForm, SummaryForm
from ettervern.reports.models import Export

ROLES = (Role.COORDINATOR, Role.ORG_ADMIN)


def _last_month() -> Period:
    return month_of(month_of(timezone.localdate()).start - dt.timedelta(days=1))


def _shortcuts(programme_id: int) -> list[tuple[str, str]]:
    """One tap to the periods most often reported on."""
    today = timezone.localdate()
    this_quarter = periods.quarter(today.year, (today.month - 1) // 3 + 1)
    last_quarter_end = this_quarter.start - dt.timedelta(days=1)
    last_quarter = periods.quarter(last_quarter_end.year, (last_quarter_end.month - 1) // 3 + 1)
    return [
        (_("Last month"), _report_url(programme_id, _last_month())),
        (_("This month"), _report_url(programme_id, month_of(today))),
        (_("Last quarter"), _report_url(programme_id, last_quarter)),
        (_("This year so far"), _report_url(programme_id, periods.year(today.year))),
        (_("Last year"), _report_url(programme_id, periods.year(today.year - 1))),
    ]


def _report_url(programme_id: int, period: Period, **extra) -> str:
    query = urlencode({"periode": periods.code(period), **extra})
    return f"{reverse('reports:report', args=[programme_id])}?{query}"


@require_GET
@role_required(*ROLES)
def index(request):
    programmes = list(selectors.reportable_programmes(request.user).order_by("name"))
    if len(programmes) == 1:
        return redirect(_report_url(programmes[0].pk, _last_month()))
    return render(
        request,
        "reports/index.html",
        {"programmes": programmes, "period": periods.code(_last_month())},
    )


def _period_from(request) -> tuple[Period | None, PeriodForm, list[str]]:
    """The period asked for: the form's fields, or the short code of a link (``periode``).
    Returns the period (None when the input is bad), the form to show and the errors."""
    if "kind" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            return form.cleaned_data["period"], form, []
        errors = [str(e) for e in form.non_field_errors()]
        return None, form, errors or [_("Check the period you chose.")]
    try:
        period = periods.parse(request.GET["periode"]) if "periode" in request.GET else None
    except ValidationError as exc:
        return None, PeriodForm.for_period(_last_month()), list(exc.messages)
    period = period or _last_month()
    return period, PeriodForm.for_period(period), []


@require_GET
@role_required(*ROLES)
def report(request, report_programme_id: int):
    programme = selectors.get_programme_for_report(request.user, report_programme_id)
    period, form, errors = _period_from(request)
    context = {
        "programme": programme,
        "form": form,
        "period_errors": errors,
        "shortcuts": _shortcuts(programme.pk),
    }
    if period is None:
        return render(request, "reports/report.html", context, status=400)
    shared = request.GET.get("delt") == "1"
    data = selectors.build_report(programme=programme, period=period)
    services.report_viewed(actor=request.user, programme=programme, period=period, shared=shared)
    context.update(
        report=copies.shown(data, shared),
        code=periods.code(period),
        summary_form=SummaryForm(initial={"text": data["summary"]}),
        export_form=ExportForm(),
        shared_url=_report_url(programme.pk, period, delt="1"),
        internal_url=_report_url(programme.pk, period),
    )
    return render(request, "reports/report.html", context)


def _posted_period(request) -> Period | None:
    try:
        return periods.parse(request.POST.get("periode", ""))
    except ValidationError:
        return None


@require_POST
@role_required(*ROLES)
def summary_save(request, report_programme_id: int):
    programme = selectors.get_programme_for_report(request.user, report_programme_id)
    period = _posted_period(request)
    form = SummaryForm(request.POST)
    if period is None or not form.is_valid():
        messages.error(request, _("The summary was not saved. Check the period and the text."))
        return redirect(reverse("reports:report", args=[programme.pk]))
    services.summary_save(
        actor=request.user, programme=programme, period=period, text=form.cleaned_data["text"]
    )
    messages.success(request, _("The summary is saved."))
    return redirect(_report_url(programme.pk, period))


@require_POST
@role_required(*ROLES)
def export_create(request, report_programme_id: int):
    programme = selectors.get_programme_for_report(request.user, report_programme_id)
    period = _posted_period(request)
    form = ExportForm(request.POST)
    if period is None or not form.is_valid():
        messages.error(request, _("Choose PDF or Excel and a valid period."))
        return redirect(reverse("reports:report", args=[programme.pk]))
    try:
        export = services.export_create(
            actor=request.user,
            programme=programme,
            period=period,
            format=form.cleaned_data["format"],
            shared=form.cleaned_data["shared"],
            submission_key=form.cleaned_data.get("submission_key"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_report_url(programme.pk, period))
    return redirect("reports:export", report_export_id=export.pk)


@require_GET
@role_required(*ROLES)
def export_detail(request, report_export_id: int):
    export = selectors.get_export_for_user(request.user, report_export_id)
    return render(
        request,
        "reports/export.html",
        {
            "export": export,
            "back": _report_url(
                export.programme_id, Period(export.period_start, export.period_end)
            ),
        },
    )


@require_POST
@role_required(*ROLES)
def export_step(request, report_export_id: int):
    """One step of the export per request; htmx polls this until the file is ready."""
    export = selectors.get_export_for_user(request.user, report_export_id)
    export = services.export_step(export=export)
    if request.htmx:
        return render(request, "reports/_export_progress.html", {"export": export})
    return redirect("reports:export", report_export_id=export.pk)


@require_GET
@role_required(*ROLES)
def export_download(request, report_export_id: int):
    export = selectors.get_export_for_user(request.user, report_export_id)
    if export.status != Export.Status.DONE:
        return redirect("reports:export", report_export_id=export.pk)
    services.export_downloaded(actor=request.user, export=export)
    response = HttpResponse(bytes(export.content), content_type=copies.CONTENT_TYPES[export.format])
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
