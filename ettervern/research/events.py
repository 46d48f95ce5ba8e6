"""Audit event types of research projects and their exports. None is on a participant's
timeline: research rows name a project, never a participant."""

from ettervern.audit.events import declare

PROJECT_CREATED = declare(
    "research_project_created",
    keys={"programme_ids", "researcher_ids"},
    says="A research project was registered (proposed)",
)
PROJECT_UPDATED = declare(
    "research_project_updated",
    keys={"fields"},
    says="A research project's details were changed (field names)",
)
PROJECT_APPROVED = declare(
    "research_project_approved",
    keys={"approval_reference"},
    says="The org admin approved a research project: row-level exports become possible",
)
PROJECT_ENDED = declare(
    "research_project_ended",
    says="A research project was ended: no more exports",
)
TABLES_VIEWED = declare(
    "research_tables_viewed",
    keys={"filters", "participants"},
    says="A researcher looked at a project's aggregated tables, with filters and group size",
)
EXPORT_MADE = declare(
    "research_export_made",
    keys={"format", "filters", "rows", "columns"},
    says="A researcher downloaded a row-level export of a project, with filters and row count",
)
EXPORT_REFUSED = declare(
    "research_export_refused",
    keys={"reason", "filters"},
    says="A row-level export was refused (project not approved, or too few participants)",
)
