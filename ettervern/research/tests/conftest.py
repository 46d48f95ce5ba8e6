import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ettervern.research.tests.factories import Research, consenting, research

# A fixed day: ages, months and the project's period do not depend on when the tests run.
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def study(clock, personas) -> Research:
    """Project A approved with the researcher persona; project B in organisation B."""
    return research(personas)


@pytest.fixture
def cohort(study, personas):
    """Ten participants in programme A with research consent (five women born 1990, five
    men born 1975), beside the personas, who have none."""
    women = consenting(personas.programme_a, 5, prefix="Kvinne", gender="female", birth_year=1990)
    men = consenting(
        personas.programme_a, 5, prefix="Mann", gender="male", birth_year=1975, phone="98765432"
    )
    return women + men
