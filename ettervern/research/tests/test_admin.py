"""The org admin registers, approves and ends research projects; each step is audited."""

import pytest

from ettervern.audit.models import AuditEvent
from ettervern.research import selectors
from ettervern.research.models import ResearchProject
from ettervern.research.tests.conftest import NOW


def _form(personas, **overrides):
    membership = personas.researcher.memberships.get()
    data = {
        "title": "Tillit i likepersonrelasjonen",
        "purpose": "Måle tillit mellom deltaker og likeperson over tid.",
        "approval_reference": "",
        "starts_on": "2026-06-01",
        "ends_on": "2027-06-01",
        "programmes": [personas.programme_a.pk],
        "researchers": [membership.pk],
        "submission_key": "0b6f2a8e-3b0a-4a5e-9a57-0f8d3c1b2a11",
    }
    data.update(overrides)
    return data


def test_admin_registers_and_approves_a_project(client, clock, personas):
    client.force_login(personas.admin)
    response = client.post("/admin-org/forskning/", _form(personas))
    assert response.status_code == 302
    # The same form sent twice registers one project.
    client.post("/admin-org/forskning/", _form(personas))
    project = ResearchProject.objects.get()
    assert project.state == ResearchProject.State.PROPOSED
    assert not selectors.export_allowed(project, NOW.date())

    # Approving without a reference is refused in Norwegian.
    refused = client.post(f"/admin-org/forskning/{project.pk}/godkjenn/", {})
    assert refused.status_code == 400
    assert "REK-nummeret" in refused.content.decode()
    project.refresh_from_db()
    assert project.state == ResearchProject.State.PROPOSED

    approved = client.post(
        f"/admin-org/forskning/{project.pk}/godkjenn/", {"approval_reference": "REK 654321"}
    )
    assert approved.status_code == 302
    project.refresh_from_db()
    assert project.state == ResearchProject.State.APPROVED
    assert project.approved_by == personas.admin
    assert selectors.export_allowed(project, NOW.date())
    codes = list(
        AuditEvent.objects.filter(data__event__startswith="research_project")
        .order_by("pk")
        .values_list("data__event", flat=True)
    )
    assert codes == ["research_project_created", "research_project_approved"]

    client.post(f"/admin-org/forskning/{project.pk}/avslutt/")
    project.refresh_from_db()
    assert project.state == ResearchProject.State.ENDED
    assert not selectors.export_allowed(project, NOW.date())

    # The researcher sees it in the list, ended.
    client.force_login(personas.researcher)
    assert "Tillit i likepersonrelasjonen" in client.get("/forskning/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2026-01-01"}, "Prosjektet kan ikke slutte før det starter."),
        ({"researchers": []}, "Feltet er påkrevet."),
        ({"programmes": ["9223372036854775808"]}, "er ikke en gyldig verdi"),
        ({"starts_on": "9999-01-01"}, "Datoen må være"),
    ],
)
def test_bad_project_input_is_a_norwegian_message(client, clock, personas, overrides, message):
    client.force_login(personas.admin)
    response = client.post("/admin-org/forskning/", _form(personas, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ResearchProject.objects.exists()


def test_only_the_admin_approves(client, clock, personas, study):
    study.project.state = ResearchProject.State.PROPOSED
    study.project.save(update_fields=["state"])
    for persona in ("researcher", "coordinator"):
        client.force_login(personas.user(persona))
        url = f"/admin-org/forskning/{study.project.pk}/godkjenn/"
        assert client.post(url, {"approval_reference": "REK 1"}).status_code == 404
    study.project.refresh_from_db()
    assert study.project.state == ResearchProject.State.PROPOSED
