"""From an uploaded file's bytes to tables of raw cell values: .xlsx through openpyxl, .csv
decoded as UTF-8 (with or without BOM), then Windows-1252 or Latin-1.

Every refusal is a ``FileProblem`` with a message in the user's language; nothing here writes.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 5 * 1024 * 1024
# Every row goes through the services (about 20 ms a row here, see benchmarks/import_speed.py):
# 1 000 rows keep the dry run and the import each well inside a web request's timeout. A
# larger register is imported in parts; the external ids make that safe.
MAX_ROWS = 1000
XLSX_SIGNATURE = b"PK\x03\x04"
# Signs of UTF-8 read as Windows-1252 somewhere before (æ, ø, å, Æ, Ø, Å).
MOJIBAKE = ("Ã¦", "Ã¸", "Ã¥", "Ã†", "Ã˜", "Ã…")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class Table:
    """One sheet (or one CSV file): its headers and its data rows, numbered as in the file."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    # Cells holding a formula without a stored result: (row number, header).
    formulas: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Workbook:
    tables: list[Table]
    # How the file was read, for the dry run page ("Excel", "UTF-8", "Windows-1252" …).
    detected: str


def too_large() -> str:
    return _("The file is larger than %(mb)s MB. Split it into several files.") % {
        "mb": MAX_BYTES // (1024 * 1024)
    }


def read(name: str, content: bytes) -> Workbook:
    if not content:
        raise FileProblem(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileProblem(too_large())
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if content.startswith(XLSX_SIGNATURE):
            return _read_xlsx(content)
        return _read_csv(content)
    raise FileProblem(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))


def _text(value) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_xlsx(content: bytes) -> Workbook:
    if not content.startswith(XLSX_SIGNATURE):
        raise FileProblem(
            _(
                "The file is not an Excel workbook (.xlsx), although its name says so. "
                "Save it from Excel as “Excel Workbook (.xlsx)”."
            )
        )
    try:
        # Twice: the stored results of formulas, and the formulas themselves (a formula that
        # was never calculated has no stored result, and must not be read as an empty cell).
        values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileProblem(
            _("The file could not be read as an Excel workbook (.xlsx). Is it damaged?")
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on a hostile file
        raise FileProblem(
            _("The file could not be read as an Excel workbook (.xlsx). Is it damaged?")
        ) from exc
    tables = []
    try:
        for sheet in values.worksheets:
            table = _sheet_table(sheet, formulas[sheet.title])
            if table is not None:
                tables.append(table)
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem(
            _("The file could not be read as an Excel workbook (.xlsx). Is it damaged?")
        ) from exc
    finally:
        values.close()
        formulas.close()
    if not tables:
        raise FileProblem(_("The file is empty."))
    return Workbook(tables=tables, detected="Excel (.xlsx)")


def _sheet_table(sheet, formula_sheet) -> Table | None:
    rows = sheet.iter_rows(values_only=True)
    formula_rows = formula_sheet.iter_rows(values_only=True)
    header_row = None
    for header_row in rows:
        next(formula_rows, None)
        if any(_text(v) is not None for v in header_row):
            break
    else:
        return None
    headers = [str(_text(v) or "") for v in header_row]
    table = Table(name=sheet.title, headers=headers)
    number = 1
    for cells, raw in zip(rows, formula_rows, strict=False):
        number += 1
        cells = [_text(v) for v in cells]
        if not any(v is not None for v in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise _too_many_rows()
        for index, (value, formula) in enumerate(zip(cells, raw, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                header = headers[index] if index < len(headers) else ""
                table.formulas.append((number, header))
        table.rows.append((number, cells))
    return table


def _too_many_rows() -> FileProblem:
    return FileProblem(
        _("The file has more than %(max)s rows. Split it into several files.")
        % {"max": f"{MAX_ROWS:,}".replace(",", " ")}
    )


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "UTF-16"
    if b"\x00" in content:
        raise FileProblem(_("The file is not a text file. Save it as CSV (UTF-8)."))
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "Latin-1 (ISO-8859-1)"


def _read_csv(content: bytes) -> Workbook:
    try:
        text, detected = _decode(content)
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("The file's characters could not be read. Save it as CSV (UTF-8).")
        ) from exc
    if any(sign in text for sign in MOJIBAKE):
        raise FileProblem(
            _(
                "The letters æ, ø and å are garbled in the file (read as %(encoding)s): it was "
                "converted wrongly before. Save it from Excel again as “CSV UTF-8”."
            )
            % {"encoding": detected}
        )
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise FileProblem(_("The file is empty."))
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = None
    try:
        for number, cells in enumerate(reader, start=1):
            cells = [_text(v) for v in cells]
            if not any(v is not None for v in cells):
                continue
            if table is None:
                table = Table(name="CSV", headers=[str(v or "") for v in cells])
                continue
            if len(table.rows) >= MAX_ROWS:
                raise _too_many_rows()
            table.rows.append((number, cells))
    except csv.Error as exc:
        raise FileProblem(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc
    if table is None:
        raise FileProblem(_("The file is empty."))
    return Workbook(tables=[table], detected=detected)
