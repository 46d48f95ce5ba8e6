"""In Chromium at phone width: the admin invites a coordinator, who opens the link from the
mail, chooses a password and lands logged in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ettervern.accounts.models import Membership, Role

PHONE = {"width": 375, "height": 740}
PASSWORD = "Et-langt-og-godt-passord-77"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_invites_a_coordinator_who_sets_a_password_on_a_phone(
    browser, live_server, login, personas, settings
):
    settings.ETTERVERN_SITE_URL = live_server.url
    contexts = [
        browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo", viewport=PHONE)
        for _ in range(2)
    ]
    try:
        admin, invited = (context.new_page() for context in contexts)
        login(admin, personas.admin)
        admin.get_by_role("link", name="Inviter en person").click()
        admin.get_by_label("Navn").fill("Nina Ny")
        admin.get_by_label("E-post").fill("nina@a.test")
        admin.get_by_label("Tiltak").select_option(str(personas.programme_a.pk))
        admin.get_by_label("Rolle").select_option(Role.COORDINATOR)
        admin.get_by_role("button", name="Send invitasjonen").click()
        expect(admin.get_by_text("En invitasjon er sendt til nina@a.test.")).to_be_visible()

        [message] = mail.outbox
        link = re.search(rf"{re.escape(live_server.url)}/invitasjon/[\w-]+/", message.body)[0]
        invited.goto(link)
        expect(invited.get_by_role("heading", name="Velkommen, Nina Ny")).to_be_visible()
        invited.locator("#id_password1").fill(PASSWORD)
        invited.locator("#id_password2").fill(PASSWORD)
        invited.get_by_role("button", name="Lagre passord og logg inn").click()
        expect(invited.get_by_text("Velkommen til Ettervern.")).to_be_visible()
        expect(invited.get_by_role("button", name="Logg ut")).to_be_visible()
        assert invited.url == f"{live_server.url}/"
        assert Membership.objects.get(user__email="nina@a.test").role == Role.COORDINATOR
        # The link works once.
        invited.goto(link)
        expect(invited.get_by_text("Invitasjonslenken er allerede brukt")).to_be_visible()
    finally:
        # Close the keep-alive connections while the live server still runs.
        for context in contexts:
            context.close()
