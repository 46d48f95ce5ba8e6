"""The directory as a spreadsheet: export it, and import it back (or from another list).

The import checks every row first (the dry run) and writes nothing unless every row passes;
then all rows are written in one transaction through the same create/update code as the
pages, each with its audit row. A row with an ID (from an export) updates that offer; a row
without one updates the offer with the same name and provider, or adds a new one, so the same
file imported twice changes nothing the second time.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ettervern.accounts.areas import areas_of
from ettervern.accounts.models import Organisation, User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.imports import reading
from ettervern.offers import events
from ettervern.offers.models import Category, Offer
from ettervern.offers.services import _create, _update, check_editor, clean_offer

# The file's columns: (key, header). The headers are the file format, in Norwegian.
COLUMNS = [
    ("id", "ID"),
    ("name", "Navn"),
    ("provider", "Tilbyder"),
    ("category", "Kategori"),
    ("target_group", "Målgruppe"),
    ("area", "Område"),
    ("address", "Adresse"),
    ("opening_hours", "Åpningstider"),
    ("price", "Pris"),
    ("contact", "Kontakt"),
    ("checked_on", "Sist kontrollert"),
]
REQUIRED = ("name", "provider", "category")
SHEET = "Tilbud"
EARLIEST_CHECK = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _fold(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _category_codes() -> dict[str, str]:
    codes = {}
    for language in ("nb", "en"):
        with translation.override(language):
            for code, name in Category.choices:
                codes[_fold(name)] = code
    codes.update({_fold(c): c for c in Category.values})
    return codes


def _area_codes(organisation_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """(folded name or code -> code, code -> name) of the organisation's areas."""
    lookup, names = {}, {}
    for area in areas_of(organisation_id):
        names[area.code] = area.name
        lookup[_fold(area.name)] = area.code
        lookup[_fold(area.code)] = area.code
    return lookup, names


# --- export ---------------------------------------------------------------------------------------


def export_xlsx(*, actor: User, organisation: Organisation) -> bytes:
    """The organisation's own directory (not partners'), as an .xlsx that imports back."""
    check_editor(actor, organisation.pk)
    _lookup, area_names = _area_codes(organisation.pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([header for _key, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    offers = Offer.objects.filter(organisation=organisation, is_active=True).order_by("name", "pk")
    count = 0
    with translation.override("nb"):
        for offer in offers:
            sheet.append(
                [
                    offer.pk,
                    offer.name,
                    offer.provider,
                    str(offer.get_category_display()),
                    offer.target_group,
                    area_names.get(offer.area, offer.area),
                    offer.address,
                    offer.opening_hours,
                    offer.price,
                    offer.contact,
                    offer.checked_on,
                ]
            )
            sheet.cell(row=sheet.max_row, column=len(COLUMNS)).number_format = "DD.MM.YYYY"
            count += 1
    for column, width in zip(
        "ABCDEFGHIJK", (8, 30, 30, 22, 30, 18, 30, 24, 14, 30, 16), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.READ,
        object_type="offers.directory",
        object_id=organisation.pk,
        organisation_id=organisation.pk,
        event=events.OFFERS_EXPORTED,
        data={"rows": count},
    )
    return buffer.getvalue()


# --- import ---------------------------------------------------------------------------------------


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for parse in (
        lambda t: dt.datetime.strptime(t, "%d.%m.%Y").date(),
        lambda t: dt.date.fromisoformat(t[:10]),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class _Row:
    number: int
    values: dict
    checked_on: dt.date | None
    offer: Offer | None


def _plan(organisation: Organisation, table: reading.Table, outcome: Outcome) -> list[_Row]:
    by_header = {_fold(h): key for key, h in COLUMNS}
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        key = by_header.get(_fold(header))
        if key is None:
            outcome.problems.append(
                Problem(
                    1,
                    header,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(h for _k, h in COLUMNS)},
                )
            )
        elif key in positions:
            outcome.problems.append(Problem(1, header, _("The column appears twice.")))
        else:
            positions[key] = index
    for key in REQUIRED:
        if key not in positions:
            outcome.problems.append(Problem(1, dict(COLUMNS)[key], _("The column is missing.")))
    if outcome.problems:
        return []

    categories = _category_codes()
    area_lookup, _names = _area_codes(organisation.pk)
    existing = {
        o.pk: o for o in Offer.objects.filter(organisation=organisation).select_for_update()
    }
    by_name = {(_fold(o.name), _fold(o.provider)): o for o in existing.values()}
    today = timezone.localdate()
    seen_ids: dict[int, int] = {}
    seen_names: dict[tuple, int] = {}
    rows = []
    for number, cells in table.rows:
        outcome.rows += 1

        def cell(key, cells=cells):
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        flagged: set[str] = set()

        def problem(column_key: str, message: str, number=number, flagged=flagged) -> None:
            flagged.add(column_key)
            outcome.problems.append(Problem(number, dict(COLUMNS)[column_key], message))

        before = len(outcome.problems)
        raw = {key: cell(key) for key in positions}
        values = {k: raw.get(k) for k in ("name", "provider", "target_group", "address")}
        values.update({k: raw.get(k) for k in ("opening_hours", "price", "contact")})
        category = raw.get("category")
        values["category"] = categories.get(_fold(category), "") if category is not None else ""
        if category is not None and not values["category"]:
            problem(
                "category",
                _("Unknown category “%(value)s”. Use one of: %(choices)s.")
                % {
                    "value": str(category)[:60],
                    "choices": ", ".join(str(label) for _c, label in Category.choices),
                },
            )
        area = raw.get("area")
        values["area"] = area_lookup.get(_fold(area), "") if area is not None else ""
        if area is not None and not values["area"]:
            problem(
                "area",
                _(
                    "Unknown area “%(value)s”. Use one of the organisation's areas, or leave it "
                    "empty for the whole city."
                )
                % {"value": str(area)[:60]},
            )
        offer = None
        ident = raw.get("id")
        if ident is not None:
            text = str(ident).strip().removesuffix(".0")
            offer = existing.get(int(text)) if text.isdigit() and len(text) < 19 else None
            if offer is None:
                problem(
                    "id",
                    _(
                        "No offer in the directory has the ID “%(value)s”. Leave the ID empty "
                        "for a new offer."
                    )
                    % {"value": str(ident)[:30]},
                )
            elif offer.pk in seen_ids:
                problem(
                    "id",
                    _("The same ID as in row %(row)s.") % {"row": seen_ids[offer.pk]},
                )
            else:
                seen_ids[offer.pk] = number
        checked_on = None
        if raw.get("checked_on") is not None:
            try:
                checked_on = _date(raw["checked_on"])
            except ValueError:
                problem("checked_on", _("Write the date as dd.mm.yyyy, e.g. 01.03.2026."))
            else:
                if checked_on > today or checked_on < EARLIEST_CHECK:
                    problem(
                        "checked_on",
                        _("The date must be between %(first)s and today.")
                        % {"first": EARLIEST_CHECK.strftime("%d.%m.%Y")},
                    )
                    checked_on = None
        try:
            values = clean_offer(organisation.pk, values, current_area=offer.area if offer else "")
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                if key in flagged:
                    # Already said more precisely above.
                    continue
                for message in messages:
                    problem(key if key in dict(COLUMNS) else "name", message)
        if len(outcome.problems) > before:
            continue
        name_key = (_fold(values["name"]), _fold(values["provider"]))
        if name_key in seen_names:
            problem(
                "name",
                _("The same offer (name and provider) as in row %(row)s.")
                % {"row": seen_names[name_key]},
            )
            continue
        seen_names[name_key] = number
        if offer is None:
            offer = by_name.get(name_key)
            if offer is not None and offer.pk in seen_ids:
                problem(
                    "name",
                    _("The same offer as the ID in row %(row)s.") % {"row": seen_ids[offer.pk]},
                )
                continue
        rows.append(_Row(number, values, checked_on, offer))
    return rows


def _table(name: str, content: bytes, outcome: Outcome) -> reading.Table | None:
    try:
        workbook = reading.read(name, content)
    except reading.FileProblem as exc:
        outcome.problems.append(Problem(None, "", str(exc)))
        return None
    tables = [t for t in workbook.tables if _fold(t.name) == _fold(SHEET)] or workbook.tables[:1]
    table = tables[0]
    for number, header in table.formulas:
        outcome.problems.append(
            Problem(
                number,
                header,
                _(
                    "A formula without a calculated value. Open the file in "
                    "Excel, save it, and upload it again."
                ),
            )
        )
    return table


@transaction.atomic
def directory_import(
    *, actor: User, organisation: Organisation, name: str, content: bytes, dry_run: bool
) -> Outcome:
    """Check every row; unless ``dry_run`` and only if every row passed, write them all."""
    check_editor(actor, organisation.pk)
    # One import at a time per organisation (the name-and-provider match must see the last).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    outcome = Outcome()
    table = _table(name, content, outcome)
    if table is None:
        return outcome
    rows = _plan(organisation, table, outcome)
    if not outcome.ok:
        return outcome
    for row in rows:
        if row.offer is None:
            outcome.created += 1
        elif row.offer and _differs(row):
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    if dry_run:
        return outcome
    for row in rows:
        if row.offer is None:
            _create(
                actor=actor,
                organisation=organisation,
                values=row.values,
                checked_on=row.checked_on,
                imported=True,
            )
        else:
            _update(
                actor=actor,
                offer=row.offer,
                values=row.values,
                checked_on=row.checked_on,
                imported=True,
            )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="offers.directory",
        object_id=organisation.pk,
        organisation_id=organisation.pk,
        event=events.OFFERS_IMPORTED,
        data={"created": outcome.created, "updated": outcome.updated, "rows": outcome.rows},
    )
    outcome.written = True
    return outcome


def _differs(row: _Row) -> bool:
    offer = row.offer
    if any(getattr(offer, f) != v for f, v in row.values.items()):
        return True
    return row.checked_on is not None and row.checked_on != offer.checked_on
