"""The peer worker's way in Chromium: course → resource base → time budget → group supervision."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from conftest import TEST_PASSWORD, make_participant
from ettervern.followup.models import Contact
from ettervern.matching.services import match_create
from ettervern.peers.models import Candidate, PeerWorker
from ettervern.peers.tests.conftest import attended

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log(match, at, minutes, outcome):
    Contact.objects.create(
        organisation_id=match.organisation_id,
        programme_id=match.programme_id,
        match=match,
        participant_id=match.participant_id,
        peer_id=match.peer_id,
        occurred_at=at,
        duration_minutes=minutes,
        kind="conversation",
        outcome=outcome,
    )


def test_candidate_becomes_peer_and_time_budget_and_group_supervision_work(
    page, live_server, login, personas
):
    today = timezone.localdate()
    login(page, personas.coordinator)

    # A course and a candidate in it.
    page.goto(f"{live_server.url}/likepersoner/kandidater/")
    page.fill("#id_course-name", "Høstkurset")
    page.fill("#id_course-starts_on", (today - dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Opprett kurs").click()
    assert page.get_by_role("heading", name="Høstkurset").is_visible()
    page.goto(f"{live_server.url}/likepersoner/kandidater/")
    page.fill("#id_name", "Siri Sand")
    page.select_option("#id_heard_via", "treatment")
    page.get_by_label("Egen rusbruk").check()
    page.select_option("#id_course", label="Høstkurset")
    page.get_by_role("button", name="Legg til kandidat").click()
    assert page.get_by_role("heading", name="Siri Sand").is_visible()

    # One session, attended (the attendance grid is the course page's).
    candidate = Candidate.objects.get(name="Siri Sand")
    attended(personas.coordinator, candidate, today - dt.timedelta(days=1))

    # A completion before the course started is refused in Norwegian; then it is recorded.
    page.fill("#id_completed_on", (today - dt.timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Før inn fullført kurs").click()
    assert page.get_by_text("Kurset kan ikke være fullført før det startet.").is_visible()
    page.fill("#id_completed_on", today.isoformat())
    page.get_by_role("button", name="Før inn fullført kurs").click()
    page.fill("#id_email", "siri@sand.test")
    page.get_by_role("button", name="Ta opp i ressursbasen").click()
    assert page.get_by_role("heading", name="Siri Sand").is_visible()
    assert page.get_by_text("Aktiv i ressursbasen").first.is_visible()
    peer = PeerWorker.objects.get(user__email="siri@sand.test")

    # Matched (the matching app's service) and contacts logged this week.
    week_start = today - dt.timedelta(days=today.weekday())
    started = week_start - dt.timedelta(days=14)
    with time_machine.travel(timezone.now() - dt.timedelta(days=40)):  # referred before that
        referred = make_participant(personas.programme_a, "Nora Nyhenvist", gender="female")
    match = match_create(
        actor=personas.coordinator, participant=referred, peer=peer, started_on=started
    )
    tz = timezone.get_current_timezone()
    month_start = today.replace(day=1)
    day = max(week_start, month_start)  # in this week and this month, whatever today is
    at = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
    _log(match, at, 90, "held")
    _log(match, at.replace(hour=19), 30, "held")  # evening: out of hours
    _log(match, at.replace(hour=12), 60, "cancelled")  # not hours
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    days = (month_end - max(month_start, started)).days + 1
    month_allotted = f"{days * 3.75 / 7:.2f}".replace(".", ",")

    page.goto(f"{live_server.url}/likepersoner/{peer.pk}/")
    assert page.get_by_test_id("week-hours").inner_text() == "2,00 av 3,75 timer"
    assert page.get_by_test_id("month-hours").inner_text() == f"2,00 av {month_allotted} timer"
    page.get_by_role("link", name="Timebudsjett").click()
    week_row = page.locator("#budget-weeks ~ .table-wrap tbody tr").first
    assert ("25 %" if day.weekday() < 5 else "100 %") in week_row.inner_text()
    assert week_row.locator("td").nth(4).inner_text() == "1"  # cancelled

    # The monthly group supervision warning, until one is held.
    page.goto(f"{live_server.url}/")
    warning = page.get_by_test_id("group-warning")
    expect(warning).to_be_visible()  # in a panel fetched after the page
    warning.get_by_role("link", name="Planlegg en fellesveiledning").click()
    page.fill("#id_theme", "Grenser og egen bedring")
    page.fill("#id_guest_speaker", "Gatejuristen")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_label("Siri Sand").check()
    page.get_by_role("button", name="Lagre oppmøte").click()
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Velkommen, Kari Koordinator").is_visible()
    expect(page.locator("[data-deferred]")).to_have_count(0)  # every panel has come
    assert page.get_by_test_id("group-warning").count() == 0
    assert list(peer.group_supervisions.values_list("theme", flat=True)) == [
        "Grenser og egen bedring"
    ]

    # The new peer sets a password and sees their own hours.
    peer.user.set_password(TEST_PASSWORD)
    peer.user.save()
    page.context.clear_cookies()
    login(page, peer.user)
    assert page.get_by_role("heading", name="Mitt arbeid").is_visible()
    assert "2,00 av 3,75 timer" in page.content()
