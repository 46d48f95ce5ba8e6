import pytest

from ettervern.offers.tests.factories import offers


@pytest.fixture
def directory(personas):
    return offers(personas)
