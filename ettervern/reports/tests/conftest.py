"""A programme's November 2026, built through the services with the clock moved: referrals,
a participant who waited and was matched, a match ended, contacts in and out of office hours,
a group supervision. The clock stands at 10 December 2026 during each test."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

OSLO = ZoneInfo("Europe/Oslo")
NOW = dt.datetime(2026, 12, 10, 12, 0, tzinfo=OSLO)


def at(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=OSLO)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def november(clock, personas):
    from conftest import make_match, make_participant
    from ettervern.followup.models import Contact
    from ettervern.matching.services import match_end
    from ettervern.participants import services as participants
    from ettervern.participants.models import StatusChange
    from ettervern.peers import services as peers

    p = personas
    programme = p.programme_a
    with time_machine.travel(at("2026-10-20"), tick=False):
        early = make_participant(programme, "Elin Tidlig")
        also = make_participant(programme, "Erik Tidlig")
    for day, source in (("2026-11-03", "nav"), ("2026-11-05", "nav"), ("2026-11-29", "prison")):
        with time_machine.travel(at(day, 9), tick=False):
            participants.referral_create(
                actor=p.coordinator,
                programme=programme,
                name=f"Henvist {day}",
                source=source,
                wants_help_with="Følge til NAV",
            )
    with time_machine.travel(at("2026-11-12", 10), tick=False):
        new_match = make_match(early, p.other_peer)
    with time_machine.travel(at("2026-11-25", 15), tick=False):
        match_end(
            actor=p.coordinator,
            match=p.match,
            end_reason=StatusChange.EndReason.GOALS_REACHED,
        )
    rows = [
        # (match, when, minutes, kind, initiative, outcome)
        (p.match, at("2026-11-02", 10), 60, "conversation", "participant", "held"),
        (p.match, at("2026-11-03", 19, 30), 90, "phone", "peer", "held"),  # evening
        (p.match, at("2026-11-07", 12), 120, "outdoors", "participant", "held"),  # Saturday
        (p.match, at("2026-11-10", 23), 30, "phone", "participant", "held"),  # night
        (p.match, at("2026-11-11", 9), 60, "conversation", "peer", "cancelled"),
        (new_match, at("2026-11-13", 8, 30), 45, "accompany_nav", "peer", "held"),
        (new_match, at("2026-11-20", 16, 59), 60, "conversation", "peer", "no_show"),
        (new_match, at("2026-10-31", 23, 30), 60, "phone", "participant", "held"),  # October
        (new_match, at("2026-12-01", 0, 15), 60, "phone", "participant", "held"),  # December
    ]
    for match, when, minutes, kind, initiative, outcome in rows:
        Contact.objects.create(
            organisation=p.org_a,
            programme=programme,
            match=match,
            participant=match.participant,
            peer=match.peer,
            occurred_at=when,
            duration_minutes=minutes,
            kind=kind,
            initiative=initiative,
            outcome=outcome,
        )
    session = peers.group_supervision_create(
        actor=p.coordinator, programme=programme, held_on=dt.date(2026, 11, 20), theme="Grenser"
    )
    peers.group_supervision_set_attendance(
        actor=p.coordinator, session=session, peers=[p.peer, p.other_peer]
    )
    return SimpleNamespace(personas=p, programme=programme, early=early, also=also)
