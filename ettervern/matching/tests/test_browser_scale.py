"""A coordinator on a phone (390 px) with many peers: the peer list is searched and paged, the
"why not" picker is a search that fetches a few names, and the answer comes for a peer found
by searching; a peer recorded through the UI shows up in the search."""

import pytest
from playwright.sync_api import expect

from conftest import make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.matching.forms import PEER_OPTIONS_SHOWN


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_searches_peers_on_a_phone(browser, live_server, login, personas):
    for i in range(60):
        user = make_user(f"mange{i}@a.test", f"Mange Likeperson {i:02d}")
        member(user, personas.programme_a, Role.PEER_WORKER)
        make_peer(user, personas.programme_a)
    context = browser.new_context(
        locale="nb-NO", timezone_id="Europe/Oslo", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        login(page, personas.coordinator)
        page.goto(f"{live_server.url}/likepersoner/")
        expect(page.get_by_role("link", name="Neste side")).to_be_visible()
        page.locator("#f-q").fill("olga")
        expect(page.locator("#peer-table tbody tr")).to_have_count(1)
        expect(page.get_by_role("link", name="Olga Likeperson")).to_be_visible()

        page.goto(f"{live_server.url}/deltakere/{personas.waiting.pk}/")
        options = page.locator("#why-not-peer option")
        assert options.count() <= PEER_OPTIONS_SHOWN + 1
        page.locator("#why-not-peer-search").fill("Per Like")
        expect(page.locator("#why-not-peer option", has_text="Per Likeperson")).to_have_count(1)
        expect(options).to_have_count(2)  # "—" and the one found
        page.locator("#why-not-peer").select_option(label="Per Likeperson")
        page.get_by_role("button", name="Forklar").click()
        expect(page.locator("#why-not-result")).to_contain_text("Per Likeperson")
    finally:
        context.close()
