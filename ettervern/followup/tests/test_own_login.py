"""The participant's own login: her agreement (confirmed by herself), goals and planned meetings,
never notes and nothing about other people."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_participant
from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import agreement_save, contact_log
from ettervern.participants import services as pservices
from ettervern.web.tests.home import home_page

pytestmark = pytest.mark.django_db

NOTE_MARKERS = ("MARKER-CONTACT-NOTE", "MARKER-PLANNED-NOTE", "MARKER-GOAL-NOTE")


@pytest.fixture
def own_case(personas):
    """Dag's case with an agreement, a held and a planned contact (both with notes), a goal
    with a progress note, and another participant in the same programme."""
    goal = pservices.goal_create(
        actor=personas.peer_user,
        participant=personas.participant,
        life_area="housing",
        description="Egen leilighet",
    )
    pservices.goal_update(
        actor=personas.peer_user, goal=goal, status="active", note="MARKER-GOAL-NOTE"
    )
    agreement = agreement_save(
        actor=personas.peer_user,
        match=personas.match,
        goals=[goal],
        contact_kinds=["conversation"],
        rhythm="Hver onsdag",
        review_on=timezone.localdate() + dt.timedelta(days=60),
    )
    now = timezone.now()
    contact_log(
        actor=personas.peer_user,
        match=personas.match,
        kind="walk_and_talk",
        occurred_at=now - dt.timedelta(days=2),
        note="MARKER-CONTACT-NOTE",
    )
    contact_log(
        actor=personas.peer_user,
        match=personas.match,
        kind="accompany_nav",
        occurred_at=now + dt.timedelta(days=3),
        outcome=Contact.Outcome.PLANNED,
        note="MARKER-PLANNED-NOTE",
    )
    other = make_participant(personas.programme_a, "Olav Annenperson")
    return agreement, other


def _pages(client, personas) -> list[str]:
    urls = [
        reverse("web:home"),
        reverse("participants:detail", kwargs={"participant_id": personas.participant.pk}),
        reverse("audit:own_record"),
    ]
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(unescape(response.content.decode()))
    return pages


def test_own_home_shows_agreement_goals_and_planned_meetings(client, personas, own_case):
    client.force_login(personas.participant_user)
    home = _pages(client, personas)[0]
    assert "Min avtale" in home and "Hver onsdag" in home
    assert 'id="own-agreement-confirm"' in home
    assert "Egen leilighet" in home
    planned = home.split('id="own-planned"')[1].split("</ul>")[0]
    with translation.override("nb"):
        kind = str(Contact.Kind.ACCOMPANY_NAV.label)
    assert kind in planned and "60 min" in planned and "Per Likeperson" in planned
    # The held contact is not a planned meeting.
    assert planned.count("<li>") == 1


def test_participant_never_sees_notes_or_other_people(client, personas, own_case):
    client.force_login(personas.participant_user)
    for page in _pages(client, personas):
        for marker in NOTE_MARKERS:
            assert marker not in page
        assert "Olav Annenperson" not in page
        assert "Vera Venter" not in page


def test_participant_confirms_her_own_agreement_from_home(client, personas, own_case):
    agreement, _other = own_case
    client.force_login(personas.participant_user)
    url = reverse("followup:agreement_confirm", kwargs={"participant_id": personas.participant.pk})
    response = client.post(
        url, {"party": "participant", "version": agreement.version, "next": "home"}
    )
    assert response.status_code == 302 and response.url == reverse("web:home")
    agreement.refresh_from_db()
    assert agreement.participant_confirmed_at is not None
    assert agreement.participant_confirm_method == Agreement.ConfirmMethod.OWN_LOGIN
    home = unescape(home_page(client).content.decode())
    assert 'id="own-agreement-confirmed"' in home
    assert 'id="own-agreement-confirm"' not in home


def test_participant_cannot_confirm_as_the_peer(client, personas, own_case):
    agreement, _other = own_case
    client.force_login(personas.participant_user)
    url = reverse("followup:agreement_confirm", kwargs={"participant_id": personas.participant.pk})
    client.post(url, {"party": "peer", "version": agreement.version})
    agreement.refresh_from_db()
    assert agreement.peer_confirmed_at is None


def test_participant_cannot_open_another_participants_page(client, personas, own_case):
    _agreement, other = own_case
    client.force_login(personas.participant_user)
    url = reverse("participants:detail", kwargs={"participant_id": other.pk})
    assert client.get(url).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_participant_confirms_her_own_agreement_on_a_phone(page, live_server, login, personas):
    agreement = agreement_save(
        actor=personas.peer_user,
        match=personas.match,
        goals=[],
        contact_kinds=["conversation"],
        rhythm="Hver onsdag",
        review_on=timezone.localdate() + dt.timedelta(days=60),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(5000)
    login(page, personas.participant_user)
    page.goto(f"{live_server.url}/")
    card = page.locator("#own-agreement")
    assert "Hver onsdag" in card.inner_text()
    button = page.get_by_role("button", name="Jeg bekrefter avtalen")
    # On a phone the button fits the screen: nothing to scroll sideways to reach it.
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    button.click()
    page.wait_for_load_state()
    assert page.locator("#own-agreement-confirmed").is_visible()
    agreement.refresh_from_db()
    assert agreement.participant_confirm_method == Agreement.ConfirmMethod.OWN_LOGIN
    assert "MARKER" not in page.content()
