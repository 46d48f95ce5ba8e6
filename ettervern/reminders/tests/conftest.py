import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import make_match, make_participant
from ettervern.followup.models import Contact
from ettervern.followup.services import contact_log

OSLO = ZoneInfo("Europe/Oslo")
# Wednesday 10 March 2027, 07:15 in Oslo: the digest hour 7.
MORNING = dt.datetime(2027, 3, 10, 7, 15, tzinfo=OSLO)
NOTE = "Snakket om tilbakefall og medisiner"


@dataclass
class Story:
    hanne: object
    match: object
    today: object
    tomorrow: object
    later: object


@pytest.fixture
def story(personas) -> Story:
    """Hanne was matched with Olga 20 days before MORNING and has had no contact since; Olga
    planned contacts with her today, tomorrow and next week (with a note)."""
    with time_machine.travel(MORNING - dt.timedelta(days=20), tick=False):
        hanne = make_participant(personas.programme_a, "Hanne Hemmelig", gender="female")
        match = make_match(hanne, personas.other_peer)
    with time_machine.travel(MORNING, tick=False):
        planned = []
        for at in (
            MORNING.replace(hour=14, minute=0),
            MORNING.replace(hour=10, minute=30) + dt.timedelta(days=1),
            MORNING + dt.timedelta(days=7),
        ):
            contact, _ = contact_log(
                actor=personas.other_peer_user,
                match=match,
                kind=Contact.Kind.ACCOMPANY_THERAPIST,
                occurred_at=at,
                outcome=Contact.Outcome.PLANNED,
                note=NOTE,
            )
            planned.append(contact)
    return Story(hanne, match, *planned)
