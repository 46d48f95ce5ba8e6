"""Spreadsheets built in memory for the tests and the benchmark."""

import csv
import datetime as dt
import io

from openpyxl import Workbook

from ettervern.imports import columns


def participant_row(n: int, *, peer: str | None = None, **cells) -> dict:
    row = {
        "Ekstern ID": f"D-{n:04d}",
        "Navn": f"Deltaker {n}",
        "Fødselsår": 1960 + n % 40,
        "Kjønn": ["Kvinne", "Mann", "male"][n % 3],
        "Telefon": f"9{n:07d}",
        "Bydel": ["Årstad", "fana", "Bergenhus"][n % 3],
        "Status": ["Henvist", "Venter", "waiting"][n % 3],
        "Henvist dato": dt.date(2024, 1, 1) + dt.timedelta(days=n % 200),
        "Samtykke oppfølging": "ja",
        "Rusmidler": "Alkohol, cannabis",
        "Språk": "Norsk",
    }
    if peer:
        row.update(
            {"Status": "Koblet", "Likeperson (ekstern ID)": peer, "Koblet fra": "01.09.2024"}
        )
    row.update(cells)
    return row


def peer_row(n: int, **cells) -> dict:
    row = {
        "Ekstern ID": f"L-{n:03d}",
        "Navn": f"Likeperson {n}",
        "E-post": f"likeperson{n}@import.test",
        "Kjønn": ["Kvinne", "Mann"][n % 2],
        "Fødselsår": 1970 + n,
        "Kurs fullført": "2023-06-10",
        "Maks deltakere": 3,
        "Språk": "Norsk, engelsk",
        "Interesser": "Fjelltur, fiske",
    }
    row.update(cells)
    return row


def people(participants: int = 200, peers: int = 20, matches: int = 30):
    """``participants`` rows, of which the first ``matches`` are matched to the ``peers``."""
    peer_rows = [peer_row(n) for n in range(1, peers + 1)]
    rows = [
        participant_row(n, peer=f"L-{(n % peers) + 1:03d}" if n <= matches else None)
        for n in range(1, participants + 1)
    ]
    return rows, peer_rows


def xlsx(participants: list[dict], peers: list[dict] | None = None) -> bytes:
    book = Workbook()
    sheets = [(columns.PARTICIPANT_SHEET, columns.PARTICIPANT_COLUMNS, participants)]
    if peers is not None:
        sheets.append((columns.PEER_SHEET, columns.PEER_COLUMNS, peers))
    for index, (name, specs, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        headers = [c.header for c in specs]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[dict], specs=columns.PARTICIPANT_COLUMNS, delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    headers = [c.header for c in specs]
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else ("" if v is None else v)
                for v in (row.get(h) for h in headers)
            ]
        )
    return out.getvalue()
