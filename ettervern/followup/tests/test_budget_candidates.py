"""The database's narrowing to peers who may be far over (or under) their budget, checked
against the exact rules in Python over random matches and contacts at fixed dates: the
grouped pass over one week must never drop a peer the per-week test keeps, nor one the exact
rule flags."""

import datetime as dt
import random

import pytest
import time_machine
from django.utils import timezone

from conftest import make_match, make_participant, make_peer, make_user, member
from ettervern.accounts.models import Role
from ettervern.followup import budget
from ettervern.followup import selectors as budget_selectors
from ettervern.followup.models import Contact
from ettervern.followup.peer_signals import FAR_OVER, MIN_OVER_MINUTES, over_budget
from ettervern.lib import periods
from ettervern.matching import services as matching
from ettervern.matching.models import Match
from ettervern.peers.models import PeerWorker

TODAY = dt.date(2026, 11, 18)  # a Wednesday: four full weeks from 19 October, and this week
# Minutes around the bounds for one share at 3.75 hours a week (337.5 and 675 minutes).
MINUTES = [30, 60, 90, 120, 180, 240, 336, 337, 338, 400, 674, 675, 676, 1012, 1013]
MISSED = ["cancelled", "no_show", "planned"]


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def peers_and_participants(programme, first: dt.date, peers: int, participants: int, slots: int):
    """Peer workers with ``slots`` places each and participants waiting, all made on ``first``."""
    with time_machine.travel(at(first), tick=False):
        made = []
        for n in range(peers):
            user = make_user(f"peer{n}@a.test", f"Peer {n:02d}")
            member(user, programme, Role.PEER_WORKER)
            made.append(make_peer(user, programme, max_participants=slots))
        waiting = [make_participant(programme, f"Deltaker {n:02d}") for n in range(participants)]
    return made, waiting


def befall(match: Match, day: dt.date, fate: str) -> None:
    """On ``day``, the match is paused with its slot freed, paused, or ended."""
    with time_machine.travel(at(day), tick=False):
        if fate == "freed":
            matching.match_pause(actor=None, match=match, reason="syk", frees_slot=True)
        elif fate == "paused":
            matching.match_pause(actor=None, match=match, reason="ferie")
        else:
            matching.match_end(actor=None, match=match, end_reason="other")


def log_held(match: Match, peer: PeerWorker, when: dt.datetime, minutes: int, outcome="held"):
    Contact.objects.create(
        organisation_id=match.organisation_id,
        programme_id=match.programme_id,
        match=match,
        participant_id=match.participant_id,
        peer_id=peer.pk,
        occurred_at=when,
        duration_minutes=minutes,
        kind="conversation",
        outcome=outcome,
    )


def random_programme(personas, seed: int) -> list[PeerWorker]:
    """Peers with matches begun, paused (slot freed) and ended on random days, and held,
    cancelled and planned contacts in the last five weeks; some peers log a lot."""
    rng = random.Random(seed)
    first = dt.date(2026, 9, 1)
    peers, participants = peers_and_participants(personas.programme_a, first, 8, 16, slots=6)
    span = (TODAY - first).days
    for n, participant in enumerate(participants):
        # The first peer follows one participant from the start at least.
        peer = peers[0] if n == 0 else rng.choice(peers)
        start = first + dt.timedelta(days=rng.choice([0, 10, 20, 30, rng.randrange(span)]))
        with time_machine.travel(at(first if n == 0 else start), tick=False):
            match = make_match(participant, peer)
        fate = rng.random()
        if n == 0 or fate < 0.4:
            continue
        day = start + dt.timedelta(days=rng.randrange(max(1, (TODAY - start).days)))
        befall(match, day, "freed" if fate < 0.6 else "paused" if fate < 0.7 else "ended")
    monday = periods.week_of(TODAY).start - dt.timedelta(weeks=4)
    busy = {0, *rng.sample(range(1, len(peers)), 4)}

    def log(peer, match, day, minutes, outcome="held"):
        when = at(min(day, TODAY), rng.choice([0, 9, 13, 23]))
        log_held(match, peer, when, minutes, outcome)

    for n, peer in enumerate(peers):
        matches = list(Match.objects.filter(peer=peer).exclude(started_on=None))
        if not matches:
            continue
        for week in range(5):
            days = [monday + dt.timedelta(weeks=week, days=d) for d in range(7)]
            # A week's total held, near a bound more often than not, in one or two contacts.
            if n not in busy:
                total = rng.choice([0, *MINUTES])
            elif week == 3:  # the last full week: near the bounds of one to three shares
                total = rng.choice(MINUTES[6:])
            else:
                total = rng.choice([1012, 1013, 1400])
            part = rng.randrange(1, total) if total > 1 and rng.random() < 0.5 else total
            for minutes in (part, total - part):
                if minutes:
                    log(peer, rng.choice(matches), rng.choice(days), minutes)
            if rng.random() < 0.3:
                log(peer, rng.choice(matches), rng.choice(days), 90, rng.choice(MISSED))
    return peers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidates_keep_every_peer_far_outside_the_budget(personas, seed):
    peers = random_programme(personas, seed)
    programme_ids = [personas.programme_a.pk]
    base = PeerWorker.objects.filter(programme_id__in=programme_ids)
    weeks = budget.last_full_weeks(TODAY)
    exact = {b: set() for b in ("over", "under")}
    for peer in peers:
        found = budget_selectors.time_budget(peer, TODAY).balance
        if found:
            exact[found].add(peer.pk)
    assert exact["over"], "the data should hold a peer far over for weeks"
    for balance in ("over", "under"):
        candidates = set(
            budget_selectors._balance_candidates(base, balance, TODAY, programme_ids).values_list(
                "pk", flat=True
            )
        )
        # The same peers as the test summed per peer and week, and every peer who is.
        per_week = budget_selectors._balance_bounds(base, balance, weeks)
        assert candidates == set(per_week.values_list("pk", flat=True))
        assert exact[balance] <= candidates
    rows = budget_selectors.peer_overview(personas.coordinator, today=TODAY, balance="over")
    assert {r.peer.pk for r in rows} == exact["over"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_far_over_this_week_is_every_peer_over_the_slots_held(personas, seed):
    peers = random_programme(personas, seed)
    start, end = periods.week_of(TODAY).bounds()
    hours = float(personas.programme_a.hours_per_participant_week)
    expected = {}
    for peer in peers:
        minutes = sum(
            Contact.objects.filter(
                peer=peer, outcome="held", occurred_at__gte=start, occurred_at__lt=end
            ).values_list("duration_minutes", flat=True)
        )
        slots = (
            Match.objects.filter(peer=peer, status__in=Match.CURRENT)
            .exclude(status="paused", frees_slot=True)
            .count()
        )
        if minutes >= MIN_OVER_MINUTES and minutes > slots * hours * float(60 * FAR_OVER):
            expected[peer.pk] = minutes
    assert expected, "the data should hold a peer far over this week"
    found = over_budget([personas.programme_a.pk], TODAY)
    assert {p.pk: p.week_minutes for p in found} == expected


def shares_counted(peer: PeerWorker, week: periods.Period) -> tuple[int, int]:
    """A peer's shares of a week counted from her matches: held all of it, and some of it."""
    whole = some = 0
    matches = (
        Match.objects.filter(peer=peer, started_on__isnull=False)
        .exclude(status=Match.Status.PROPOSED)
        .exclude(status=Match.Status.PAUSED, frees_slot=True)
    )
    for m in matches:
        if m.started_on <= week.end and (m.ended_on is None or m.ended_on >= week.start):
            some += 1
        if m.started_on <= week.start and (m.ended_on is None or m.ended_on >= week.end):
            whole += 1
    return whole, some


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_week_shares_from_the_slots_held_are_the_shares_counted(personas, seed):
    """Matches begin, pause and end on random days across the weeks; each peer logs, in each
    week, a minute over or under the bound of the shares counted from her matches, so a share
    counted wrong either way shows as a peer found or missed."""
    rng = random.Random(seed)
    programme = personas.programme_a
    hours = programme.hours_per_participant_week
    first = dt.date(2026, 9, 21)  # four weeks before the first of the five weeks looked at
    peers, participants = peers_and_participants(programme, first, 6, 36, slots=10)
    span = (TODAY - first).days
    for n, participant in enumerate(participants):
        start = first + dt.timedelta(days=rng.randrange(span + 1))
        with time_machine.travel(at(start), tick=False):
            match = make_match(participant, peers[n % len(peers)])
        fate = rng.random()
        if fate < 0.3:
            continue
        day = start + dt.timedelta(days=rng.randrange((TODAY - start).days + 1))
        befall(match, day, "freed" if fate < 0.5 else "paused" if fate < 0.6 else "ended")
    weeks = [*budget.last_full_weeks(TODAY), periods.week_of(TODAY)]
    expected = {}
    for week in weeks:
        expected[week] = set()
        for peer in peers:
            match = Match.objects.filter(peer=peer).exclude(started_on=None).first()
            whole, some = shares_counted(peer, week)
            bound = whole * hours * 90  # 1.5 x the hours, in minutes
            over = rng.random() < 0.5
            # Just over the bound less a minute of rounding, or on it; a little with no shares.
            minutes = (int(bound) if over else int(bound - 1)) if whole else 30
            for part in range(0, minutes, 720):  # a contact lasts at most a day
                log_held(match, peer, at(min(week.end, TODAY), 9), min(720, minutes - part))
            if some and (over or not whole):
                expected[week].add(peer.pk)
    assert any(expected.values()) and not all(len(e) == len(peers) for e in expected.values())
    for week in weeks:
        found = PeerWorker.objects.filter(
            pk__in=budget_selectors.minutes_over_week_shares([programme.pk], week)
        )
        assert set(found.values_list("pk", flat=True)) == expected[week], week
