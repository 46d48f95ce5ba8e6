import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_participant, make_peer, make_user, member


@pytest.fixture
def crunch(personas):
    """Programme A's capacity crunch: one woman with one free slot; the longest-waiting
    participant likes her best but can have a man; a later one must have a woman."""
    from ettervern.accounts.models import Role
    from ettervern.participants.models import PeerWish

    personas.peer.max_participants = 1  # full with the demo participant
    personas.peer.save(update_fields=["max_participants"])
    woman = personas.other_peer
    woman.gender = "female"
    woman.max_participants = 1
    woman.interests = ["fiske", "turgåing"]
    woman.treatment_paths = ["lar"]
    woman.save(update_fields=["gender", "max_participants", "interests", "treatment_paths"])
    man_user = make_user("mann@a.test", "Magnus Mann")
    member(man_user, personas.programme_a, Role.PEER_WORKER)
    man = make_peer(man_user, personas.programme_a, gender="male", interests=["sjakk"])
    first = personas.waiting  # Vera Venter, waiting longest (said outright, not left to ids)
    first.interests = ["fiske", "turgåing"]
    first.treatment_paths = ["lar"]
    first.status_since = timezone.now() - dt.timedelta(days=40)
    first.save()
    later = make_participant(personas.programme_a, "Nina Nyventer", gender="female")
    PeerWish.objects.create(
        organisation=personas.org_a,
        programme=personas.programme_a,
        participant=later,
        kind="gender",
        value="female",
        must=True,
    )
    return {"woman": woman, "man": man, "first": first, "later": later}
