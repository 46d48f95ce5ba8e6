"""On a phone in Chromium: a coordinator adds an offer; the peer searches the directory live,
suggests it to her participant for one of her goals, and sees it on the timeline."""

import pytest
from playwright.sync_api import expect

from ettervern.offers.models import Offer, Suggestion
from ettervern.participants.models import Goal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 390 px phone"


def test_peer_finds_an_offer_and_suggests_it_on_a_phone(browser, live_server, login, personas):
    Goal.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        participant=personas.participant,
        life_area="economy_debt",
        description="Få orden på gjelda",
    )
    contexts = []
    try:
        pages = {}
        for name in ("coordinator", "peer_user"):
            contexts.append(
                browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")
            )
            pages[name] = contexts[-1].new_page()
            pages[name].set_default_timeout(8000)
            login(pages[name], personas.user(name))
        _walk(live_server, personas, pages["coordinator"], pages["peer_user"])
    finally:
        for context in contexts:
            context.close()


def _walk(live_server, personas, coordinator, peer):
    # The coordinator adds the street lawyer; first without a provider.
    coordinator.goto(f"{live_server.url}/tilbud/")
    coordinator.get_by_role("link", name="Nytt tilbud").click()
    coordinator.get_by_label("Navn").fill("Gatejuristen")
    coordinator.get_by_label("Kategori").select_option("legal_debt")
    coordinator.locator("#id_area").select_option("bergenhus")
    coordinator.get_by_label("Åpningstider").fill("Tirsdager 12–15")
    coordinator.get_by_role("button", name="Lagre").click()
    expect(coordinator.get_by_text("Skriv hvem som tilbyr det")).to_be_visible()
    assert not Offer.objects.exists()
    coordinator.get_by_label("Tilbyder").fill("Kirkens Bymisjon")
    coordinator.get_by_role("button", name="Lagre").click()
    expect(coordinator.get_by_text("Tilbudet er lagt til i oversikten.")).to_be_visible()
    _fits_the_phone(coordinator)

    # The peer searches live (no submit) and opens the offer.
    peer.goto(f"{live_server.url}/")
    peer.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Tilbud").click()
    peer.get_by_label("Søk").fill("gatejur")
    results = peer.locator("#offer-results")
    expect(results).to_contain_text("1 tilbud")
    _fits_the_phone(peer)
    results.get_by_role("link", name="Gatejuristen").click()
    expect(peer.get_by_role("heading", name="Gatejuristen")).to_be_visible()
    peer.get_by_role("link", name=f"Foreslå for {personas.participant.name}").click()
    # Her debt goal is chosen for her already.
    expect(peer.get_by_label("For hvilket av målene hennes?")).to_have_value(
        str(Goal.objects.get().pk)
    )
    _fits_the_phone(peer)
    peer.get_by_role("button", name="Foreslå tilbudet").click()

    # On her page: the suggestion, and the line on her timeline.
    expect(peer.get_by_text("Gatejuristen er foreslått for")).to_be_visible()
    expect(peer.get_by_text("Tilbud foreslått: Gatejuristen")).to_be_visible()
    _fits_the_phone(peer)
    suggestion = Suggestion.objects.get()
    assert suggestion.participant == personas.participant
    assert suggestion.suggested_by == personas.peer_user
    peer.get_by_role("button", name="Tatt i bruk").click()
    expect(peer.locator("#participant-offers").locator("..")).to_contain_text("Tatt i bruk")
    suggestion.refresh_from_db()
    assert suggestion.outcome == "taken_up"
