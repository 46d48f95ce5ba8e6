"""Audit event types of the funder report. Data: the programme's period and format, never text."""

from ettervern.audit.events import declare

PERIOD = {"period_start", "period_end"}

REPORT_VIEWED = declare(
    "report_viewed",
    keys=PERIOD | {"shared"},
    says="A coordinator or admin read a programme's report for a period",
)
REPORT_SUMMARY_SAVED = declare(
    "report_summary_saved",
    keys=PERIOD,
    says="The coordinator's summary of a report period was saved (the text is not logged)",
)
REPORT_EXPORT_REQUESTED = declare(
    "report_export_requested",
    keys=PERIOD | {"format", "shared", "export_id"},
    says="A PDF or Excel copy of a report was asked for",
)
REPORT_DOWNLOADED = declare(
    "report_downloaded",
    keys=PERIOD | {"format", "shared", "export_id"},
    says="A PDF or Excel copy of a report was downloaded (or written by the console command)",
)
