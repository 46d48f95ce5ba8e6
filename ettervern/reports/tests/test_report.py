"""The report's figures against counts made here from the raw rows, and the three copies
(page, PDF, workbook) against each other."""

import datetime as dt
import io
import re
from collections import Counter
from statistics import median

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ettervern.followup.models import Contact, out_of_hours_kind
from ettervern.lib.periods import Period
from ettervern.participants.models import Participant, Referral, StatusChange
from ettervern.reports import periods, render
from ettervern.reports.selectors import build_report

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _cells(report: dict) -> dict:
    """(section, table title, row label) -> the cells' values."""
    return {
        (s["key"], t["title"], r["label"]): [c["v"] for c in r["cells"]]
        for s in report["sections"]
        for t in s["tables"]
        for r in t["rows"]
    }


def _in_november(moment) -> bool:
    return NOVEMBER.start <= timezone.localtime(moment).date() <= NOVEMBER.end


def _status_at(moment) -> Counter:
    last = {}
    for change in StatusChange.objects.filter(programme__pk__gt=0).order_by("at", "id"):
        if change.at < moment:
            last[change.participant_id] = (change.programme_id, change.to_status)
    return last


@pytest.mark.django_db
def test_figures_equal_a_count_made_from_the_raw_rows(november):
    programme = november.programme
    report = build_report(programme=programme, period=NOVEMBER)
    cells = _cells(report)

    referrals = Counter(
        r.get_source_display()
        for r in Referral.objects.filter(programme=programme)
        if _in_november(r.created_at)
    )
    assert referrals == {"NAV": 2, "Soning": 1}
    for label, n in referrals.items():
        assert cells[("referrals", "Henvisninger etter kilde", label)] == [n]

    contacts = [
        c for c in Contact.objects.filter(programme=programme) if _in_november(c.occurred_at)
    ]
    held = [c for c in contacts if c.outcome == "held"]
    outside = [c for c in held if out_of_hours_kind(c.occurred_at, *programme.office_hours)]
    own = [c for c in held if c.initiative == "participant"]
    assert (len(held), len(outside), len(own)) == (5, 3, 3)
    facts = "Kontakter i tall"
    assert cells[("contacts", facts, "Kontakter gjennomført")] == [len(held)]
    assert cells[("contacts", facts, "Timer")] == [
        round(sum(c.duration_minutes for c in held) / 60, 1)
    ]
    assert cells[("contacts", facts, "Andel utenom kontortid")] == [
        round(100 * len(outside) / len(held))
    ]
    assert cells[("contacts", facts, "Andel på deltakerens initiativ")] == [
        round(100 * len(own) / len(held))
    ]
    assert cells[("contacts", facts, "Avlyst")] == [1]
    assert cells[("contacts", facts, "Møtte ikke")] == [1]
    by_kind = Counter(c.get_kind_display() for c in held)
    for label, n in by_kind.items():
        assert cells[("contacts", "Gjennomførte kontakter etter type", label)][0] == n

    start, end = NOVEMBER.bounds()
    mine = {pid: s for pid, (prog, s) in _status_at(start).items() if prog == programme.pk}
    at_end = {pid: s for pid, (prog, s) in _status_at(end).items() if prog == programme.pk}
    table = "Deltakere etter status"
    for status, label in Participant.Status.choices:
        assert cells[("participants", table, str(label))] == [
            sum(s == status for s in mine.values()),
            sum(s == status for s in at_end.values()),
        ]
    assert cells[("participants", table, "Alle deltakere")] == [len(mine), len(at_end)]

    # Elin joined the waiting list on 20 October and was matched on 12 November; Dag on
    # 10 November the same day he was registered.
    waits = [(dt.date(2026, 11, 12) - dt.date(2026, 10, 20)).days, 0]
    w = "Ventetid"
    assert cells[("waiting", w, "Median ventetid (dager)")] == [median(waits)]
    assert cells[("waiting", w, "Lengste ventetid (dager)")] == [max(waits)]
    assert cells[("matches", "Matcher", "Startet")] == [2]
    assert cells[("matches", "Matcher", "Avsluttet")] == [1]
    reached = str(StatusChange.EndReason.GOALS_REACHED.label)
    assert cells[("matches", "Matcher avsluttet, etter grunn", reached)] == [1]
    g = "Fellesveiledning i tall"
    assert cells[("supervision", g, "Fellesveiledninger holdt")] == [1]
    assert cells[("supervision", g, "Oppmøter")] == [2]
    assert report["has_data"] and not report["no_data"]


def _page_text(client, programme, shared=False) -> str:
    url = f"/rapporter/{programme.pk}/?periode=2026-11" + ("&delt=1" if shared else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _export(client, programme, fmt: str, shared: bool) -> bytes:
    response = client.post(
        f"/rapporter/{programme.pk}/eksport/",
        {"periode": "2026-11", "format": fmt, **({"shared": "on"} if shared else {})},
    )
    assert response.status_code == 302, response.content
    url = response["Location"]
    export_id = int(url.rstrip("/").split("/")[-1])
    for _step in range(20):
        step = client.post(f"/rapporter/eksport/{export_id}/steg/", HTTP_HX_REQUEST="true")
        assert step.status_code == 200
        if "Filen er klar" in step.content.decode():
            break
    download = client.get(f"/rapporter/eksport/{export_id}/fil/")
    assert download.status_code == 200
    return download.content


@pytest.mark.django_db
@pytest.mark.parametrize("shared", [False, True])
def test_page_pdf_and_workbook_show_the_same_numbers(client, november, shared):
    programme = november.programme
    client.force_login(november.personas.coordinator)
    report = build_report(programme=programme, period=NOVEMBER)
    page = re.sub(r"\s+", " ", _page_text(client, programme, shared))
    pdf_text = "\n".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(_export(client, programme, "pdf", shared))).pages
    )
    pdf_lines = {re.sub(r"\s+", " ", line).strip() for line in pdf_text.splitlines()}
    book = load_workbook(io.BytesIO(_export(client, programme, "xlsx", shared)))
    sheet_rows = {}
    for values in book.active.iter_rows(values_only=True):
        sheet_rows.setdefault(values[0], []).append(list(values[1:]))
    checked = 0
    for section in report["sections"]:
        for i, t in enumerate(section["tables"], start=1):
            table_html = page.split(f'data-table="{section["key"]}-{i}"', 1)[1]
            table_html = table_html.split("</table>", 1)[0]
            for r in t["rows"]:
                texts = [render.display(c, shared) for c in r["cells"]]
                page_row = f'<th scope="row" data-cell="label">{r["label"]}</th>'.replace(
                    "'", "&#x27;"
                )
                assert page_row in table_html, r["label"]
                after = table_html.split(page_row, 1)[1].split("</tr>", 1)[0]
                assert re.findall(r">([^<]*)</td>", after) == [
                    t.replace("<", "&lt;") for t in texts
                ], r["label"]
                assert f"{r['label']} {' '.join(texts)}" in pdf_lines, r["label"]
                expected = [render.excel_value(c, shared) for c in r["cells"]]
                assert [v[: len(expected)] for v in sheet_rows[r["label"]]].count(expected) >= 1
                checked += 1
    assert checked > 40
    # Charts are SVG drawn on the server, each with a text alternative (title, description, and
    # the table beside it).
    assert page.count('<svg class="chart"') >= 3
    assert "<desc>NAV: " + ("&lt;5" if shared else "2") in page
    if shared:
        # NAV sent 2 referrals: a count below 5 is hidden in every copy.
        assert "<5" in pdf_text
        assert ["<5"] in [v[:1] for v in sheet_rows["NAV"]]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_participants(clock, personas):
    from conftest import make_participant

    programme = personas.programme_a

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_report(programme=programme, period=periods.parse("2026"))
        return len(captured)

    few = queries()
    for n in range(12):
        make_participant(programme, f"Deltaker {n}")
    assert queries() == few
    assert few <= 20


@pytest.mark.django_db
def test_a_programme_without_data_reports_zeros_and_says_so(client, clock, personas):
    client.force_login(personas.coordinator)
    response = client.get(f"/rapporter/{personas.programme_a.pk}/?periode=2019-03")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Det finnes ingen data for denne perioden." in text
    report = build_report(programme=personas.programme_a, period=periods.parse("2019-03"))
    assert not report["has_data"]
    counts = [
        c["v"]
        for s in report["sections"]
        for t in s["tables"]
        for r in t["rows"]
        for c in r["cells"]
        if c["k"] in ("count", "hours")
    ]
    assert counts and set(counts) == {0}


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused_in_norwegian(client, clock, personas):
    client.force_login(personas.coordinator)
    url = f"/rapporter/{personas.programme_a.pk}/"
    response = client.get(url, {"kind": "custom", "start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 400
    assert "Perioden slutter før den begynner." in response.content.decode()
    response = client.get(url, {"periode": "2026-11-30..2026-11-01"})
    assert response.status_code == 400
    assert "Perioden slutter før den begynner." in response.content.decode()
    assert client.get(url, {"periode": "13-2026"}).status_code == 400
