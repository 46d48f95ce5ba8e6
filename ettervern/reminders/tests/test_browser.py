"""On a phone (390 px): a peer turns the digest on, picks the hour and gets her calendar
address, which a calendar client can read; a coordinator reads the recruitment radar."""

import urllib.request

import pytest
import vobject
from playwright.sync_api import expect

from conftest import make_participant
from ettervern.participants.services import wish_add
from ettervern.reminders.models import ReminderSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")
    page = context.new_page()
    page.set_default_timeout(5000)
    yield page
    context.close()


def _fits(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def test_peer_turns_the_digest_on_and_gets_a_calendar_address(
    phone, live_server, login, personas, settings
):
    settings.ETTERVERN_SITE_URL = live_server.url
    login(phone, personas.peer_user)
    phone.goto(f"{live_server.url}/varsler/")
    _fits(phone)
    phone.get_by_label("Send meg en daglig oppsummering på e-post").check()
    phone.get_by_label("Klokkeslett").select_option("6")
    phone.get_by_role("button", name="Lagre").click()
    expect(phone.get_by_text("Påminnelsesinnstillingene dine er lagret.")).to_be_visible()
    row = ReminderSettings.objects.get(user=personas.peer_user)
    assert (row.digest_enabled, row.digest_hour) == (True, 6)

    phone.get_by_role("button", name="Få en kalenderadresse").click()
    address = phone.get_by_label("Kalenderadressen din (vises bare denne ene gangen)")
    link = address.input_value()
    assert link.startswith(f"{live_server.url}/varsler/kalender/") and link.endswith(".ics")
    subscribe = phone.get_by_role("link", name="Abonner i kalenderen på denne telefonen")
    assert subscribe.get_attribute("href") == "webcal:" + link.split(":", 1)[1]
    _fits(phone)
    # A calendar client, without the browser's login, reads it.
    with urllib.request.urlopen(link) as response:  # noqa: S310 (the live server)
        calendar = vobject.readOne(response.read().decode())
    assert calendar.prodid.value.startswith("-//Ettervern")

    phone.get_by_role("button", name="Stopp adressen").click()
    expect(phone.get_by_text("Kalenderadressen virker ikke lenger.")).to_be_visible()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(link)  # noqa: S310
    assert refused.value.code == 404


def test_coordinator_reads_the_radar_on_a_phone(phone, live_server, login, personas):
    for i in range(3):
        p = make_participant(personas.programme_a, f"Lise Lar{i}", gender="female")
        wish_add(actor=None, participant=p, kind="gender", value="female", must=True)
        wish_add(actor=None, participant=p, kind="treatment_path", value="lar", must=True)
    login(phone, personas.coordinator)
    phone.goto(f"{live_server.url}/matching/plan/")
    card = phone.locator(".radar-card")
    expect(card).to_contain_text("3 venter på en likeperson: kvinne, erfaring med LAR")
    card.get_by_role("link", name="Se hele radaren").click()
    expect(phone.get_by_role("heading", name="Rekrutteringsradar")).to_be_visible()
    expect(phone.get_by_text("ingen ledige i ressursbasen").first).to_be_visible()
    expect(
        phone.get_by_text("Med én slik likeperson til får 2 flere en likeperson.").first
    ).to_be_visible()
    _fits(phone)
