"""On a phone (390 px) in Chromium: the coordinator adds a film night, sets a volunteer to help
and signs a participant up; at the film night the volunteer records attendance with a tap, and
reaches nothing of anyone's follow-up."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from ettervern.arenas.models import Event, SignUp
from ettervern.arenas.selectors import attendance_summary
from ettervern.arenas.tests.conftest import NOW
from ettervern.arenas.tests.factories import make_volunteer
from ettervern.participants.selectors import timeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def clock(db):
    """A fixed start, moving on (the browser and the live server need time to pass)."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


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


def test_film_night_from_creation_to_attendance(
    phone_page, live_server, login, personas, clock, tmp_path
):
    volunteer = make_volunteer("frivillig@a.test", "Frida Frivillig", personas.programme_a)
    film_day = dt.date(2026, 12, 10)  # next Thursday

    coordinator = phone_page()
    login(coordinator, personas.coordinator)
    coordinator.goto(f"{live_server.url}/arrangementer/")
    coordinator.get_by_role("link", name="Nytt arrangement").click()
    coordinator.get_by_label("Tittel").fill("Filmkveld")
    coordinator.get_by_label("Type").select_option("film")
    coordinator.get_by_label("Sted").fill("Kafeen, Nygårdsgaten 3")
    coordinator.get_by_label("Dato").fill(film_day.isoformat())
    coordinator.get_by_label("Starter").fill("18:00")
    coordinator.get_by_label("Slutter").fill("21:00")
    coordinator.get_by_label("Plasser").fill("0")
    coordinator.get_by_label("For hvem").select_option("everyone")
    coordinator.get_by_role("button", name="Lagre").click()
    assert coordinator.get_by_text("Antall plasser må være minst 1.").is_visible()
    assert not Event.objects.exists()
    coordinator.get_by_label("Plasser").fill("20")
    coordinator.get_by_role("button", name="Lagre").click()
    assert coordinator.get_by_text("Arrangementet er lagt til.").is_visible()
    event = Event.objects.get()

    coordinator.locator("#id_user").select_option(label="Frida Frivillig")
    coordinator.get_by_role("button", name="Legg til hjelperen").click()
    coordinator.locator("#id_participant").select_option(label="Dag Deltaker")
    coordinator.get_by_role("button", name="Meld på deltakeren").click()
    assert coordinator.get_by_text("Påmeldt.", exact=True).is_visible()
    coordinator.screenshot(path=tmp_path / "event.png", full_page=True)

    # The evening of the film night.
    clock.move_to(timezone.make_aware(dt.datetime.combine(film_day, dt.time(17, 50))))
    phone = phone_page()
    login(phone, volunteer)
    phone.get_by_role("link", name="Registrer oppmøte").click()
    row = phone.get_by_role("button", name="Dag Deltaker")
    row.click()
    expect(phone.get_by_role("button", name="Dag Deltaker")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(phone.get_by_text("Kom", exact=True)).to_be_visible()
    phone.screenshot(path=tmp_path / "attendance.png", full_page=True)
    assert SignUp.objects.get(event=event).attended

    # Nothing else: no participant, peer or follow-up page, and only their events in the menu.
    menu = phone.get_by_role("navigation", name="Hovedmeny").inner_text()
    assert "Mine arrangementer" in menu and "Deltakere" not in menu
    for path in (
        "/deltakere/",
        f"/deltakere/{personas.participant.pk}/",
        "/likepersoner/",
        "/oppfolging/",
    ):
        response = phone.goto(f"{live_server.url}{path}")
        assert response.status in (403, 404), path

    # The attendance is social activity on Dag's timeline and counts in the month's figures.
    assert any("Filmkveld" in row["text"] for row in timeline(personas.participant))
    summary = attendance_summary(
        programme=personas.programme_a, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    assert summary["events_held"] == 1 and summary["attendances"]["participant"] == 1
