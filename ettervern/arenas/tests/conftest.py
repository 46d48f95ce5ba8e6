import datetime as dt

import pytest
import time_machine

from ettervern.arenas.tests.factories import Arenas, arenas

# Thursday 3 December 2026, 10:00 in Oslo: the clock every arenas test runs at.
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(db):
    """The clock stopped at ``NOW``; ``clock.move_to(...)`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def personas(clock, personas):
    """The project's personas, built with the clock stopped at ``NOW``."""
    return personas


@pytest.fixture
def arena(personas) -> Arenas:
    """A volunteer helping at a film night next week where Dag is signed up (see factories)."""
    return arenas(personas)
