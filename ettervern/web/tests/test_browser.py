"""The shell in a real browser: Debian's Chromium against the live server."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_sees_participant_list(page, live_server, login, personas):
    login(page, personas.coordinator)
    assert page.get_by_role("heading", name="Velkommen, Kari Koordinator").is_visible()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Deltakere").click()
    page.wait_for_url(f"{live_server.url}/deltakere/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Dag Deltaker" in rows.nth(0).inner_text()
    assert "Bendik Deltaker" not in page.content()
    page.get_by_role("link", name="Dag Deltaker").click()
    assert page.get_by_role("heading", name="Dag Deltaker").is_visible()


def test_peer_on_a_phone_sees_only_own_participant(page, live_server, login, personas):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, personas.peer_user)
    assert page.get_by_role("heading", name="Mine deltakere").is_visible()
    assert page.get_by_role("link", name="Dag Deltaker").is_visible()
    assert "Vera Venter" not in page.content()
    page.goto(f"{live_server.url}/deltakere/{personas.waiting.pk}/")
    assert page.get_by_role("heading", name="Fant ikke siden").is_visible()


def test_wrong_password_shows_norwegian_error(page, live_server, login, personas):
    login(page, personas.coordinator, password="feil-passord-123")
    assert page.get_by_text("E-postadressen og/eller passordet du oppgav er feil.").is_visible()


def test_coordinator_home_on_a_phone_fills_in_its_panels(page, live_server, login, personas):
    page.set_viewport_size({"width": 390, "height": 844})
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    login(page, personas.coordinator)
    expect(page.locator("[data-deferred]")).to_have_count(0)  # each panel fetched and swapped in
    expect(page.get_by_role("heading", name="Trenger oppfølging")).to_have_count(1)
    expect(page.get_by_role("heading", name="Likepersoner som kan trenge støtte")).to_have_count(1)
    assert "Henter …" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert failed == []  # neither the page nor any of its panels failed


def test_without_javascript_a_deferred_panel_is_a_link(browser, live_server, login, personas):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, personas.coordinator)
    page.get_by_role("link", name="Vis Trenger oppfølging").click()
    page.wait_for_url(f"{live_server.url}/hjem/oppmerksomhet/")
    expect(page.get_by_role("heading", name="Trenger oppfølging")).to_be_visible()
    expect(page.get_by_role("link", name="Tilbake til forsiden")).to_be_visible()
    context.close()


def test_a_panel_that_cannot_be_fetched_says_so(page, live_server, login, personas):
    page.route("**/hjem/signaler/", lambda route: route.fulfill(status=500, body=""))
    login(page, personas.coordinator)
    panel = page.locator('[data-deferred="signaler"]')
    expect(panel).to_contain_text("Dette kunne ikke hentes akkurat nå.")
    expect(page.locator('[data-deferred="oppmerksomhet"]')).to_have_count(0)  # the others came
    page.unroute("**/hjem/signaler/")
    panel.get_by_role("link", name="Åpne det på en egen side").click()
    page.wait_for_url(f"{live_server.url}/hjem/signaler/")
    expect(page.get_by_role("heading", name="Likepersoner som kan trenge støtte")).to_be_visible()
