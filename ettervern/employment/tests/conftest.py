import pytest

from ettervern.employment.tests.factories import Jobs, jobs


@pytest.fixture
def job(personas) -> Jobs:
    """A company in programme A with the employer persona as contact person, a placement for the
    participant with the matched peer as advisor (agreement v1, a meeting, an action), a second
    company with a placement for ``waiting``; and the same in organisation B."""
    return jobs(personas)
