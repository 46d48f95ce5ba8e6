"""Moving in from spreadsheets: check a file, try it (the dry run), import it.

The dry run runs the very same writes as the import, through the same services, inside a
transaction that is then rolled back: what it reports is what "Import" will do. A row that a
service refuses becomes a problem of that row; the import writes nothing unless every row
passes, all in one transaction.
"""

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.areas import area_choices
from ettervern.accounts.models import Membership, Programme, Role, User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.imports import columns, events, reading
from ettervern.imports.models import ImportedRecord, ImportUpload, Kind
from ettervern.matching.services import match_create
from ettervern.orgadmin.services import invitation_for_membership
from ettervern.participants.models import Consent, Participant
from ettervern.participants.services import (
    consent_give,
    participant_create,
    participant_end,
    participant_set_status,
)
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load

# The consent was given on paper before the move; its text version is not known here.
CONSENT_TEXT_VERSION = "import"
# Sheets of the template that explain and hold no records.
IGNORED_SHEETS = {"koder", "veiledning", "forklaring"}
# The way from "referred" to a status, through the legal transitions.
STEPS = {
    Participant.Status.REFERRED: [],
    Participant.Status.INTAKE: [Participant.Status.INTAKE],
    Participant.Status.WAITING: [Participant.Status.INTAKE, Participant.Status.WAITING],
    Participant.Status.MATCHED: [Participant.Status.INTAKE, Participant.Status.WAITING],
}


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None
    column: str
    message: str


@dataclass
class Row:
    number: int
    values: dict
    # Imported before (the same external id): left alone.
    skip: bool = False

    @property
    def status_label(self) -> str:
        return str(dict(Participant.Status.choices).get(self.values.get("status"), ""))


@dataclass
class Plan:
    detected: str = ""
    participants: list[Row] = field(default_factory=list)
    peers: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    participant_table: str = columns.PARTICIPANT_SHEET
    peer_table: str = columns.PEER_SHEET

    @property
    def skipped(self) -> int:
        return sum(r.skip for r in self.participants) + sum(r.skip for r in self.peers)


@dataclass
class Outcome:
    plan: Plan
    created: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# --- checking the file ---------------------------------------------------------------------------


def _fold(header: str) -> str:
    return " ".join(header.split()).casefold()


def _kind_of(table: reading.Table) -> str | None:
    name = _fold(table.name)
    if name == _fold(columns.PARTICIPANT_SHEET):
        return Kind.PARTICIPANT
    if name == _fold(columns.PEER_SHEET):
        return Kind.PEER
    headers = {_fold(h) for h in table.headers}
    if {_fold("Kurs fullført"), _fold("Maks deltakere")} & headers:
        return Kind.PEER
    participant_only = {_fold("Samtykke oppfølging"), _fold(columns.PEER_REF), "status"}
    if participant_only & headers:
        return Kind.PARTICIPANT
    return None


def _rows(table: reading.Table, specs: list[columns.Column], problems: list[Problem]) -> list[Row]:
    by_header = {_fold(c.header): c for c in specs}
    positions: dict[int, columns.Column] = {}
    seen: set[str] = set()
    for index, header in enumerate(table.headers):
        if not header:
            continue
        spec = by_header.get(_fold(header))
        if spec is None:
            problems.append(
                Problem(
                    table.name,
                    1,
                    header,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(c.header for c in specs)},
                )
            )
        elif spec.key in seen:
            problems.append(Problem(table.name, 1, header, _("The column appears twice.")))
        else:
            seen.add(spec.key)
            positions[index] = spec
    for spec in specs:
        if spec.required and spec.key not in seen:
            problems.append(Problem(table.name, 1, spec.header, _("The column is missing.")))
    if any(p.row == 1 and p.table == table.name for p in problems):
        return []
    for number, header in table.formulas:
        problems.append(
            Problem(
                table.name,
                number,
                header,
                _(
                    "The cell holds a formula without a calculated value. Open the file in "
                    "Excel, save it and upload it again, or replace the formula with its value."
                ),
            )
        )
    rows = []
    for number, cells in table.rows:
        values = {spec.key: None for spec in specs}
        for index, spec in positions.items():
            raw = cells[index] if index < len(cells) else None
            if raw is None:
                if spec.required:
                    problems.append(
                        Problem(table.name, number, spec.header, _("Fill in this cell."))
                    )
                continue
            try:
                values[spec.key] = spec.parse(raw)
            except columns.CellError as exc:
                problems.append(Problem(table.name, number, spec.header, str(exc)))
        rows.append(Row(number=number, values=values))
    return rows


def _duplicates(table: str, rows: list[Row], key: str, header: str, problems: list[Problem]):
    first: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        folded = value.casefold()
        if folded in first:
            problems.append(
                Problem(
                    table,
                    row.number,
                    header,
                    _("“%(value)s” is also on row %(row)s.")
                    % {"value": value, "row": first[folded]},
                )
            )
        else:
            first[folded] = row.number


def _imported_ids(programme: Programme, kind: str) -> dict[str, int]:
    """Record ids by external id, folded: "d-1" and "D-1 " are the same person, as in the file."""
    return {
        external_id.casefold(): object_id
        for external_id, object_id in ImportedRecord.objects.filter(
            programme=programme, kind=kind
        ).values_list("external_id", "object_id")
    }


def _check_peers(plan: Plan, programme: Programme) -> None:
    table, problems = plan.peer_table, plan.problems
    _duplicates(table, plan.peers, "external_id", columns.EXTERNAL_ID, problems)
    _duplicates(table, plan.peers, "email", "E-post", problems)
    done = _imported_ids(programme, Kind.PEER)
    new = [row for row in plan.peers if row.values["external_id"]]
    for row in new:
        row.skip = row.values["external_id"].casefold() in done
    emails = [r.values["email"] for r in new if r.values["email"] and not r.skip]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    memberships = Membership.objects.filter(user__in=users.values())
    elsewhere = {m.user_id for m in memberships if m.organisation_id != programme.organisation_id}
    roles_here = {m.user_id: m.role for m in memberships if m.programme_id == programme.pk}
    has_profile = set(
        PeerWorker.objects.filter(user__in=users.values(), programme=programme).values_list(
            "user_id", flat=True
        )
    )
    for row in new:
        user = users.get(row.values["email"])
        if row.skip or user is None:
            continue
        if user.pk in elsewhere:
            # Never say that another organisation exists, let alone which.
            message = _("This email address cannot be used. Use another one.")
        elif user.pk in has_profile:
            message = _("This person is already a peer worker in the programme.")
        elif roles_here.get(user.pk, Role.PEER_WORKER) != Role.PEER_WORKER:
            message = _("This login already has another role in the programme.")
        else:
            continue
        problems.append(Problem(table, row.number, "E-post", message))


def _check_participants(plan: Plan, programme: Programme) -> None:
    table, problems = plan.participant_table, plan.problems
    _duplicates(table, plan.participants, "external_id", columns.EXTERNAL_ID, problems)
    done = _imported_ids(programme, Kind.PARTICIPANT)
    peers_done = _imported_ids(programme, Kind.PEER)
    peers_in_file = {
        r.values["external_id"].casefold(): r for r in plan.peers if r.values["external_id"]
    }
    capacity = _capacity(programme, peers_done, peers_in_file)
    for row in plan.participants:
        v = row.values
        if not v["external_id"]:
            continue
        row.skip = v["external_id"].casefold() in done
        if row.skip:
            continue
        status = v["status"] or (
            Participant.Status.MATCHED if v["peer"] else Participant.Status.REFERRED
        )
        v["status"] = status

        def refuse(header: str, message: str, number: int = row.number) -> None:
            problems.append(Problem(table, number, header, message))

        if status == Participant.Status.MATCHED and not v["peer"]:
            refuse(columns.PEER_REF, _("A matched participant needs their peer worker's ID."))
        if v["peer"] and status != Participant.Status.MATCHED:
            refuse("Status", _("A participant with a peer worker must have status “Matched”."))
        if v["matched_on"] and not v["peer"]:
            refuse("Koblet fra", _("A start date needs a peer worker."))
        if v["consent"] is False and status in (
            Participant.Status.WAITING,
            Participant.Status.MATCHED,
        ):
            refuse(
                "Samtykke oppfølging",
                _("Waiting or matched participants must have consented to follow-up."),
            )
        if v["referred_on"] and v["matched_on"] and v["matched_on"] < v["referred_on"]:
            refuse("Koblet fra", _("The match cannot start before the referral date."))
        if not v["peer"]:
            continue
        key = v["peer"].casefold()
        if key not in capacity:
            refuse(
                columns.PEER_REF,
                _("No peer worker with the ID “%(id)s” in the file or imported before.")
                % {"id": v["peer"]},
            )
            continue
        capacity[key] -= 1
        if capacity[key] < 0:
            refuse(
                columns.PEER_REF, _("The peer worker has no free capacity for this participant.")
            )


def _capacity(
    programme: Programme, peers_done: dict[str, int], peers_in_file: dict[str, Row]
) -> dict[str, int]:
    """Free slots per peer worker's external id (folded): imported before, or in the file."""
    free: dict[str, int] = {}
    loaded = {
        p.pk: p.max_participants - p.load
        for p in peers_with_load(PeerWorker.objects.filter(pk__in=peers_done.values()))
    }
    for external_id, peer_id in peers_done.items():
        if peer_id in loaded:
            free[external_id] = loaded[peer_id]
    for key, row in peers_in_file.items():
        if not row.skip:
            free[key] = row.values["max_participants"] or 2
    return free


def _resolve_areas(plan: Plan, programme: Programme) -> None:
    """Area cells become the codes of the organisation's areas in use, or a problem each."""
    rows = [(plan.participant_table, r) for r in plan.participants]
    rows += [(plan.peer_table, r) for r in plan.peers]
    if not any(r.values.get("area") for _, r in rows):
        return
    parse = columns.area_codes(dict(area_choices(programme.organisation_id)))
    for table, row in rows:
        if row.values.get("area"):
            try:
                row.values["area"] = parse(row.values["area"])
            except columns.CellError as exc:
                row.values["area"] = None
                plan.problems.append(Problem(table, row.number, columns.AREA, str(exc)))


def import_check(*, programme: Programme, name: str, content: bytes) -> Plan:
    """Read and check a file without writing anything."""
    plan = Plan()
    try:
        workbook = reading.read(name, content)
    except reading.FileProblem as exc:
        plan.problems.append(Problem("", None, "", str(exc)))
        return plan
    plan.detected = workbook.detected
    seen: set[str] = set()
    for table in workbook.tables:
        if _fold(table.name) in IGNORED_SHEETS:
            continue
        kind = _kind_of(table)
        if kind is None:
            plan.problems.append(
                Problem(
                    table.name,
                    1,
                    "",
                    _(
                        "Cannot tell whether the sheet lists participants or peer workers. "
                        "Use the template's headers."
                    ),
                )
            )
            continue
        if kind in seen:
            plan.problems.append(
                Problem(table.name, None, "", _("The file has two sheets of the same kind."))
            )
            continue
        seen.add(kind)
        if kind == Kind.PEER:
            plan.peer_table = table.name
            plan.peers = _rows(table, columns.PEER_COLUMNS, plan.problems)
        else:
            plan.participant_table = table.name
            plan.participants = _rows(table, columns.PARTICIPANT_COLUMNS, plan.problems)
    _resolve_areas(plan, programme)
    if not plan.problems and not plan.participants and not plan.peers:
        plan.problems.append(Problem("", None, "", _("The file has no rows to import.")))
    if not any(p.row in (None, 1) for p in plan.problems):
        # Across rows, also when some cells are wrong: every problem is shown at once.
        _check_peers(plan, programme)
        _check_participants(plan, programme)
    plan.problems.sort(key=lambda p: (p.table, p.row or 0))
    return plan


# --- writing -------------------------------------------------------------------------------------


def _record(programme: Programme, upload, kind: str, external_id: str, obj) -> None:
    ImportedRecord.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        kind=kind,
        external_id=external_id,
        object_id=obj.pk,
        upload=upload,
    )


def _peer_create(*, actor: User, programme: Programme, row: Row, upload) -> PeerWorker:
    """A peer worker with a login that has no password: the import invites them by e-mail to
    choose one, once the whole file is written."""
    v = row.values
    user = User.objects.filter(email=v["email"]).first()
    if user is None:
        user = User(email=v["email"], name=v["name"])
        user.set_unusable_password()
        user.save()
    if not Membership.objects.filter(user=user, programme=programme).exists():
        Membership.objects.create(
            user=user,
            organisation_id=programme.organisation_id,
            programme=programme,
            role=Role.PEER_WORKER,
        )
    peer = PeerWorker.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        user=user,
        gender=v["gender"] or "",
        birth_year=v["birth_year"],
        course_completed_on=v["course_completed_on"],
        max_participants=v["max_participants"] or 2,
        area=v["area"] or "",
        lived_experience=v["lived_experience"] or [],
        substances=v["substances"] or [],
        treatment_paths=v["treatment_paths"] or [],
        languages=v["languages"] or [],
        interests=v["interests"] or [],
        resource_status=PeerWorker.ResourceStatus.ACTIVE,
    )
    _record(programme, upload, Kind.PEER, v["external_id"], peer)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=peer,
        summary="imported",
        event=events.IMPORT_PEER,
        data={"upload_id": getattr(upload, "pk", None), "row": row.number, "user_id": user.pk},
    )
    return peer


def _participant_create(
    *, actor: User, programme: Programme, row: Row, upload, peers: dict[str, PeerWorker]
) -> Counter:
    v = row.values
    referred_at = None
    if v["referred_on"]:
        referred_at = timezone.make_aware(dt.datetime.combine(v["referred_on"], dt.time(12)))
    participant = participant_create(
        actor=actor,
        programme=programme,
        name=v["name"],
        referred_at=referred_at,
        birth_year=v["birth_year"],
        gender=v["gender"] or "",
        phone=v["phone"] or "",
        email=v["email"] or "",
        area=v["area"] or "",
        languages=v["languages"] or [],
        lived_experience=v["lived_experience"] or [],
        substances=v["substances"] or [],
        treatment_paths=v["treatment_paths"] or [],
        interests=v["interests"] or [],
    )
    _record(programme, upload, Kind.PARTICIPANT, v["external_id"], participant)
    upload_id = getattr(upload, "pk", None)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=participant,
        summary="imported",
        event=events.IMPORT_PARTICIPANT,
        data={"upload_id": upload_id, "row": row.number},
    )
    made = Counter(participant=1)
    if v["consent"]:
        consent_give(
            actor=actor,
            participant=participant,
            purpose=Consent.Purpose.FOLLOW_UP,
            method=Consent.Method.WRITTEN,
            text_version=CONSENT_TEXT_VERSION,
        )
        made["consent"] += 1
    status = v["status"]
    if status == Participant.Status.ENDED:
        participant_end(
            actor=actor,
            participant=participant,
            end_reason="other",
            summary=_("Ended before the move to Ettervern."),
        )
        return made
    for step in STEPS[status]:
        participant_set_status(actor=actor, participant=participant, to=step)
    if status == Participant.Status.MATCHED:
        peer = peers[v["peer"].casefold()]
        match = match_create(
            actor=actor, participant=participant, peer=peer, started_on=v["matched_on"]
        )
        _record(programme, upload, Kind.MATCH, v["external_id"], match)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=match,
            summary="imported",
            event=events.IMPORT_MATCH,
            data={"upload_id": upload_id, "row": row.number, "peer_id": peer.pk},
        )
        made["match"] += 1
    return made


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _run(*, actor: User, programme: Programme, plan: Plan, upload) -> Outcome:
    """Write every row, each in a savepoint so that every refused row is reported."""
    outcome = Outcome(plan=plan)
    done = _imported_ids(programme, Kind.PEER)
    stored = PeerWorker.objects.filter(programme=programme, pk__in=done.values()).in_bulk()
    peers = {key: stored[pk] for key, pk in done.items() if pk in stored}
    for table, rows, kind in (
        (plan.peer_table, plan.peers, Kind.PEER),
        (plan.participant_table, plan.participants, Kind.PARTICIPANT),
    ):
        for row in rows:
            if row.skip:
                continue
            try:
                with transaction.atomic():
                    if kind == Kind.PEER:
                        peer = _peer_create(
                            actor=actor, programme=programme, row=row, upload=upload
                        )
                        peers[row.values["external_id"].casefold()] = peer
                        outcome.created["peer"] += 1
                    else:
                        outcome.created += _participant_create(
                            actor=actor, programme=programme, row=row, upload=upload, peers=peers
                        )
            except ValidationError as exc:
                outcome.problems.append(Problem(table, row.number, "", _messages(exc)))
            except IntegrityError:
                outcome.problems.append(
                    Problem(
                        table,
                        row.number,
                        columns.EXTERNAL_ID,
                        _("The row was imported at the same moment by someone else."),
                    )
                )
    return outcome


def refused(message: str) -> Outcome:
    """The outcome for a file refused before it was read."""
    problem = Problem("", None, "", message)
    return Outcome(plan=Plan(problems=[problem]), problems=[problem])


def import_dry_run(*, actor: User, programme: Programme, name: str, content: bytes) -> Outcome:
    """Check the file and try every write, then roll all of it back."""
    plan = import_check(programme=programme, name=name, content=content)
    if plan.problems:
        return Outcome(plan=plan, problems=list(plan.problems))
    with transaction.atomic():
        outcome = _run(actor=actor, programme=programme, plan=plan, upload=None)
        transaction.set_rollback(True)
    return outcome


@once_per_submission(ImportUpload)
@transaction.atomic
def upload_keep(*, actor: User, programme: Programme, name: str, content: bytes, plan: Plan):
    """Keep a file that passed the dry run until the coordinator presses "Import".

    Files of the programme left without an import for a day are deleted here: they hold
    personal data nobody is going to use."""
    ImportUpload.objects.filter(
        programme=programme,
        imported_at__isnull=True,
        created_at__lt=timezone.now() - dt.timedelta(days=1),
    ).delete()
    upload = ImportUpload.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        file_name=name[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=upload,
        summary="uploaded",
        event=events.IMPORT_UPLOADED,
        data={
            "upload_id": upload.pk,
            "participants": len(plan.participants),
            "peers": len(plan.peers),
        },
    )
    return upload


def _invite_new_peers(*, actor: User, upload: ImportUpload, site_url: str) -> int:
    """Everyone who got a login by this import is invited by e-mail to choose a password."""
    peer_ids = ImportedRecord.objects.filter(upload=upload, kind=Kind.PEER).values("object_id")
    memberships = Membership.objects.filter(
        role=Role.PEER_WORKER,
        programme=upload.programme,
        user__peer_profiles__pk__in=peer_ids,
    ).select_related("user", "programme")
    return sum(
        1
        for membership in memberships
        if invitation_for_membership(actor=actor, membership=membership, site_url=site_url)
    )


def import_apply(*, actor: User, upload: ImportUpload, site_url: str = "") -> Outcome:
    """Import a kept file: everything in one transaction, or nothing. New logins are invited."""
    with transaction.atomic():
        upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.imported_at is not None:
            raise ValidationError(_("This file has already been imported."))
        programme = upload.programme
        plan = import_check(
            programme=programme, name=upload.file_name, content=bytes(upload.content)
        )
        if plan.problems:
            return Outcome(plan=plan, problems=list(plan.problems))
        outcome = _run(actor=actor, programme=programme, plan=plan, upload=upload)
        if outcome.problems:
            transaction.set_rollback(True)
            return outcome
        _invite_new_peers(actor=actor, upload=upload, site_url=site_url)
        upload.imported_at = timezone.now()
        upload.created = dict(outcome.created)
        upload.skipped = plan.skipped
        upload.content = b""
        upload.save(update_fields=["imported_at", "created", "skipped", "content"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=upload,
            summary="imported",
            event=events.IMPORT_FINISHED,
            data={
                "upload_id": upload.pk,
                "participants": outcome.created["participant"],
                "peers": outcome.created["peer"],
                "matches": outcome.created["match"],
                "skipped": plan.skipped,
            },
        )
        outcome.written = True
    return outcome
