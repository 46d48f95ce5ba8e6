"""The tables count what an independent count finds, and hide what they must."""

import datetime as dt
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_match
from ettervern.followup.models import Contact
from ettervern.followup.services import contact_log
from ettervern.participants.models import Participant
from ettervern.research import selectors
from ettervern.research.models import ResearchProject
from ettervern.research.selectors import Filters
from ettervern.research.tests.conftest import NOW
from ettervern.research.tests.factories import consenting


def test_contacts_per_month_match_an_independent_count(clock, personas, study, cohort):
    match = make_match(cohort[0], personas.other_peer)
    clock.move_to(NOW + dt.timedelta(days=40))
    # Six held contacts in July at the peer's initiative, two at the participant's, one planned.
    for day in range(1, 7):
        contact_log(
            actor=personas.coordinator,
            match=match,
            kind="conversation",
            occurred_at=NOW.replace(month=7, day=day),
        )
    for day in (10, 11):
        contact_log(
            actor=personas.coordinator,
            match=match,
            kind="phone",
            initiative=Contact.Initiative.PARTICIPANT,
            occurred_at=NOW.replace(month=7, day=day),
        )
    # A contact with a participant without research consent is never counted.
    for day in range(1, 8):
        contact_log(
            actor=personas.peer_user,
            match=personas.match,
            kind="conversation",
            occurred_at=NOW.replace(month=7, day=day),
        )
    _count, tables = selectors.tables(study.project, Filters())
    table = next(t for t in tables if t.code == "contacts_month")
    july = table.rows.index("2026-07")
    columns = [str(label) for _code, label in Contact.Initiative.choices]
    grid = table.result.grid
    independent = Counter(
        (timezone.localdate(c.occurred_at).strftime("%Y-%m"), c.initiative)
        for c in Contact.objects.filter(participant__in=cohort, outcome="held")
    )
    for j, code in enumerate(Contact.Initiative.values):
        assert grid[july][j] == independent[("2026-07", code)], columns[j]
    shown = table.result.shown[july]
    # Two at the participant's initiative: hidden, and enough beside them that the total does
    # not tell they were few.
    assert shown[Contact.Initiative.values.index("participant")] is None
    assert shown[Contact.Initiative.values.index("peer")] in (None, 6)
    assert shown[Contact.Initiative.values.index("peer")] is None or shown[-1] is None


def test_status_table_matches_an_independent_count(personas, study, cohort):
    _count, tables = selectors.tables(study.project, Filters())
    table = next(t for t in tables if t.code == "status_programme")
    statuses = list(Participant.Status.values)
    independent = Counter(
        p.status for p in Participant.objects.filter(pk__in=[c.pk for c in cohort])
    )
    for i, status in enumerate(statuses):
        assert table.result.grid[i][0] == independent[status]


def test_an_ended_project_exports_nothing(client, personas, study, cohort):
    study.project.state = ResearchProject.State.ENDED
    study.project.save(update_fields=["state"])
    client.force_login(personas.researcher)
    response = client.get(f"/forskning/{study.project.pk}/eksport/", {"format": "csv"})
    assert response.status_code == 302
    page = client.get(f"/forskning/{study.project.pk}/").content.decode()
    assert "avsluttet" in page
    assert "research-table" not in page


def test_an_approved_project_outside_its_period_exports_nothing(personas, study):
    assert selectors.export_allowed(study.project, NOW.date())
    assert not selectors.export_allowed(study.project, study.project.ends_on + dt.timedelta(1))
    assert not selectors.export_allowed(
        study.project, study.project.starts_on - dt.timedelta(days=1)
    )


def test_query_count_does_not_grow_with_the_cohort(client, personas, study, cohort):
    client.force_login(personas.researcher)
    url = f"/forskning/{study.project.pk}/"
    export = f"/forskning/{study.project.pk}/eksport/?format=xlsx"
    client.get(url)
    client.get(export)
    with CaptureQueriesContext(connection) as small_page:
        client.get(url)
    with CaptureQueriesContext(connection) as small_export:
        client.get(export)
    consenting(personas.programme_a, 15, prefix="Flere")
    with CaptureQueriesContext(connection) as large_page:
        client.get(url)
    with CaptureQueriesContext(connection) as large_export:
        assert client.get(export).status_code == 200
    assert len(large_page) == len(small_page)
    # New research ids are made in one insert.
    assert len(large_export) <= len(small_export) + 2
