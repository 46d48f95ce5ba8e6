"""The whole participant journey in Chromium: referrer, coordinator, and a peer on a phone."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.followup.models import Agreement, Contact
from ettervern.participants.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def click(page, name, role="button"):
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


@pytest.fixture
def phone_page(browser):
    """Open pages in their own phone-sized browser contexts (own cookies), closed afterwards."""
    contexts = []

    def new():
        context = browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        return page

    yield new
    for context in contexts:
        context.close()


def test_referral_to_end_of_follow_up(page, phone_page, live_server, login, personas):

    # A referrer sends the short referral form.
    page.set_default_timeout(5000)
    referrer = phone_page()
    login(referrer, personas.referrer)
    click(referrer, "Ny henvisning", role="link")
    referrer.get_by_label("Navn:", exact=True).fill("Nina Ny")
    referrer.get_by_label("Fødselsår").fill("1991")
    referrer.get_by_label("Du henviser fra").select_option("prison")
    referrer.get_by_label("Overgang:", exact=True).select_option("release")
    release = timezone.localdate() + dt.timedelta(days=30)
    referrer.get_by_label("Dato for overgangen").fill(release.isoformat())
    referrer.get_by_label("Hva personen ønsker hjelp til").fill("Bolig og noen å snakke med")
    click(referrer, "Send henvisning")
    assert referrer.get_by_text("Takk. Henvisningen er sendt.").is_visible()
    assert "Status ikke delt" in referrer.locator("#my-referrals").inner_text()

    # The coordinator: intake, consents, goal, wish, waiting list, match.
    login(page, personas.coordinator)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Henvisninger"
    ).click()
    click(page, "Nina Ny", role="link")
    assert page.locator("#status").inner_text() == "Henvist"
    click(page, "Flytt til «Inntak»")
    for purpose in ("Oppfølging fra tjenesten", "Deling av status med henviser eller NAV"):
        click(page, f"Samtykke: {purpose}", role="link")
        click(page, "Lagre")
    assert page.get_by_text("Samtykket ble registrert.").is_visible()
    click(page, "Legg til mål", role="link")
    page.get_by_label("Livsområde").select_option("housing")
    page.get_by_label("Mål, med deltakerens egne ord").fill("Egen leilighet innen sommeren")
    click(page, "Lagre")
    click(page, "Legg til ønske", role="link")
    page.get_by_label("Ønske:", exact=True).select_option("gender:female")
    page.get_by_label("Må (ellers: ønsker)").check()
    click(page, "Lagre")
    click(page, "Flytt til «Venter»")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Venteliste").click()
    row = page.locator("tr", has_text="Nina Ny")
    assert "0 dager" in row.inner_text()
    row.get_by_role("link", name="Koble").click()
    page.get_by_label("Likeperson").select_option(str(personas.peer.pk))
    click(page, "Lagre")
    assert page.locator("#status").inner_text() == "Koblet"
    nina = Participant.objects.get(name="Nina Ny")

    # The peer worker, on a phone: agreement confirmed by both, then contacts.
    peer = phone_page()
    login(peer, personas.peer_user)
    assert peer.get_by_role("link", name="Nina Ny", exact=True).is_visible()
    click(peer, "Nina Ny", role="link")
    click(peer, "Lag avtalen", role="link")
    peer.get_by_label("Egen leilighet innen sommeren").check()
    peer.get_by_label("Telefon", exact=True).check()
    peer.get_by_label("Ute / tur").check()
    peer.get_by_label("Hyppighet").fill("Hver uke, telefon på mandager")
    peer.get_by_label("Tilgjengelighet og grenser").fill("Ikke etter kl. 22")
    click(peer, "Lagre")
    click(peer, "Jeg bekrefter (likeperson)")
    click(peer, "Deltakeren bekrefter her")
    assert "Bekreftet" in peer.locator("#confirm-peer").inner_text()
    assert "likepersonens telefon" in peer.locator("#confirm-participant").inner_text()
    started = time.monotonic()
    click(peer, "Registrer kontakt", role="link")
    peer.get_by_label("Type:", exact=True).select_option("walk_and_talk")
    peer.get_by_label("Notat (bare du og koordinatoren ser det)").fill("Tur på Fløyen")
    click(peer, "Lagre kontakten")
    assert time.monotonic() - started < 30
    assert peer.get_by_text("Kontakten ble registrert.").is_visible()
    click(peer, "Registrer kontakt", role="link")
    peer.get_by_label("Type:", exact=True).select_option("phone")
    peer.get_by_label("Varighet (minutter)").fill("2000")
    click(peer, "Lagre kontakten")
    assert peer.get_by_text("En kontakt kan ikke vare mer enn 24 timer.").is_visible()
    peer.get_by_label("Varighet (minutter)").fill("15")
    click(peer, "Lagre kontakten")
    assert "Tur på Fløyen" in peer.locator("#contacts").inner_text()
    assert Contact.objects.filter(participant=nina).count() == 2
    agreement = Agreement.objects.get(participant=nina)
    assert agreement.confirmed_by_both

    # The coordinator pauses (relapse), resumes with the same peer, and ends the follow-up.
    page.reload()
    click(page, "Sett på pause", role="link")
    page.get_by_label("Tilbakefall").check()
    click(page, "Lagre")
    assert page.locator("#status").inner_text() == "Pause"
    click(page, "Gjenoppta med samme likeperson")
    assert page.locator("#status").inner_text() == "Koblet"
    click(page, "Avslutt oppfølgingen", role="link")
    page.get_by_label("Målene er nådd").check()
    page.get_by_label("Kort oppsummering").fill("Bor i egen leilighet, har jobb.")
    page.get_by_label("Kan komme tilbake").check()
    click(page, "Lagre")
    assert page.locator("#status").inner_text() == "Avsluttet"
    timeline = page.locator("#timeline").inner_text()
    for text in ("Henvisning mottatt", "Koblet → Pause", "Pause → Koblet", "Oppfølgingsavtale"):
        assert text in timeline
    assert "Tur på Fløyen" in page.content()  # the coordinator sees notes

    # The referrer sees the status, because the participant consented to sharing it.
    referrer.reload()
    assert "Avsluttet" in referrer.locator("#my-referrals").inner_text()
    # The peer's record view was audited, and so was every write.
    assert AuditEvent.objects.filter(
        participant=nina, actor=personas.peer_user, action="read"
    ).exists()
    assert AuditEvent.objects.filter(participant=nina, data__event="contact_logged").count() == 2
