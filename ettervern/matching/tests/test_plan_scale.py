"""The batch plan at scale: only who can take part is loaded, the unmatched come in pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_participant
from ettervern.matching import engine
from ettervern.matching.loading import available_peers, plannable_participants
from ettervern.participants.models import Consent
from ettervern.peers.models import PeerWorker


def test_only_peers_with_a_free_slot_and_consenting_participants_are_loaded(personas):
    without = make_participant(personas.programme_a, "Uten Samtykke")
    Consent.objects.filter(participant=without).update(withdrawn_at=timezone.now())
    PeerWorker.objects.filter(pk=personas.peer.pk).update(max_participants=1)  # full
    assert [p.pk for p in available_peers(personas.programme_a)] == [personas.other_peer.pk]
    names = {p.name for p in plannable_participants(personas.programme_a)}
    assert names == {"Vera Venter"}
    plan = engine.batch_plan_for(personas.programme_a)
    # Everyone waiting is counted, planned or not (also the one who cannot be matched).
    assert plan.waiting_count == 2
    assert plan.unmatched_count == 2 - len(plan.pairs)
    assert "Uten Samtykke" in {p.name for p in plan.unmatched}


def test_the_unmatched_are_listed_a_page_at_a_time_in_a_fixed_number_of_queries(personas):
    PeerWorker.objects.update(resource_status=PeerWorker.ResourceStatus.PAUSED)  # nobody free
    for i in range(engine.UNMATCHED_PAGE_SIZE + 9):
        make_participant(personas.programme_a, f"Venter {i:03d}")
    first = engine.batch_plan_for(personas.programme_a)
    assert first.pairs == [] and first.unmatched_count == engine.UNMATCHED_PAGE_SIZE + 10
    assert len(first.unmatched) == engine.UNMATCHED_PAGE_SIZE and first.unmatched_has_next
    second = engine.batch_plan_for(personas.programme_a, unmatched_page=2)
    assert len(second.unmatched) == 10 and not second.unmatched_has_next
    with CaptureQueriesContext(connection) as small:
        engine.batch_plan_for(personas.programme_a)
    for i in range(20):
        make_participant(personas.programme_a, f"Flere {i:03d}")
    with CaptureQueriesContext(connection) as large:
        engine.batch_plan_for(personas.programme_a)
    assert len(large) == len(small)
