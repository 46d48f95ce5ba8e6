"""The peers loaded for one participant are filtered in the database (free slot, course, status,
exclusions, must-wishes): on random programmes this must give exactly what scoring every peer of
the programme gives, suggestions, ranks and "why not" alike."""

import random

import pytest
from django.utils import timezone

from conftest import make_org, make_user
from ettervern.matching import core
from ettervern.matching.core.eligibility import peer_is_available
from ettervern.matching.engine import reference_year, suggestions_for, why_not_for
from ettervern.matching.explain import explain
from ettervern.matching.loading import (
    candidate_peers,
    peers_with_users,
    programme_peers,
    to_core_participants,
    to_core_peers,
    weights_for,
)
from ettervern.matching.models import Exclusion, Match
from ettervern.matching.services import held_slots_refresh
from ettervern.participants.models import Consent, Participant, PeerWish
from ettervern.peers.models import PeerWorker

LANGUAGES = ["nb", "en", "pl", "so"]
GENDERS = ["female", "male"]
TREATMENT = ["lar", "twelve_step", "none"]
EXPERIENCE = ["own_substance_use", "relative"]
SUBSTANCES = ["alcohol", "opioids"]
AVAILABILITY = ["daytime", "evenings", "weekends"]


def _some(rng: random.Random, codes: list[str]) -> list[str]:
    return rng.sample(codes, rng.randint(0, len(codes)))


def _person(rng: random.Random) -> dict:
    return {
        "gender": rng.choice([*GENDERS, ""]),
        "birth_year": rng.choice([None, *range(1960, 2004, 3)]),
        "languages": _some(rng, LANGUAGES),
        "treatment_paths": _some(rng, TREATMENT),
        "lived_experience": _some(rng, EXPERIENCE),
        "substances": _some(rng, SUBSTANCES),
        "interests": _some(rng, ["fiske", "sjakk", "musikk"]),
    }


def _wish(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(
        ["gender", "language", "language", "treatment_path", "shared_experience", "age_range"]
        + ["availability"]
    )
    value = {
        "gender": lambda: rng.choice(GENDERS),
        "language": lambda: rng.choice(LANGUAGES),
        "treatment_path": lambda: rng.choice(TREATMENT),
        "shared_experience": lambda: rng.choice(EXPERIENCE + SUBSTANCES),
        "age_range": lambda: rng.choice(["20-40", "30-50", "45-70"]),
        "availability": lambda: rng.choice(AVAILABILITY),
    }[kind]()
    return kind, value


_FOLLOWS = {"active": "matched", "paused": "paused", "ended": "ended", "proposed": "waiting"}


def _programme(seed: int):
    """A programme with peers in every state, matches holding or freeing slots, and waiting
    participants with must-wishes and exclusions."""
    rng = random.Random(seed)
    org, programme = make_org(f"prefilter-{seed}", f"Prefilter {seed}", "Tiltak")
    now = timezone.now()

    def add(model, **fields):
        """A row of the programme."""
        return model.objects.create(organisation=org, programme=programme, **fields)

    def participant(name: str, status: str, **fields) -> Participant:
        return add(Participant, name=name, status=status, status_since=now, **fields)

    peers = [
        add(
            PeerWorker,
            user=make_user(f"peer{i}@prefilter{seed}.test", f"Peer {i:02d}"),
            kind=rng.choice([PeerWorker.Kind.PEER] * 3 + [PeerWorker.Kind.ADVISOR]),
            max_participants=rng.choice([0, 1, 1, 2, 3]),
            resource_status=rng.choice(
                [PeerWorker.ResourceStatus.ACTIVE] * 4 + [PeerWorker.ResourceStatus.PAUSED]
            ),
            course_completed_on=rng.choice([None, timezone.localdate()]),
            availability=_some(rng, AVAILABILITY),
            **_person(rng),
        )
        for i in range(30)
    ]
    for i, peer in enumerate(peers):
        for j in range(rng.randint(0, 3)):
            # Rows in the shape the services leave them (the status follows the match).
            status = rng.choice(["active", "active", "paused", "ended", "proposed"])
            add(
                Match,
                participant=participant(f"Fulgt {i}-{j}", _FOLLOWS[status]),
                peer=peer,
                status=status,
                frees_slot=status == "paused" and rng.random() < 0.5,
            )
    # As the match services leave them: each peer's slots held kept on her row.
    held_slots_refresh([p.pk for p in peers])
    waiting = []
    for i in range(10):
        p = participant(
            f"Venter {i}",
            Participant.Status.WAITING,
            availability_wanted=_some(rng, AVAILABILITY),
            **_person(rng),
        )
        if rng.random() < 0.9:
            add(
                Consent,
                participant=p,
                purpose=Consent.Purpose.FOLLOW_UP,
                method=Consent.Method.WRITTEN,
                text_version="2026-1",
                given_at=now,
            )
        for kind, value in {_wish(rng) for _ in range(rng.randint(0, 3))}:
            add(PeerWish, participant=p, kind=kind, value=value, must=rng.random() < 0.7)
        for peer in rng.sample(peers, rng.randint(0, 3)):
            add(
                Exclusion,
                participant=p,
                peer=peer,
                kind=Exclusion.Kind.choices[0][0],
                reason="test",
            )
        waiting.append(p)
    return programme, peers, waiting


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_prefiltered_peers_give_the_suggestions_of_scoring_every_peer(seed):
    programme, peers, waiting = _programme(seed)
    year = reference_year()
    weights = weights_for(programme)
    everyone = to_core_peers(programme_peers(programme))
    by_id = {q.id: q for q in everyone}
    must_wishes = 0
    for participant in Participant.objects.filter(pk__in=[p.pk for p in waiting]):
        [subject] = to_core_participants([participant])
        must_wishes += len(subject.must_wishes)
        eligible = {
            q.id for q in everyone if not core.check_eligibility(subject, q, reference_year=year)
        }
        loaded = candidate_peers(programme, subject, reference_year=year)
        # Nobody eligible is left out, and the filter does leave out the peers it can.
        assert eligible <= {q.pk for q in loaded}
        assert all(peer_is_available(by_id[q.pk]) for q in loaded)
        # Loads are those of ``peers_with_load``.
        assert {q.pk: q.load for q in loaded} == {q.pk: by_id[q.pk].load for q in loaded}

        def ranking(pool, subject=subject):
            found = core.suggest_peers(
                subject, pool, reference_year=year, weights=weights, limit=len(everyone)
            )
            return [(s.peer_id, s.score) for s in found]

        assert ranking(to_core_peers(loaded)) == ranking(everyone)
        expected = ranking(everyone)[:5]
        got = [(s.peer.pk, s.score) for s in suggestions_for(participant)]
        assert got == [(pk, round(score, 1)) for pk, score in expected]
        for peer in peers[::4]:
            answer = why_not_for(participant, peer)
            core_answer = core.why_not(
                subject, by_id[peer.pk], everyone, reference_year=year, weights=weights, limit=5
            )
            assert answer.eligible == core_answer.eligible
            assert answer.reasons == [explain(r) for r in core_answer.reasons]
    assert must_wishes > 0


@pytest.mark.django_db
def test_a_language_must_wish_is_filtered_in_the_database(personas):
    """A participant who must have a Polish speaker gets only Polish speakers loaded."""
    programme = personas.programme_a
    PeerWorker.objects.filter(programme=programme).update(languages=["nb"], max_participants=9)
    speaker = PeerWorker.objects.filter(programme=programme).order_by("pk").last()
    speaker.languages = ["nb", "pl"]
    speaker.save()
    subject = core.Participant(id=1, wishes=(core.Wish("language", "pl", must=True),))
    loaded = candidate_peers(programme, subject, reference_year=reference_year())
    assert [q.pk for q in loaded] == [speaker.pk]


@pytest.mark.django_db
def test_peers_with_users_finds_only_the_programmes_own_peers(personas):
    """The shown peers are looked up by id within the programme: an id of another programme's
    peer is not returned."""
    other = PeerWorker.objects.filter(programme=personas.programme_b).first()
    assert other is not None
    found = peers_with_users(personas.programme_a, [personas.peer.pk, other.pk])
    assert list(found) == [personas.peer.pk]
    assert found[personas.peer.pk].user.name
    assert peers_with_users(personas.programme_b, [other.pk]).keys() == {other.pk}
