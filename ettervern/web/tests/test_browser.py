"""The shell in a real browser: Debian's Chromium against the live server."""

import pytest

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
