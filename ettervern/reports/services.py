"""Writes of the funder report: the coordinator's summary, export jobs and their steps."""

import logging

from django.db import transaction
from django.utils import timezone

from ettervern.accounts.models import Programme, User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.lib.periods import Period
from ettervern.reports import events, render
from ettervern.reports.models import Export, Summary
from ettervern.reports.sections import SECTIONS, registered
from ettervern.reports.selectors import finish, report_head

log = logging.getLogger(__name__)


def _period_data(period: Period) -> dict:
    return {"period_start": period.start.isoformat(), "period_end": period.end.isoformat()}


@transaction.atomic
def summary_save(*, actor: User, programme: Programme, period: Period, text: str) -> Summary:
    """Write (or rewrite) the summary of one programme and period. Saving the same text twice
    leaves one row: the period is the key."""
    summary, _created = Summary.objects.select_for_update().get_or_create(
        programme=programme,
        period_start=period.start,
        period_end=period.end,
        defaults={"organisation_id": programme.organisation_id, "updated_by": actor},
    )
    summary.text = text.strip()
    summary.updated_by = actor
    summary.save(update_fields=["text", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=summary,
        summary="report summary saved",
        event=events.REPORT_SUMMARY_SAVED,
        data=_period_data(period),
    )
    return summary


def report_viewed(*, actor: User, programme: Programme, period: Period, shared: bool) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.READ,
        obj=programme,
        organisation_id=programme.organisation_id,
        programme_id=programme.pk,
        summary="report viewed",
        event=events.REPORT_VIEWED,
        data={**_period_data(period), "shared": shared},
    )


def _export_data(export: Export) -> dict:
    return {
        "period_start": export.period_start.isoformat(),
        "period_end": export.period_end.isoformat(),
        "format": export.format,
        "shared": export.shared,
        "export_id": export.pk,
    }


@once_per_submission(Export)
@transaction.atomic
def export_create(
    *, actor: User, programme: Programme, period: Period, format: str, shared: bool
) -> Export:
    """A new export job: one step per section, then one to write the file."""
    export = Export.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        requested_by=actor,
        period_start=period.start,
        period_end=period.end,
        format=format,
        shared=shared,
        steps_total=len(SECTIONS) + 1,
        data=report_head(programme, period),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=export,
        summary="report export requested",
        event=events.REPORT_EXPORT_REQUESTED,
        data=_export_data(export),
    )
    return export


@transaction.atomic
def export_step(*, export: Export) -> Export:
    """Do the next step of an export (one section, or writing the file) and record progress.

    Each step is short, so the page that polls for progress never waits long; two polls at
    once do not do a step twice (the row is locked)."""
    export = Export.objects.select_for_update().select_related("programme").get(pk=export.pk)
    if export.status != Export.Status.WORKING:
        return export
    specs = registered()
    period = Period(export.period_start, export.period_end)
    data = export.data
    done = len(data["sections"])
    try:
        if done < len(specs):
            data["sections"].append(specs[done].build(export.programme, period))
        else:
            export.content = render.file(finish(data), export.format, export.shared)
            export.status = Export.Status.DONE
            export.finished_at = timezone.now()
    except Exception:
        log.exception("report export %s failed", export.pk)
        export.status = Export.Status.FAILED
    export.steps_done = len(data["sections"]) + (export.status == Export.Status.DONE)
    export.data = data
    export.save()
    return export


def export_run(*, export: Export) -> Export:
    """Every remaining step at once (the console command)."""
    while export.status == Export.Status.WORKING:
        export = export_step(export=export)
    return export


def report_written(*, programme: Programme, period: Period, format: str, shared: bool) -> None:
    """The console command wrote a copy (for cron): audited like a download, without a user."""
    audit_record(
        actor=None,
        action=AuditEvent.Action.READ,
        obj=programme,
        organisation_id=programme.organisation_id,
        programme_id=programme.pk,
        summary="report written by the console command",
        event=events.REPORT_DOWNLOADED,
        data={**_period_data(period), "format": format, "shared": shared, "export_id": None},
    )


def export_downloaded(*, actor: User | None, export: Export) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.READ,
        obj=export,
        summary="report downloaded",
        event=events.REPORT_DOWNLOADED,
        data=_export_data(export),
    )
