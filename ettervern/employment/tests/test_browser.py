"""Three logins in Chromium: the advisor drafts a triangle agreement, all three confirm it, a
change resets the confirmations, all confirm again, a meeting reviews it, a relapse is recorded
and the placement ends with the follow-up going on. The employer reaches nothing else."""

import re

import pytest
from playwright.sync_api import expect

from ettervern.employment.models import AgreementVersion, Meeting
from ettervern.employment.tests.factories import AGREEMENT


def _confirm(page, url: str, number: int) -> None:
    page.goto(url)
    page.get_by_role("button", name=f"Jeg bekrefter versjon {number}").click()
    expect(page.get_by_text("Bekreftelsen din er registrert.")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_triangle_agreement_with_three_logins(browser, live_server, login, personas, job):
    AgreementVersion.objects.filter(placement=job.placement).delete()
    Meeting.objects.filter(placement=job.placement).delete()
    url = f"{live_server.url}/arbeid/{job.placement.pk}/"
    pages, contexts = {}, []
    for name in ("peer_user", "participant_user", "employer"):
        contexts.append(browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo"))
        pages[name] = contexts[-1].new_page()
        login(pages[name], personas.user(name))
    try:
        _walk_through(live_server, personas, job, url, pages)
    finally:
        # Close the keep-alive connections while the live server still runs.
        for context in contexts:
            context.close()


def _walk_through(live_server, personas, job, url, pages):
    advisor, participant, employer = (
        pages["peer_user"],
        pages["participant_user"],
        pages["employer"],
    )

    # The advisor drafts the agreement.
    advisor.goto(url)
    advisor.get_by_role("link", name="Skriv avtalen").click()
    for field, value in AGREEMENT.items():
        if field == "meeting_interval_days":
            advisor.locator("#id_meeting_interval_days").select_option(str(value))
        elif field != "share_relapse_with_employer":
            advisor.locator(f"#id_{field}").fill(value)
    advisor.get_by_role("button", name="Lagre").click()
    expect(advisor.get_by_text("Ikke gjeldende")).to_be_visible()

    for page in (advisor, participant, employer):
        _confirm(page, url, 1)
    employer.reload()
    expect(employer.get_by_text("Gjeldende: bekreftet av alle tre")).to_be_visible()

    # A change makes version 2: the confirmations start again.
    advisor.goto(url)
    advisor.get_by_role("link", name="Endre avtalen").click()
    advisor.locator("#id_end_criteria").fill("Rus på jobb, eller fravær uten beskjed tre ganger")
    advisor.get_by_role("button", name="Lagre").click()
    expect(advisor.get_by_role("button", name="Jeg bekrefter versjon 2")).to_be_visible()
    expect(advisor.get_by_text("Ikke gjeldende")).to_be_visible()
    for page in (advisor, participant, employer):
        _confirm(page, url, 2)
    participant.goto(f"{url}avtale/utskrift/")
    expect(participant.get_by_text("fravær uten beskjed tre ganger")).to_be_visible()
    expect(participant.get_by_role("cell", name=personas.employer.name)).to_be_visible()

    # A meeting reviews the criteria.
    advisor.goto(url)
    advisor.locator("#id_scheduled_for").fill(job.placement.started_on.isoformat())
    advisor.get_by_role("button", name="Planlegg et møte").click()
    advisor.locator("ul.list a[href*='/arbeid/moter/']").first.click()
    advisor.get_by_role("link", name="Registrer møtet").click()
    advisor.locator("#id_criterion_0_0").check()
    advisor.locator("#id_criterion_1_1").check()
    advisor.locator("#id_employer_raised").fill("Stabil innsats")
    advisor.get_by_role("button", name="Lagre").click()
    expect(advisor.get_by_text("Møtet er registrert.")).to_be_visible()
    employer.goto(advisor.url)
    expect(employer.get_by_text("Stabil innsats")).to_be_visible()

    # A relapse, then the end of the placement; the follow-up goes on.
    advisor.goto(url)
    advisor.get_by_role("link", name="Registrer tilbakefall").click()
    expect(advisor.get_by_text(AGREEMENT["relapse_plan"])).to_be_visible()
    advisor.locator("#id_note").fill("Notat bare for veileder")
    advisor.get_by_role("button", name="Lagre").click()
    expect(advisor.get_by_text("Tilbakefallet er registrert")).to_be_visible()
    advisor.get_by_role("link", name="Avslutt plasseringen").click()
    advisor.locator("#id_reason").select_option("relapse")
    advisor.get_by_role("button", name="Avslutt plasseringen").click()
    expect(advisor.get_by_text("Oppfølgingen av deltakeren fortsetter.")).to_be_visible()
    personas.match.refresh_from_db()
    assert personas.match.status == "active"

    # The employer sees no note and reaches nothing beyond their agreements.
    employer.goto(url)
    expect(employer.get_by_text("Notat bare for veileder")).to_have_count(0)
    for path in (
        f"/deltakere/{personas.participant.pk}/",
        f"/arbeid/{job.other_placement.pk}/",
        f"/arbeid/bedrifter/{job.company.pk}/",
    ):
        response = employer.goto(live_server.url + path)
        assert response.status == 404, path
    expect(employer.locator("h1")).to_have_text(re.compile("Fant ikke siden"))
