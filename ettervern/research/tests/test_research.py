"""The researcher's pages: consent decides who is in, exports are pseudonymised and audited,
tables never show a count below 5."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from ettervern.accounts.models import Role
from ettervern.audit.models import AuditEvent
from ettervern.outcomes.models import Mode
from ettervern.outcomes.tests.factories import all_items, answer
from ettervern.participants import services as participant_services
from ettervern.participants.models import Consent, Participant
from ettervern.research import selectors, services
from ettervern.research.columns import COLUMNS
from ettervern.research.models import ResearchId, ResearchProject
from ettervern.research.selectors import Filters
from ettervern.research.suppression import THRESHOLD
from ettervern.research.tests.factories import make_project, research_consent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_rows(content: bytes) -> tuple[list[str], list[dict]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book["data"].iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _csv_rows(content: bytes) -> tuple[list[str], list[dict], str]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    lines = archive.read("data.csv").decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    return header, rows, archive.read("kodebok.csv").decode("utf-8-sig")


def _export(client, project, fmt, **params):
    return client.get(f"/forskning/{project.pk}/eksport/", {"format": fmt, **params})


# --- who is in ------------------------------------------------------------------------------


def test_a_withdrawal_removes_the_participant_from_every_later_export(
    client, personas, study, cohort
):
    client.force_login(personas.researcher)
    first = _export(client, study.project, "xlsx")
    assert first.status_code == 200
    assert first["Content-Type"] == XLSX
    _header, rows = _xlsx_rows(first.content)
    assert len(rows) == 10
    tokens = {row["research_id"] for row in rows}

    leaving = cohort[0]
    leaving_token = ResearchId.objects.get(project=study.project, participant=leaving).token
    participant_services.consent_withdraw(
        actor=personas.coordinator, participant=leaving, purpose=Consent.Purpose.RESEARCH
    )

    for fmt in ("csv", "xlsx"):
        later = _export(client, study.project, fmt)
        assert later.status_code == 200
        rows = _csv_rows(later.content)[1] if fmt == "csv" else _xlsx_rows(later.content)[1]
        assert len(rows) == 9
        later_tokens = {row["research_id"] for row in rows}
        assert leaving_token not in later_tokens
        # The others keep their research id from one export to the next.
        assert later_tokens == tokens - {leaving_token}
    # And the aggregated tables count seven.
    assert selectors.tables(study.project, Filters())[0] == 9


def test_only_current_research_consent_counts(personas, study, cohort):
    # The personas have consent to follow-up only; participant B is in another organisation.
    people = selectors.cohort(study.project, Filters())
    assert {p.pk for p in people} == {c.pk for c in cohort}
    # A consent withdrawn and given again counts again.
    participant_services.consent_withdraw(
        actor=None, participant=cohort[1], purpose=Consent.Purpose.RESEARCH
    )
    assert len(selectors.cohort(study.project, Filters())) == 9
    research_consent(cohort[1])
    assert len(selectors.cohort(study.project, Filters())) == 10


# --- pseudonymised ----------------------------------------------------------------------------


def test_the_export_names_no_one(client, personas, study, cohort):
    client.force_login(personas.researcher)
    response = _export(client, study.project, "csv")
    header, rows, codebook = _csv_rows(response.content)
    assert header == [c.code for c in COLUMNS]
    text = zipfile.ZipFile(io.BytesIO(response.content)).read("data.csv").decode("utf-8-sig")
    for person in cohort:
        assert person.name.split()[0] not in text
    assert "98765432" not in text
    assert "1975" not in text and "1990" not in text
    for row in rows:
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", row["research_id"])
        assert row["research_id"] not in {str(p.pk) for p in cohort}
        assert row["age_band"] in {"35-44", "45-54"}
        assert re.fullmatch(r"\d{4}-\d{2}", row["referred_month"])
    # Every column is described in the codebook.
    for column in COLUMNS:
        assert column.code in codebook


def test_research_ids_are_per_project(personas, study, cohort):
    other = make_project(
        personas.admin,
        personas.programme_a,
        personas.researcher.memberships.get(),
        title="Et annet prosjekt",
    )
    ids = [c.pk for c in cohort]
    first = services.research_ids(project=study.project, participant_ids=ids)
    again = services.research_ids(project=study.project, participant_ids=ids)
    elsewhere = services.research_ids(project=other, participant_ids=ids)
    assert first == again
    assert not set(first.values()) & set(elsewhere.values())
    assert all(token != str(pk) and not token.isdigit() for pk, token in first.items())


def test_rare_combinations_are_generalised_in_rows(client, personas, study, cohort):
    # One woman born 1950: alone in her age band, her band is hidden in the rows.
    person = Participant.objects.get(pk=cohort[0].pk)
    person.birth_year = 1950
    person.save(update_fields=["birth_year"])
    client.force_login(personas.researcher)
    _header, rows = _xlsx_rows(_export(client, study.project, "xlsx").content)
    combos = {}
    for row in rows:
        key = (row["age_band"], row["gender"])
        combos[key] = combos.get(key, 0) + 1
    assert "55+" not in {row["age_band"] for row in rows}
    assert all(n >= THRESHOLD for key, n in combos.items() if "*" not in key)


# --- approved projects only, audited --------------------------------------------------------


def test_export_only_for_an_approved_project(client, personas, study, cohort):
    study.project.state = ResearchProject.State.PROPOSED
    study.project.save(update_fields=["state"])
    client.force_login(personas.researcher)
    response = _export(client, study.project, "xlsx")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "godkjent" in page.content.decode()
    assert "Last ned Excel" not in page.content.decode()
    refused = AuditEvent.objects.get(data__event="research_export_refused")
    assert refused.data["reason"] == "not_approved"
    assert not AuditEvent.objects.filter(data__event="research_export_made").exists()


def test_each_export_is_audited_with_filters_and_row_count(client, personas, study, cohort):
    client.force_login(personas.researcher)
    response = _export(client, study.project, "csv", status="waiting", period_from="2026-01-01")
    assert response.status_code == 200
    event = AuditEvent.objects.get(data__event="research_export_made")
    assert event.actor == personas.researcher
    assert event.actor_role == Role.RESEARCHER or event.actor_role == ""
    assert event.data["rows"] == 10
    assert event.data["format"] == "csv"
    assert event.data["filters"]["status"] == "waiting"
    assert event.data["filters"]["period_from"] == "2026-01-01"
    assert event.object_id == str(study.project.pk)
    assert event.participant_id is None


def test_a_filter_leaving_fewer_than_5_exports_nothing(client, personas, study, cohort):
    participant_services.participant_set_status(
        actor=None, participant=cohort[0], to=Participant.Status.INTAKE
    )
    client.force_login(personas.researcher)
    response = _export(client, study.project, "xlsx", status="intake")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Færre enn 5" in page
    assert AuditEvent.objects.get(data__event="research_export_refused").data["reason"] == (
        "too_few"
    )


# --- tables -------------------------------------------------------------------------------


def _shown_numbers(tables) -> list[int]:
    return [v for t in tables for row in t.result.shown for v in row if v is not None]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(status="waiting"),
        Filters(status="matched"),
        Filters(status="intake"),
    ],
)
def test_no_table_cell_below_5(personas, study, cohort, filters):
    participant_services.participant_set_status(
        actor=None, participant=cohort[0], to=Participant.Status.INTAKE
    )
    _count, tables = selectors.tables(study.project, filters)
    assert all(v >= THRESHOLD for v in _shown_numbers(tables))


def test_a_filter_down_to_one_person_shows_no_number(client, personas, study, cohort):
    participant_services.participant_set_status(
        actor=None, participant=cohort[0], to=Participant.Status.INTAKE
    )
    client.force_login(personas.researcher)
    response = client.get(f"/forskning/{study.project.pk}/", {"status": "intake"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Færre enn 5 deltakere" in html
    assert re.findall(r"<td[^>]*>\s*1\s*</td>", html) == []
    assert html.count('class="suppressed"') > 0
    count, tables = selectors.tables(study.project, Filters(status="intake"))
    assert count == 1
    assert _shown_numbers(tables) == []


def test_tables_show_the_counts_that_are_safe(client, personas, study, cohort):
    client.force_login(personas.researcher)
    html = client.get(f"/forskning/{study.project.pk}/").content.decode()
    assert "Deltakere etter status og tiltak" in html
    # Ten waiting in one programme: shown; the other statuses are 0: hidden.
    assert re.search(r"<td[^>]*>\s*10\s*</td>", html)
    assert 'class="suppressed"' in html
    assert AuditEvent.objects.filter(data__event="research_tables_viewed").count() == 1


# --- the researcher never sees a participant --------------------------------------------------


def _participant_routes():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return sorted({r for r in walk(get_resolver().url_patterns) if "<id:participant_id>" in r})


def test_researcher_gets_404_on_every_participant_page(client, personas, study, cohort):
    routes = _participant_routes()
    assert len(routes) > 5
    client.force_login(personas.researcher)
    for participant in [cohort[0], personas.participant, personas.waiting]:
        for route in routes:
            url = "/" + re.sub(r"<id:\w+>", str(participant.pk), route)
            if "<" in url:  # a second id (a contact, a goal…): the participant's is enough
                url = re.sub(r"<\w+:\w+>", "1", url)
            statuses = (client.get(url).status_code, client.post(url, {}).status_code)
            # 405 only for a method the page does not take; the other method is refused.
            assert set(statuses) <= {404, 405} and 404 in statuses, (url, statuses)
    # The list of participants is empty for a researcher.
    listing = client.get("/deltakere/").content.decode()
    assert all(p.name not in listing for p in [*cohort, personas.participant, personas.waiting])


def test_no_participant_name_on_any_research_page(client, personas, study, cohort):
    client.force_login(personas.researcher)
    names = [p.name for p in Participant.objects.all()]
    for url in ["/", "/forskning/", f"/forskning/{study.project.pk}/"]:
        html = client.get(url).content.decode()
        assert study.project.title in html
        for name in names:
            assert name not in html, (url, name)


def test_another_researchers_project_is_404(client, personas, study):
    client.force_login(personas.researcher)
    assert client.get(f"/forskning/{study.project_b.pk}/").status_code == 404
    assert client.get(f"/forskning/{study.project_b.pk}/eksport/?format=csv").status_code == 404


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period_from": "2026-05-01", "period_to": "2026-01-01"}, "Perioden slutter før"),
        ({"programme": "9223372036854775808"}, "Velg et gyldig"),
        ({"status": "nonsense"}, "Velg et gyldig"),
        ({"period_from": "0001-01-01"}, "Datoen må være"),
    ],
)
def test_bad_filters_get_a_norwegian_message(client, personas, study, cohort, params, message):
    client.force_login(personas.researcher)
    response = client.get(f"/forskning/{study.project.pk}/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    export = _export(client, study.project, "csv", **params)
    assert export.status_code == 302
    assert not AuditEvent.objects.filter(data__event="research_export_made").exists()


def test_an_unknown_format_is_a_message(client, personas, study, cohort):
    client.force_login(personas.researcher)
    response = _export(client, study.project, "pdf")
    assert response.status_code == 302
    assert "Velg CSV eller Excel" in client.get(response["Location"]).content.decode()


def test_a_title_typed_as_a_formula_is_text_in_the_files(client, personas, study, cohort):
    study.project.title = '=HYPERLINK("http://example.com","x")'
    study.project.save(update_fields=["title"])
    client.force_login(personas.researcher)
    book = load_workbook(io.BytesIO(_export(client, study.project, "xlsx").content))
    values = [c.value for row in book["om uttrekket"].iter_rows() for c in row]
    assert "'" + study.project.title in values
    archive = zipfile.ZipFile(io.BytesIO(_export(client, study.project, "csv").content))
    assert "'=HYPERLINK" in archive.read("om-uttrekket.csv").decode("utf-8-sig")


def test_the_export_carries_outcome_scores_from_complete_answers(
    client, clock, personas, study, cohort
):
    first = cohort[0]
    answer(personas.coordinator, first, "barc10", 3, mode=Mode.READ_ALOUD)
    clock.shift(dt.timedelta(days=40))
    half = all_items("barc10", 5)
    half[next(iter(half))] = None
    answer(personas.coordinator, first, "barc10", half, mode=Mode.READ_ALOUD)  # incomplete
    answer(personas.coordinator, first, "barc10", 5, mode=Mode.READ_ALOUD)
    client.force_login(personas.researcher)
    _header, rows = _xlsx_rows(_export(client, study.project, "xlsx").content)
    token = ResearchId.objects.get(project=study.project, participant=first).token
    row = next(r for r in rows if r["research_id"] == token)
    assert (row["barc10_first"], row["barc10_last"], row["barc10_answers"]) == (30, 50, 2)
    assert (row["barc10_first_month"], row["barc10_last_month"]) == ("2026-06", "2026-07")
    others = [r for r in rows if r["research_id"] != token]
    assert all(r["barc10_first"] in (None, "") and r["barc10_answers"] == 0 for r in others)


def test_the_cron_command_writes_the_same_export_and_leaves_out_a_withdrawal(
    tmp_path, personas, study, cohort
):
    from django.core.management import call_command

    out = tmp_path / "uttrekk.xlsx"
    participant_services.consent_withdraw(
        actor=personas.coordinator, participant=cohort[0], purpose=Consent.Purpose.RESEARCH
    )
    call_command(
        "research_export",
        project=study.project.pk,
        researcher=personas.researcher.email,
        format="xlsx",
        out=str(out),
    )
    _header, rows = _xlsx_rows(out.read_bytes())
    assert len(rows) == 9
    leaving = ResearchId.objects.filter(project=study.project, participant=cohort[0]).first()
    assert leaving is None or leaving.token not in {row["research_id"] for row in rows}
    assert AuditEvent.objects.filter(
        actor=personas.researcher, data__event="research_export_made"
    ).exists()
