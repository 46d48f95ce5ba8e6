"""On phones (390 px): a peer logs far too many hours and a hard check-in, and her coordinator's
home shows both the same day; the coordinator pauses her, her participant is flagged at once, a
cover is chosen, and the cover peer logs a contact."""

import datetime as dt
import os

import pytest
import time_machine

from ettervern.followup.models import Contact
from ettervern.matching.models import PeerPause

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Thursday 4 March 2027, 11:00 in Oslo (the future: session cookies stay valid in the browser).
THURSDAY = dt.datetime(2027, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def at_thursday(request, db):
    with time_machine.travel(THURSDAY, tick=True):
        yield request.getfixturevalue("personas")


@pytest.fixture
def phone_page(browser):
    contexts = []

    def new():
        context = browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(8000)
        return page

    yield new
    for context in contexts:
        context.close()


def click(page, name, role="button"):
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_signals_and_a_pause_with_a_cover(at_thursday, phone_page, live_server, login):
    personas = at_thursday
    dag = personas.participant
    participant_url = f"{live_server.url}/deltakere/{dag.pk}/"
    contact_url = f"{live_server.url}/oppfolging/{dag.pk}/kontakt/"

    # The peer logs 26 hours this week (three long days) and a hard check-in.
    peer = phone_page()
    login(peer, personas.peer_user)
    for day, minutes in (("2027-03-01", "600"), ("2027-03-02", "600"), ("2027-03-03", "360")):
        peer.goto(contact_url)
        peer.fill("#id_occurred_at", f"{day}T09:00")
        peer.get_by_label("Varighet (minutter)").fill(minutes)
        click(peer, "Lagre kontakten")
        assert peer.get_by_text("Kontakten ble registrert.").is_visible()
    peer.goto(f"{live_server.url}/likepersoner/{personas.peer.pk}/innsjekk/")
    peer.locator('input[name="workload"][value="too_much"]').check()
    peer.locator('input[name="boundaries"][value="1"]').check()
    peer.locator('input[name="own_recovery"][value="1"]').check()
    click(peer, "Send innsjekk")

    # The coordinator's home shows both, worded as support.
    coordinator = phone_page()
    login(coordinator, personas.coordinator)
    signals = coordinator.locator("#peer-signals")
    assert "Likepersoner som kan trenge støtte" in signals.inner_text()
    text = signals.inner_text()
    assert "26 timer ført denne uka mot 3,75" in text
    assert "arbeidsmengden er for stor" in text and "det er tungt å sette grenser" in text
    # And as badges on the peer list.
    coordinator.goto(f"{live_server.url}/likepersoner/")
    row = coordinator.locator("tr", has_text="Per Likeperson")
    assert "mange timer denne uka" in row.inner_text()
    assert "innsjekk: det er tungt" in row.inner_text()

    # Pausing her with no cover yet: Dag is flagged at once on the home page.
    coordinator.goto(f"{live_server.url}/likepersoner/{personas.peer.pk}/")
    click(coordinator, "Pause med dekning", role="link")
    coordinator.get_by_label("Hvorfor").select_option("own_recovery")
    coordinator.get_by_label("Fra").fill("2027-03-04")
    coordinator.get_by_label("Ventet tilbake").fill("2027-03-01")
    click(coordinator, "Start pausen")
    assert coordinator.get_by_text("Pausen kan ikke slutte før den begynner.").is_visible()
    coordinator.get_by_label("Ventet tilbake").fill("2027-03-25")
    click(coordinator, "Start pausen")
    assert coordinator.get_by_text("Pausen er registrert.").is_visible()
    click(coordinator, "Ettervern", role="link")
    assert (
        "Dag Deltaker trenger en annen likeperson mens Per Likeperson har pause"
        in coordinator.locator("#peer-signals").inner_text()
    )
    pause = PeerPause.objects.get()
    coordinator.goto(f"{live_server.url}/matching/pause/{pause.pk}/")
    coordinator.get_by_label("Hvem dekker for Dag Deltaker").select_option(
        str(personas.other_peer.pk)
    )
    click(coordinator, "Lagre dekningen")
    assert coordinator.get_by_text("Dekningen er lagret.").is_visible()

    # The cover peer finds Dag on her home page and logs a contact.
    cover = phone_page()
    login(cover, personas.other_peer_user)
    assert "Du dekker for en kollega" in cover.content()
    click(cover, "Før kontakt", role="link")
    cover.get_by_label("Varighet (minutter)").fill("45")
    click(cover, "Lagre kontakten")
    assert cover.get_by_text("Kontakten ble registrert.").is_visible()
    assert Contact.objects.filter(peer=personas.other_peer, participant=dag).count() == 1
    cover.goto(participant_url)
    assert cover.get_by_role("heading", name="Dag Deltaker").first.is_visible()
    shots = os.environ.get("ETTERVERN_SCREENSHOTS")  # a folder, to look at the pages
    if shots:
        cover.screenshot(path=f"{shots}/signals-cover-390.png", full_page=True)
        coordinator.goto(live_server.url)
        coordinator.screenshot(path=f"{shots}/signals-home-390.png", full_page=True)
