"""The recruitment radar on a waiting list built so: it names the missing profile, and its
number of extra matches equals re-running the optimal plan with such a peer really added."""

import datetime as dt
import random

import pytest
import time_machine

from conftest import make_participant, make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.matching import engine
from ettervern.matching.core.criteria import wish_holds
from ettervern.matching.loading import programme_peers, to_core_peers
from ettervern.matching.tests.deferred_result import assert_page_then_htmx_result
from ettervern.participants.services import wish_add
from ettervern.peers.models import PeerWorker
from ettervern.radar.selectors import _peer_counts, radar_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def waiting_list(personas):
    """Four women wait for a woman with LAR experience (a must); two would like an Arabic
    speaker. The resource base: Per (woman, one free slot) and Olga (man, two free slots)."""
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        for i in range(4):
            p = make_participant(personas.programme_a, f"Lise Lar{i}", gender="female")
            wish_add(actor=None, participant=p, kind="gender", value="female", must=True)
            wish_add(actor=None, participant=p, kind="treatment_path", value="lar", must=True)
        for i in range(2):
            p = make_participant(personas.programme_a, f"Amal Arabisk{i}", gender="male")
            wish_add(actor=None, participant=p, kind="language", value="ar", must=False)
    return personas


def _matched(programme) -> int:
    return len(engine.batch_plan_for(programme).pairs)


def _add_peer(personas, email: str, **fields) -> PeerWorker:
    user = make_user(email, "Ny Likeperson")
    member(user, personas.programme_a, Role.PEER_WORKER)
    return make_peer(user, personas.programme_a, **fields)


@time_machine.travel(NOW, tick=False)
def test_the_radar_names_the_missing_profile_and_what_one_more_peer_would_match(waiting_list):
    personas = waiting_list
    programme = personas.programme_a
    radar = radar_for(programme)
    assert radar.waiting == 7  # Vera, the four and the two
    assert radar.matched == _matched(programme) == 3
    top = radar.gaps[0]
    assert top.required
    assert set(top.keys) == {("gender", "female"), ("treatment_path", "lar")}
    assert (top.waiting, top.available, top.full) == (4, 0, 0)
    assert top.extra_matches == 2  # a new peer has room for two

    before = _matched(programme)
    _add_peer(personas, "lar@a.test", gender="female", treatment_paths=["lar"])
    assert _matched(programme) - before == top.extra_matches


@time_machine.travel(NOW, tick=False)
def test_a_wish_gap_counts_the_wishes_one_more_peer_would_meet(waiting_list):
    personas = waiting_list
    programme = personas.programme_a
    [arabic] = [g for g in radar_for(programme).gaps if g.keys == (("language", "ar"),)]
    assert not arabic.required
    assert (arabic.waiting, arabic.available, arabic.extra_matches) == (2, 0, 0)

    before = _matched(programme)
    peer = _add_peer(personas, "ar@a.test", gender="male", languages=["ar"])
    plan = engine.batch_plan_for(programme)
    assert len(plan.pairs) - before == arabic.extra_matches
    wishers_with_the_arabic_speaker = [
        p for p in plan.pairs if p.peer.pk == peer.pk and p.participant.name.startswith("Amal")
    ]
    assert len(wishers_with_the_arabic_speaker) == arabic.extra_wishes_met == 2


@time_machine.travel(NOW, tick=False)
def test_nothing_is_stored_and_a_full_peer_of_the_profile_is_named(waiting_list):
    personas = waiting_list
    full = _add_peer(
        personas, "full@a.test", gender="female", treatment_paths=["lar"], max_participants=0
    )
    count = PeerWorker.objects.count()
    top = radar_for(personas.programme_a).gaps[0]
    assert (top.available, top.full) == (0, 1)
    assert PeerWorker.objects.count() == count
    assert full.max_participants == 0


@time_machine.travel(NOW, tick=False)
def test_the_coordinator_page_and_the_card_say_it_in_norwegian(client, waiting_list):
    client.force_login(waiting_list.coordinator)
    page = client.get("/rekruttering/resultat/").content.decode()
    assert "4 venter på en likeperson: kvinne, erfaring med LAR" in page
    assert "ingen ledige i ressursbasen" in page
    assert "Med én slik likeperson til får 2 flere en likeperson." in page
    assert "2 ønsker: snakker arabisk" in page
    card = client.get("/rekruttering/kort/").content.decode()
    assert "4 venter på en likeperson" in card
    assert 'hx-get="/rekruttering/kort/' in client.get("/matching/plan/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_radar_page_shows_progress_and_loads_the_radar_with_htmx(
    client, waiting_list, monkeypatch
):
    client.force_login(waiting_list.coordinator)
    tiltak = waiting_list.programme_a.pk
    assert_page_then_htmx_result(
        client,
        monkeypatch,
        computes="ettervern.radar.views.radar_for",
        page="/rekruttering/",
        link=f"/rekruttering/resultat/?tiltak={tiltak}",
        progress="Beregner radaren …",
        shown="4 venter på en likeperson: kvinne, erfaring med LAR",
    )


def test_only_coordinators_see_the_radar(client, personas):
    for user in (personas.peer_user, personas.participant_user, personas.admin):
        client.force_login(user)
        assert client.get("/rekruttering/").status_code == 404
        assert client.get("/rekruttering/resultat/").status_code == 404
        assert client.get("/rekruttering/kort/").status_code == 404
    client.force_login(personas.coordinator)
    assert client.get(f"/rekruttering/?tiltak={personas.programme_b.pk}").status_code == 404
    other = f"/rekruttering/resultat/?tiltak={personas.programme_b.pk}"
    assert client.get(other).status_code == 404
    assert client.get("/rekruttering/?tiltak=x").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_an_empty_waiting_list_has_no_gaps(personas):
    radar = radar_for(personas.programme_b)
    assert (radar.waiting, radar.matched, radar.gaps) == (0, 0, [])


def _more(personas, start: int, count: int) -> None:
    """More of everyone the radar weighs: must-wish and would-like wishers, and peers (one of
    them speaks Arabic but is full)."""
    programme = personas.programme_a
    for i in range(start, start + count):
        p = make_participant(programme, f"Lise Lar{i + 10}", gender="female")
        wish_add(actor=None, participant=p, kind="treatment_path", value="lar", must=True)
        p = make_participant(programme, f"Amal Arabisk{i + 10}", gender="male")
        wish_add(actor=None, participant=p, kind="language", value="ar", must=False)
        make_participant(programme, f"Ola Venter{i}")
        _add_peer(personas, f"peer{i}@a.test", gender="male", max_participants=1)
        _add_peer(personas, f"full{i}@a.test", languages=["ar"], max_participants=0)


@time_machine.travel(NOW, tick=False)
def test_the_radar_pages_take_the_same_number_of_queries_at_two_sizes(client, waiting_list):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(waiting_list.coordinator)
    urls = ("/rekruttering/", "/rekruttering/resultat/", "/rekruttering/kort/")

    def counts() -> list[int]:
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    _more(waiting_list, 0, 2)
    small = counts()
    radar = radar_for(waiting_list.programme_a)
    assert radar.required and radar.wished  # the radar really tried profiles
    _more(waiting_list, 2, 8)
    assert counts() == small


@time_machine.travel(NOW, tick=False)
def test_the_peer_counts_of_a_profile_keep_the_matching_rules_of_every_wish_kind(personas):
    """A profile's peers are counted in the database with the rules the matching core judges
    wishes by (``wish_holds`` on the loaded peers): every kind, alone and combined, with
    unknown data and a code in the wrong list (old data) never having the profile."""
    rng = random.Random(11)

    def some(codes):
        return rng.sample(codes, rng.randint(0, len(codes)))

    for i in range(24):
        _add_peer(
            personas,
            f"profil{i}@a.test",
            gender=rng.choice(["female", "male", ""]),
            birth_year=rng.choice([None, 1960, 1975, 1990, 2001]),
            languages=some(["nb", "ar", "pl"]),
            treatment_paths=some(["lar", "twelve_step"]),
            lived_experience=some(["relative", "prison", "alcohol"]),  # alcohol: wrong list
            substances=some(["alcohol", "opioids", "relative"]),  # relative: wrong list
            availability=some(["daytime", "evenings"]),
            max_participants=rng.choice([0, 1, 2]),
        )
    singles = [
        ("gender", "female"),
        ("gender", "male"),
        ("age_range", (30, 50)),
        ("language", "ar"),
        ("language", "pl"),
        ("treatment_path", "lar"),
        ("shared_experience", "relative"),
        ("shared_experience", "alcohol"),
        ("availability", "evenings"),
    ]
    profiles = [(), *[(key,) for key in singles]]
    profiles += [(("gender", "female"), ("language", "ar")), (("gender", "male"), singles[5])]
    year = NOW.year
    peers = [
        q
        for q in to_core_peers(programme_peers(personas.programme_a))
        if q.active and q.course_completed
    ]
    expected = []
    for keys in profiles:
        having = [q for q in peers if all(wish_holds(key, q, year) for key in keys)]
        expected.append(
            (sum(q.load < q.capacity for q in having), sum(q.load >= q.capacity for q in having))
        )
    assert _peer_counts(personas.programme_a, profiles, year) == expected
    assert all(available for available, _full in expected)  # each profile is really met
