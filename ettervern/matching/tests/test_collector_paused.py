"""The batch plan and the radar run with Python's cyclic garbage collector paused (each full
collection scanned the 50 000-participant plan's objects again), and leave it as they found
it."""

import gc

import pytest

from ettervern.lib.collector import collector_paused
from ettervern.matching import engine, loading
from ettervern.radar import selectors as radar


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_restored_after_even_on_error(collector_state):
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()  # it was off before, so it stays off


@pytest.mark.parametrize(
    ("module", "compute"), [(engine, engine.batch_plan_for), (radar, radar.radar_for)]
)
def test_plan_and_radar_load_the_waiting_list_with_the_collector_paused(
    personas, collector_state, monkeypatch, module, compute
):
    gc.enable()
    seen = []

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return loading.plannable_core_participants(*args, **kwargs)

    monkeypatch.setattr(module, "plannable_core_participants", recording)
    compute(personas.programme_a)
    assert seen == [False]
    assert gc.isenabled()
