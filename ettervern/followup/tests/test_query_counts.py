"""The coordinator's home runs a fixed number of queries, however many participants it lists."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_match, make_participant
from ettervern.followup.selectors import attention_items
from ettervern.followup.services import contact_log
from ettervern.web.tests.home import home_page


def _released_soon(personas, count: int, start: int = 0) -> None:
    today = timezone.localdate()
    for i in range(start, start + count):
        make_participant(
            personas.programme_a,
            f"Snart Løslatt {i}",
            transition="release",
            transition_date=today + dt.timedelta(days=1 + i % 10),
        )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_attention_items_for_soon_released_participants_take_a_fixed_number_of_queries(personas):
    _released_soon(personas, 1)
    attention_items(personas.coordinator)  # the user's roles are cached on the user after this
    one = _queries(lambda: attention_items(personas.coordinator))
    assert len([i for i in attention_items(personas.coordinator) if i.kind == "release_soon"]) == 1
    _released_soon(personas, 9, start=1)
    ten = _queries(lambda: attention_items(personas.coordinator))
    assert len([i for i in attention_items(personas.coordinator) if i.kind == "release_soon"]) == 10
    assert ten == one


@pytest.mark.parametrize(("hour", "flagged"), [(23, False), (24, True)])
def test_a_contact_planned_late_on_the_release_day_counts_in_local_time(personas, hour, flagged):
    """The release day ends at midnight in Oslo, not in UTC."""
    release = timezone.localdate() + dt.timedelta(days=3)
    rune = make_participant(
        personas.programme_a, "Rune Løslates", transition="release", transition_date=release
    )
    match = make_match(rune, personas.other_peer)
    at = timezone.make_aware(dt.datetime.combine(release, dt.time())) + dt.timedelta(
        hours=hour, minutes=30
    )
    contact_log(
        actor=personas.other_peer_user, match=match, kind="phone", occurred_at=at, outcome="planned"
    )
    items = {(i.kind, i.participant_name) for i in attention_items(personas.coordinator)}
    assert (("release_soon", "Rune Løslates") in items) is flagged


def test_the_coordinators_home_takes_a_fixed_number_of_queries(client, personas):
    client.force_login(personas.coordinator)
    _released_soon(personas, 1)
    home_page(client)  # warm the session and per-process caches
    one = _queries(lambda: home_page(client))
    _released_soon(personas, 9, start=1)
    ten = _queries(lambda: home_page(client))
    assert ten == one
