"""The demo has an approved research project with the demo researcher, and its tables and
export work on the demo data."""

import io

from openpyxl import load_workbook

from ettervern.accounts.models import User
from ettervern.research import selectors
from ettervern.research.models import ResearchProject
from ettervern.research.selectors import Filters
from ettervern.research.suppression import THRESHOLD
from ettervern.web.demo import seed_demo
from ettervern.web.tests.home import home_page


def test_demo_researcher_sees_tables_and_exports(client, clock, db):
    seed_demo()
    researcher = User.objects.get(email="forsker@bergen.demo.ettervern.no")
    project = selectors.projects_for(researcher).get()
    assert project.state == ResearchProject.State.APPROVED
    assert selectors.export_allowed(project)
    count, tables = selectors.tables(project, Filters())
    assert count >= 10
    shown = [v for t in tables for row in t.result.shown for v in row if v is not None]
    assert shown and min(shown) >= THRESHOLD

    client.force_login(researcher)
    home = home_page(client).content.decode()
    assert project.title in home
    response = client.get(f"/forskning/{project.pk}/eksport/", {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content))["data"].iter_rows(values_only=True))
    assert len(rows) - 1 == count
    # Oslo's project waits for the administrator.
    oslo = User.objects.get(email="forsker@oslo.demo.ettervern.no")
    assert selectors.projects_for(oslo).get().state == ResearchProject.State.PROPOSED
