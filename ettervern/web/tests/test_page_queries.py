"""Every main page runs the same number of queries however much data there is: measured at two
sizes, with participants released soon, long waits, peers far over their time budget, group
supervisions with attendees, referrals and placements present (see benchmarks/pages.py for
the times at national scale)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_match, make_participant, make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.audit.models import AuditEvent
from ettervern.employment.tests.factories import _company, _placement
from ettervern.followup.models import Contact
from ettervern.participants.models import Participant
from ettervern.peers.models import Candidate, GroupSupervision, PeerWorker
from ettervern.web.tests.home import home_page


def _grow(p, count: int, start: int) -> None:
    """``count`` more of everything the pages list."""
    today = timezone.localdate()
    company, contact = _company(p.programme_a, f"Bedrift {start}", "construction")
    session = GroupSupervision.objects.create(
        organisation=p.org_a, programme=p.programme_a, held_on=today, theme="Grenser"
    )
    for i in range(start, start + count):
        make_participant(
            p.programme_a,
            f"Snart Løslatt {i}",
            transition="release",
            transition_date=today + dt.timedelta(days=1 + i % 10),
            phone=f"4{i:07d}",
        )
        waiting = make_participant(p.programme_a, f"Lenge Venter {i}")
        Participant.objects.filter(pk=waiting.pk).update(
            status_since=timezone.now() - dt.timedelta(days=200)
        )
        user = make_user(f"travel{i}@a.test", f"Travel Likeperson {i}")
        member(user, p.programme_a, Role.PEER_WORKER)
        peer = make_peer(user, p.programme_a, max_participants=3)
        session.attendees.add(peer)
        with time_machine.travel(timezone.now() - dt.timedelta(days=70)):
            followed = make_participant(p.programme_a, f"Fulgt Opp {i}")
            match = make_match(followed, peer)
        # Ten hours a week held for the last six weeks: far over any budget.
        Contact.objects.bulk_create(
            Contact(
                organisation=p.org_a,
                programme=p.programme_a,
                match=match,
                participant=followed,
                peer=peer,
                kind="conversation",
                occurred_at=timezone.now() - dt.timedelta(days=3 + 7 * week),
                duration_minutes=600,
            )
            for week in range(6)
        )
        _placement(followed, company, contact, peer)
        Candidate.objects.create(
            organisation=p.org_a, programme=p.programme_a, name=f"Kandidat {i}", heard_via="nav"
        )


def _why_not(p, peer_name: str) -> str:
    peer = PeerWorker.objects.get(programme=p.programme_a, user__name=peer_name)
    return reverse("matching:why_not", args=[p.waiting.pk]) + f"?peer={peer.pk}"


def _panel(key: str) -> str:
    return reverse("web:panel", args=[key])


def _pages(p) -> dict[str, tuple]:
    return {
        "home (coordinator)": (p.coordinator, "/"),
        "home (coordinator), attention": (p.coordinator, _panel("oppmerksomhet")),
        "home (coordinator), peer signals": (p.coordinator, _panel("signaler")),
        "home (coordinator), peers needing you": (p.coordinator, _panel("likepersoner")),
        "peer list": (p.coordinator, reverse("peers:list")),
        "peer list, over budget": (p.coordinator, reverse("peers:list") + "?balance=over"),
        "peer list, by hours": (p.coordinator, reverse("peers:list") + "?sort=-hours"),
        "group supervision": (p.coordinator, reverse("peers:group_supervisions")),
        "referrals": (p.coordinator, reverse("participants:referrals")),
        "participants": (p.coordinator, reverse("participants:list")),
        "waiting list": (p.coordinator, reverse("participants:waiting_list")),
        "placements": (p.coordinator, reverse("employment:list")),
        "placements, searched": (p.coordinator, reverse("employment:list") + "?q=Fulgt"),
        "placements, page 2": (p.coordinator, reverse("employment:list") + "?side=2"),
        "companies": (p.coordinator, reverse("employment:company_list")),
        "candidates": (p.coordinator, reverse("peers:candidates")),
        "candidates, searched": (p.coordinator, reverse("peers:candidates") + "?q=kandidat"),
        "participants, searched": (p.coordinator, reverse("participants:list") + "?q=venter"),
        "waiting list, searched": (
            p.coordinator,
            reverse("participants:waiting_list") + "?q=venter",
        ),
        "audit log": (p.coordinator, reverse("audit:list")),
        "audit log, older": (
            p.coordinator,
            reverse("audit:list") + f"?eldre={AuditEvent.objects.order_by('-pk')[0].pk}",
        ),
        "audit log, reads": (p.coordinator, reverse("audit:list") + "?action=read"),
        "participant (waiting)": (
            p.coordinator,
            reverse("participants:detail", args=[p.waiting.pk]),
        ),
        "why not": (p.coordinator, reverse("matching:why_not", args=[p.waiting.pk])),
        # An eligible peer is ranked among the candidates; a full one is explained alone.
        "why not, eligible peer": (p.coordinator, _why_not(p, "Travel Likeperson 0")),
        "why not, full peer": (p.coordinator, _why_not(p, "Full Likeperson")),
        "matching plan": (p.coordinator, reverse("matching:plan")),
        "matching plan, computed": (p.coordinator, reverse("matching:plan_result")),
        "recruitment radar": (p.coordinator, reverse("radar:radar")),
        "recruitment radar, computed": (p.coordinator, reverse("radar:result")),
        "recruitment radar card": (p.coordinator, reverse("radar:card")),
        "home (peer)": (p.peer_user, "/"),
        "peer page": (p.peer_user, reverse("peers:detail", args=[p.peer.pk])),
    }


def _count(client, user, url) -> int:
    client.force_login(user)
    # A deferred home panel is counted as htmx fetches it.
    headers = {"HX-Request": "true"} if url.startswith("/hjem/") else {}
    client.get(url, headers=headers)  # warm the session and per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.django_db
def test_every_main_page_takes_the_same_number_of_queries_at_two_sizes(client, personas):
    full = make_user("full@a.test", "Full Likeperson")
    member(full, personas.programme_a, Role.PEER_WORKER)
    make_peer(full, personas.programme_a, max_participants=0)
    _grow(personas, 2, start=0)
    small = {name: _count(client, *page) for name, page in _pages(personas).items()}
    _grow(personas, 8, start=2)
    large = {name: _count(client, *page) for name, page in _pages(personas).items()}
    assert large == small
    client.force_login(personas.coordinator)
    assert not client.get(_why_not(personas, "Full Likeperson")).context["answer"].eligible


@pytest.mark.django_db
def test_the_grown_data_shows_where_it_should(client, personas):
    """The query-count test is only worth something if the pages really list the data."""
    _grow(personas, 3, start=0)
    client.force_login(personas.coordinator)
    home = home_page(client).content.decode()
    assert 'data-kind="release_soon"' in home and 'data-kind="waiting_long"' in home
    assert "Travel Likeperson 0" in home  # far over the budget for weeks
    over = client.get(reverse("peers:list") + "?balance=over").content.decode()
    assert all(f"Travel Likeperson {i}" in over for i in range(3))
    assert "Per Likeperson" not in over
    groups = client.get(reverse("peers:group_supervisions")).content.decode()
    assert "3 deltok" in groups
    placements = client.get(reverse("employment:list") + "?q=fulgt opp 2").content.decode()
    assert "Fulgt Opp 2" in placements and "Fulgt Opp 1<" not in placements
    candidates = client.get(reverse("peers:candidates") + "?q=kandidat 2").content.decode()
    assert "Kandidat 2" in candidates and "Kandidat 1<" not in candidates
    companies = reverse("employment:company_list")
    assert "Bedrift 0" in client.get(companies + "?q=bedrift 0").content.decode()
    assert "Bedrift 0" not in client.get(companies + "?q=bedrift 9").content.decode()
    eligible = client.get(_why_not(personas, "Travel Likeperson 0")).context["answer"]
    assert eligible.eligible and eligible.lines
