"""Writes of research: projects (the org admin registers, approves and ends them), research ids,
and the row-level export. Each write is one transaction with its audit row; audit rows carry
ids, codes, filters and counts, never a participant."""

import csv
import datetime as dt
import io
import secrets
import zipfile
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ettervern.accounts.models import Membership, Organisation, Programme, Role, User
from ettervern.accounts.selectors import is_admin_of
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.research import events, selectors
from ettervern.research.columns import COLUMNS, Column, ExportBase
from ettervern.research.models import ResearchId, ResearchProject
from ettervern.research.selectors import Filters, Person
from ettervern.research.suppression import THRESHOLD

Action = AuditEvent.Action
# Research ids: no 0/O or 1/I, ten characters (50 random bits).
ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ID_LENGTH = 10
FORMATS = ("csv", "xlsx")


def _require_admin(actor: User, organisation_id: int) -> None:
    if not is_admin_of(actor, organisation_id):
        raise ValidationError(_("Only the organisation's administrator may do this."))


def _check_scope(
    organisation: Organisation, programmes: list[Programme], researchers: list[Membership]
) -> None:
    if not programmes:
        raise ValidationError(_("Choose at least one programme."))
    if not researchers:
        raise ValidationError(_("Choose at least one responsible researcher."))
    if any(p.organisation_id != organisation.pk for p in programmes):
        raise ValidationError(_("A programme belongs to another organisation."))
    if any(m.organisation_id != organisation.pk or m.role != Role.RESEARCHER for m in researchers):
        raise ValidationError(_("A responsible researcher must have the researcher role here."))


# --- projects -----------------------------------------------------------------------------------


@once_per_submission(ResearchProject)
@transaction.atomic
def project_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    purpose: str,
    approval_reference: str,
    starts_on: dt.date,
    ends_on: dt.date,
    programmes: list[Programme],
    researchers: list[Membership],
) -> ResearchProject:
    _require_admin(actor, organisation.pk)
    if ends_on < starts_on:
        raise ValidationError(_("The project cannot end before it starts."))
    programmes, researchers = list(programmes), list(researchers)
    _check_scope(organisation, programmes, researchers)
    project = ResearchProject.objects.create(
        organisation=organisation,
        title=title,
        purpose=purpose,
        approval_reference=approval_reference.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    project.programmes.set(programmes)
    project.researchers.set(researchers)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=project,
        organisation_id=organisation.pk,
        event=events.PROJECT_CREATED,
        data={
            "programme_ids": sorted(p.pk for p in programmes),
            "researcher_ids": sorted(m.user_id for m in researchers),
        },
    )
    return project


def _locked(project: ResearchProject) -> ResearchProject:
    return ResearchProject.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def project_approve(
    *, actor: User, project: ResearchProject, approval_reference: str = ""
) -> ResearchProject:
    """The org admin approves: row-level exports become possible. Needs an approval reference
    (e.g. the REK number)."""
    _require_admin(actor, project.organisation_id)
    project = _locked(project)
    if project.state != ResearchProject.State.PROPOSED:
        raise ValidationError(_("Only a proposed project can be approved."))
    reference = (approval_reference or project.approval_reference).strip()
    if not reference:
        raise ValidationError(
            _("Write the approval reference (e.g. the REK number) before approving.")
        )
    project.approval_reference = reference
    project.state = ResearchProject.State.APPROVED
    project.approved_at = timezone.now()
    project.approved_by = actor
    project.save(update_fields=["approval_reference", "state", "approved_at", "approved_by"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=project,
        event=events.PROJECT_APPROVED,
        data={"approval_reference": reference[:60]},
    )
    return project


@transaction.atomic
def project_end(*, actor: User, project: ResearchProject) -> ResearchProject:
    _require_admin(actor, project.organisation_id)
    project = _locked(project)
    if project.state == ResearchProject.State.ENDED:
        return project
    project.state = ResearchProject.State.ENDED
    project.ended_at = timezone.now()
    project.save(update_fields=["state", "ended_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=project, event=events.PROJECT_ENDED)
    return project


# --- research ids -------------------------------------------------------------------------------


def _token() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def research_ids(*, project: ResearchProject, participant_ids: list[int]) -> dict[int, str]:
    """The participants' research ids in the project, made (random) for those without one.
    Safe when two exports run at once: the unique constraints decide, and both read the same."""
    wanted = set(participant_ids)
    for _attempt in range(5):
        known = dict(
            ResearchId.objects.filter(project=project, participant_id__in=wanted).values_list(
                "participant_id", "token"
            )
        )
        missing = wanted - set(known)
        if not missing:
            return known
        ResearchId.objects.bulk_create(
            [ResearchId(project=project, participant_id=pk, token=_token()) for pk in missing],
            ignore_conflicts=True,
        )
    raise RuntimeError("could not give every participant a research id")


# --- the row-level export -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    rows: int


def generalise(rows: list[dict], columns: list[Column]) -> None:
    """No combination of the quasi-identifiers (age band, gender) is shared by fewer than the
    threshold: such rows lose the first quasi-identifier (``*``), then the next, until none
    is rare. Changes ``rows`` in place."""
    quasi = [c.code for c in columns if c.quasi_identifier]
    for level in range(len(quasi)):
        combos = Counter(tuple(row[q] for q in quasi) for row in rows)
        rare = [row for row in rows if combos[tuple(row[q] for q in quasi)] < THRESHOLD]
        if not rare:
            return
        for row in rare:
            row[quasi[level]] = "*"


def _rows(base: ExportBase, columns: list[Column]) -> list[dict]:
    values = {c.code: c.values(base) for c in columns}
    rows = [{c.code: values[c.code].get(p.pk, "") for c in columns} for p in base.people]
    generalise(rows, columns)
    # Sorted by the random id: the order tells nothing about when a record was made.
    return sorted(rows, key=lambda row: str(row.get("research_id", "")))


def _cell(value) -> object:
    """A value as written to a file. Text that a spreadsheet would run as a formula (a title
    typed as "=…") gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def codebook(columns: list[Column]) -> list[tuple[str, str, str]]:
    return [(c.code, str(c.label), str(c.coding)) for c in columns]


def _about(project: ResearchProject, filters: Filters, today: dt.date, rows: int) -> list:
    f = filters.for_audit()
    return [
        (_("Project"), project.title),
        (_("Approval reference"), project.approval_reference),
        (_("Exported"), today.isoformat()),
        (_("Rows"), rows),
        (_("Filter: programmes"), ", ".join(map(str, f["programme_ids"])) or _("all")),
        (_("Filter: referred from"), f["period_from"] or ""),
        (_("Filter: referred until"), f["period_to"] or ""),
        (_("Filter: status"), f["status"] or _("all")),
        (
            _("Included"),
            _("Only participants whose research consent was current at the export."),
        ),
    ]


def _csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(v) for v in header])
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def _as_csv(project, filters, today, columns, rows) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.csv",
            _csv_bytes(
                [c.code for c in columns], [[_cell(r[c.code]) for c in columns] for r in rows]
            ),
        )
        archive.writestr(
            "kodebok.csv",
            _csv_bytes([_("column"), _("meaning"), _("coding")], codebook(columns)),
        )
        archive.writestr(
            "om-uttrekket.csv",
            _csv_bytes([_("what"), _("value")], _about(project, filters, today, len(rows))),
        )
    return buffer.getvalue()


def _as_xlsx(project, filters, today, columns, rows) -> bytes:
    book = Workbook()
    data = book.active
    data.title = "data"
    data.append([c.code for c in columns])
    for row in rows:
        data.append([_cell(row[c.code]) for c in columns])
    sheet = book.create_sheet("kodebok")
    sheet.append([_("column"), _("meaning"), _("coding")])
    for entry in codebook(columns):
        sheet.append([_cell(v) for v in entry])
    about = book.create_sheet("om uttrekket")
    for entry in _about(project, filters, today, len(rows)):
        about.append([_cell(v) for v in entry])
    for ws in (data, sheet):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _refuse(actor, project, filters, reason: str, message: str):
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.READ,
            obj=project,
            organisation_id=project.organisation_id,
            event=events.EXPORT_REFUSED,
            data={"reason": reason, "filters": filters.for_audit()},
        )
    raise ValidationError(message)


def export_make(*, actor: User, project: ResearchProject, filters: Filters, fmt: str) -> ExportFile:
    """The row-level export of an approved project: the consenting cohort at this moment,
    pseudonymised, as CSV (a zip with the codebook) or Excel (a codebook sheet). Audited with
    its filters and row count. Refused (and audited) for a project not approved or a cohort
    below the threshold."""
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown file format."))
    if project.pk not in set(selectors.projects_for(actor).values_list("pk", flat=True)):
        raise ValidationError(_("You are not a researcher of this project."))
    now = timezone.now()
    today = timezone.localdate(now)
    if not selectors.export_allowed(project, today):
        _refuse(
            actor,
            project,
            filters,
            "not_approved",
            _("Row-level data can be exported only for an approved project within its period."),
        )
    with transaction.atomic():
        people: list[Person] = selectors.cohort(project, filters, at=now)
        if len(people) < THRESHOLD:
            reason = "too_few"
        else:
            reason = ""
            ids = research_ids(project=project, participant_ids=[p.pk for p in people])
            columns = list(COLUMNS)
            rows = _rows(ExportBase(people=people, today=today, research_ids=ids), columns)
            audit_record(
                actor=actor,
                action=Action.READ,
                obj=project,
                organisation_id=project.organisation_id,
                event=events.EXPORT_MADE,
                data={
                    "format": fmt,
                    "filters": filters.for_audit(),
                    "rows": len(rows),
                    "columns": [c.code for c in columns],
                },
            )
    if reason:
        _refuse(
            actor,
            project,
            filters,
            reason,
            _(
                "Fewer than %(n)s participants match these filters: nothing is exported. "
                "Widen the filters."
            )
            % {"n": THRESHOLD},
        )
    stem = f"forskning-{project.pk}-{today.isoformat()}"
    if fmt == "csv":
        content = _as_csv(project, filters, today, columns, rows)
        return ExportFile(f"{stem}.zip", "application/zip", content, len(rows))
    content = _as_xlsx(project, filters, today, columns, rows)
    return ExportFile(
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content,
        len(rows),
    )


def tables_viewed(
    *, actor: User, project: ResearchProject, filters: Filters, participants: int
) -> None:
    """Audit a look at the aggregated tables (the group size only when it may be shown)."""
    audit_record(
        actor=actor,
        action=Action.READ,
        obj=project,
        organisation_id=project.organisation_id,
        event=events.TABLES_VIEWED,
        data={
            "filters": filters.for_audit(),
            "participants": participants if participants >= THRESHOLD else None,
        },
    )
