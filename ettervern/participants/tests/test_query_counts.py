"""The participant page runs a fixed number of queries, however much the record holds."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ettervern.followup.services import agreement_save, contact_log
from ettervern.participants import services

LANGUAGES = ["no", "en", "ar", "so", "pl", "ti", "fa", "ru", "uk", "es"]


def _grow(personas, count: int, start: int = 0) -> None:
    """Add ``count`` of each: held contacts, goals with a progress note, agreement versions,
    wishes and other services, the things the page and its panels list."""
    participant, coordinator = personas.participant, personas.coordinator
    for i in range(start, start + count):
        contact_log(
            actor=personas.peer_user,
            match=personas.match,
            kind="phone",
            occurred_at=timezone.now() - dt.timedelta(days=i, hours=1),
        )
        goal = services.goal_create(
            actor=coordinator, participant=participant, life_area="work", description=f"Mål {i}"
        )
        services.goal_update(actor=coordinator, goal=goal, status="active", note=f"Framdrift {i}")
        services.wish_add(
            actor=coordinator,
            participant=participant,
            kind="language",
            value=LANGUAGES[i],
            must=False,
        )
        services.other_service_add(
            actor=coordinator, participant=participant, kind="nav", contact=f"NAV {i}"
        )
        agreement_save(
            actor=personas.peer_user,
            match=personas.match,
            goals=[goal],
            contact_kinds=["phone"],
            rhythm=f"Rytme {i}",
            review_on=timezone.localdate() + dt.timedelta(days=30),
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["coordinator", "peer_user", "participant_user"])
def test_participant_page_takes_a_fixed_number_of_queries(client, personas, persona):
    client.force_login(personas.user(persona))
    url = f"/deltakere/{personas.participant.pk}/"
    _grow(personas, 1)
    client.get(url)  # warm the session and per-process caches
    one = _queries(client, url)
    _grow(personas, 9, start=1)
    assert _queries(client, url) == one
