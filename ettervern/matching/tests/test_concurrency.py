"""Two coordinators at once, on two real database connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from conftest import make_participant
from ettervern.matching import services
from ettervern.matching.models import Match

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks and two concurrent connections (PostgreSQL); SQLite lets only "
        "one writer in at a time, so the race cannot happen there",
    ),
]


def _in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_coordinators_cannot_both_give_away_a_peers_last_free_slot(personas):
    peer = personas.peer  # max 2, one match already: one free slot
    first, second = personas.waiting, make_participant(personas.programme_a, "Siri Samtidig")
    first_holds_lock = threading.Event()
    outcome: dict[str, object] = {}

    def coordinator_one():
        with transaction.atomic():
            services.match_create(actor=personas.coordinator, participant=first, peer=peer)
            first_holds_lock.set()
            # Still inside the transaction: the second coordinator arrives now.
            threading.Event().wait(0.5)
        outcome["first"] = "matched"

    def coordinator_two():
        first_holds_lock.wait(5)
        try:
            services.match_create(actor=personas.coordinator, participant=second, peer=peer)
            outcome["second"] = "matched"
        except ValidationError as exc:
            outcome["second"] = exc.messages

    threads = [_in_thread(coordinator_one), _in_thread(coordinator_two)]
    for thread in threads:
        thread.join(15)
    assert outcome == {"first": "matched", "second": ["Likepersonen har ikke ledig kapasitet."]}
    assert Match.objects.filter(peer=peer, status="active").count() == 2


def test_confirming_two_proposals_for_the_last_slot_at_once_starts_one(personas):
    peer = personas.peer
    second = make_participant(personas.programme_a, "Siri Samtidig")
    proposals = [
        services.match_propose(actor=personas.coordinator, participant=p, peer=peer)
        for p in (personas.waiting, second)
    ]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def confirm(proposal):
        def run():
            barrier.wait(5)
            try:
                services.match_confirm(actor=personas.coordinator, match=proposal)
                results.append("started")
            except ValidationError:
                results.append("refused")

        return run

    threads = [_in_thread(confirm(p)) for p in proposals]
    for thread in threads:
        thread.join(15)
    assert sorted(results) == ["refused", "started"]
    assert Match.objects.filter(peer=peer, status="active").count() == 2


def test_slots_held_stay_counted_when_two_follow_ups_of_a_peer_change_at_once(personas):
    """One coordinator ends a follow-up of a peer while another pauses her other follow-up and
    frees its slot: the count kept on the peer's row is the count of her matches after both."""
    from conftest import make_match
    from ettervern.participants.models import StatusChange
    from ettervern.peers.models import PeerWorker

    peer = personas.peer
    other = make_match(make_participant(personas.programme_a, "Siri Samtidig"), peer)
    assert PeerWorker.objects.get(pk=peer.pk).held_slots == 2
    first_counted = threading.Event()

    def end_one():
        with transaction.atomic():
            services.match_end(
                actor=personas.coordinator,
                match=personas.match,
                end_reason=StatusChange.EndReason.OTHER,
            )
            first_counted.set()
            threading.Event().wait(0.5)  # the other write arrives before this one commits

    def pause_other():
        first_counted.wait(5)
        services.match_pause(
            actor=personas.coordinator, match=other, reason="hospital", frees_slot=True
        )

    threads = [_in_thread(end_one), _in_thread(pause_other)]
    for thread in threads:
        thread.join(15)
    assert PeerWorker.objects.get(pk=peer.pk).held_slots == 0
