"""Who may read which programme's report, and the report itself as plain data, built once."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import memberships_of
from ettervern.audit.services import audit_denied
from ettervern.lib.periods import Period
from ettervern.reports import periods
from ettervern.reports.models import Export, Summary
from ettervern.reports.sections import registered


def reportable_programmes(user: User) -> QuerySet[Programme]:
    """Programmes the user coordinates, and every programme of an organisation they administer."""
    held = memberships_of(user)
    coordinated = [m.programme_id for m in held if m.role == Role.COORDINATOR]
    administered = [m.organisation_id for m in held if m.role == Role.ORG_ADMIN]
    return Programme.objects.filter(pk__in=coordinated) | Programme.objects.filter(
        organisation_id__in=administered
    )


def get_programme_for_report(user: User, programme_id: int) -> Programme:
    programme = reportable_programmes(user).filter(pk=programme_id).first()
    if programme is None:
        audit_denied(actor=user, object_type="accounts.programme", object_id=programme_id)
        raise Http404
    return programme


def get_export_for_user(user: User, export_id: int) -> Export:
    """An export is its requester's own, while they may still read the programme's report."""
    export = (
        Export.objects.filter(
            pk=export_id, requested_by=user, programme__in=reportable_programmes(user)
        )
        .select_related("programme")
        .first()
    )
    if export is None:
        audit_denied(actor=user, object_type="reports.export", object_id=export_id)
        raise Http404
    return export


def summary_for(programme: Programme, period: Period) -> Summary | None:
    return Summary.objects.filter(
        programme=programme, period_start=period.start, period_end=period.end
    ).first()


def report_head(programme: Programme, period: Period) -> dict:
    """Everything but the sections: what the report is of, and the coordinator's summary."""
    summary = summary_for(programme, period)
    return {
        "programme": programme.name,
        "programme_id": programme.pk,
        "organisation": programme.organisation.name,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "code": periods.code(period),
        "label": periods.label(period),
        "summary": summary.text if summary else "",
        "generated_at": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
        "sections": [],
    }


def finish(report: dict) -> dict:
    report["has_data"] = any(s["has_data"] for s in report["sections"])
    report["no_data"] = "" if report["has_data"] else _("There is no data for this period.")
    return report


def build_report(*, programme: Programme, period: Period) -> dict:
    """The whole report as plain data: the page, the PDF and the workbook render this."""
    report = report_head(programme, period)
    report["sections"] = [spec.build(programme, period) for spec in registered()]
    return finish(report)
