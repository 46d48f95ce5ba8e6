"""Every kind of bad file: a clear Norwegian message, status 400, nothing written."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from ettervern.imports import columns, reading
from ettervern.imports.forms import UploadForm
from ettervern.imports.models import ImportUpload
from ettervern.imports.tests import sheets
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker


@pytest.fixture(autouse=True)
def norwegian():
    with translation.override("nb"):
        yield


def refused(response) -> str:
    """The page's problems, after checking that the file was refused and nothing kept."""
    assert response.status_code == 400
    assert not ImportUpload.objects.exists()
    return " | ".join(p.message for p in response.context["outcome"].problems)


@pytest.fixture
def nothing_written(personas):
    before = (Participant.objects.count(), PeerWorker.objects.count())
    yield
    assert (Participant.objects.count(), PeerWorker.objects.count()) == before


def test_an_empty_file(upload, nothing_written):
    # An empty upload is refused by the form itself; a file of only blank lines by the reader.
    assert upload(b"", name="tom.csv").status_code == 400
    assert "tom" in refused(upload(b"\n\n  \n", name="tom.csv")).lower()


def test_a_file_with_headers_and_no_rows(upload, nothing_written):
    assert "ingen rader" in refused(upload(sheets.xlsx([], [])))


def test_a_renamed_exe(upload, nothing_written):
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 8
    assert "ikke en Excel-arbeidsbok" in refused(upload(exe, name="deltakere.xlsx"))


def test_a_zip_that_is_no_workbook(upload, nothing_written):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    assert "kunne ikke leses" in refused(upload(out.getvalue(), name="deltakere.xlsx"))


def test_a_binary_file_named_csv(upload, nothing_written):
    assert "ikke en tekstfil" in refused(upload(b"MZ\x00\x00\x01", name="deltakere.csv"))


def test_another_kind_of_file(upload, nothing_written):
    assert ".xlsx" in refused(upload(b"%PDF-1.4", name="deltakere.pdf"))


def test_a_csv_in_windows_1252_is_read_and_says_so(upload):
    rows = [sheets.participant_row(1, Navn="Åse Ødegård", Bydel="Årstad")]
    response = upload(sheets.csv_text(rows).encode("cp1252"), name="deltakere.csv")
    assert response.status_code == 200
    assert response.context["outcome"].plan.detected == "Windows-1252"
    assert "Windows-1252" in response.content.decode()


def test_a_csv_garbled_before_is_refused_with_what_was_detected(upload, nothing_written):
    rows = [sheets.participant_row(1, Navn="Åse Ødegård")]
    garbled = sheets.csv_text(rows).encode("utf-8").decode("cp1252").encode("utf-8")
    message = refused(upload(garbled, name="deltakere.csv"))
    assert "æ, ø og å" in message and "UTF-8" in message


def test_a_formula_without_a_calculated_value(upload, nothing_written):
    book = Workbook()
    sheet = book.active
    sheet.title = columns.PARTICIPANT_SHEET
    sheet.append([c.header for c in columns.PARTICIPANT_COLUMNS[:10]])
    sheet.append(["D-1", "Ola", "=1900+85", None, None, None, None, None, None, "ja"])
    out = io.BytesIO()
    book.save(out)
    response = upload(out.getvalue())
    message = refused(response)
    assert "formel" in message
    [problem] = response.context["outcome"].problems
    assert (problem.row, problem.column) == (2, "Fødselsår")


@pytest.mark.parametrize(
    "value",
    [45506, 45506.0, "45506", "02.08.2024", "2024-08-02", dt.datetime(2024, 8, 2, 0, 0)],
)
def test_dates_as_excel_numbers_or_text(value):
    assert columns.parse_date(value) == dt.date(2024, 8, 2)


@pytest.mark.parametrize("value", ["32.01.2024", "i fjor", "2024/13/01", -5, "99999999"])
def test_a_date_that_is_not_one(value):
    with pytest.raises(columns.CellError):
        columns.parse_date(value)


def test_unknown_codes_name_the_allowed_values(upload, nothing_written):
    rows = [sheets.participant_row(1, Kjønn="ukjent", Rusmidler="Alkohol, sukker")]
    response = upload(sheets.xlsx(rows))
    message = refused(response)
    assert "Ukjent verdi «ukjent»" in message or "Ukjent verdi “ukjent”" in message
    assert "Kvinne" in message and "Mann" in message
    assert "sukker" in message
    assert {p.column for p in response.context["outcome"].problems} == {"Kjønn", "Rusmidler"}


def test_codes_are_accepted_as_labels_or_codes_in_any_case():
    parse = columns.PARTICIPANT_COLUMNS[3].parse
    assert [parse(v) for v in ("  kvinne ", "FEMALE", "Mann", "other")] == [
        "female",
        "female",
        "male",
        "other",
    ]


def test_duplicate_external_ids_within_the_file(upload, nothing_written):
    rows = [sheets.participant_row(1), sheets.participant_row(2, **{"Ekstern ID": "d-0001"})]
    response = upload(sheets.xlsx(rows))
    assert "rad 2" in refused(response)
    [problem] = response.context["outcome"].problems
    assert (problem.row, problem.column) == (3, "Ekstern ID")


def test_every_problem_is_reported_per_row_and_column(upload, nothing_written):
    rows = [
        sheets.participant_row(1, Fødselsår="nitten", **{"E-post": "ikke-epost"}),
        sheets.participant_row(2, Navn=None, **{"Samtykke oppfølging": "kanskje"}),
        sheets.participant_row(3, **{"Likeperson (ekstern ID)": "L-404", "Status": "Koblet"}),
    ]
    response = upload(sheets.xlsx(rows))
    refused(response)
    where = {(p.row, p.column) for p in response.context["outcome"].problems}
    assert where == {
        (2, "Fødselsår"),
        (2, "E-post"),
        (3, "Navn"),
        (3, "Samtykke oppfølging"),
        (4, "Likeperson (ekstern ID)"),
    }


def test_a_missing_and_an_unknown_column(upload, nothing_written):
    book = Workbook()
    book.active.title = columns.PARTICIPANT_SHEET
    book.active.append(["Ekstern ID", "Navn", "Skostørrelse"])
    book.active.append(["D-1", "Ola", 44])
    out = io.BytesIO()
    book.save(out)
    message = refused(upload(out.getvalue()))
    assert "Ukjent kolonne" in message and "mangler" in message


def test_more_rows_than_the_limit(upload, nothing_written, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    rows = [sheets.participant_row(n) for n in range(51)]
    message = refused(upload(sheets.xlsx(rows)))
    assert "mer enn 50 rader" in message
    message = refused(upload(sheets.csv_text(rows).encode(), name="deltakere.csv"))
    assert "mer enn 50 rader" in message


def test_a_file_of_ten_thousand_rows_says_the_limit(upload, nothing_written):
    rows = [sheets.participant_row(n) for n in range(10_000)]
    message = refused(upload(sheets.csv_text(rows).encode(), name="deltakere.csv"))
    assert "mer enn 1 000 rader" in message


def test_the_limits_are_those_the_form_states():
    assert (reading.MAX_ROWS, reading.MAX_BYTES) == (1000, 5 * 1024 * 1024)
    assert "5 MB og 1 000 rader" in str(UploadForm.base_fields["file"].help_text)


def test_a_file_larger_than_the_limit(upload, nothing_written):
    big = b"Ekstern ID;Navn\n" + b"x" * (reading.MAX_BYTES + 1)
    assert "5 MB" in refused(upload(big, name="deltakere.csv"))


def test_a_peer_email_of_another_organisation_is_refused_without_saying_so(
    upload, personas, nothing_written
):
    peers = [sheets.peer_row(1, **{"E-post": personas.coordinator_b.email})]
    message = refused(upload(sheets.xlsx([], peers)))
    assert "kan ikke brukes" in message
    assert "organisasjon" not in message.lower()


def test_an_area_the_organisation_does_not_serve_is_a_problem_in_its_cell(upload, nothing_written):
    rows = [sheets.participant_row(1, Bydel="Frogner"), sheets.participant_row(2, Bydel="arna")]
    response = upload(sheets.xlsx(rows))
    assert response.status_code == 400
    problems = response.context["outcome"].problems
    [problem] = [p for p in problems if p.column == "Bydel"]
    assert problem.row == 2
    assert problem.message.startswith("Ukjent område «Frogner».")
    assert "Årstad" in problem.message and "Grünerløkka" not in problem.message
