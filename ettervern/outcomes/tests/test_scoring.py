from hypothesis import given
from hypothesis import strategies as st

from ettervern.outcomes.scoring import score

ITEMS = [f"t{n}" for n in range(1, 10)]
SUBSCALE_OF = {
    code: ("ability", "benevolence", "integrity")[n // 3] for n, code in enumerate(ITEMS)
}


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=9, max_size=9))
def test_total_is_the_sum_and_within_the_range(values):
    result = score(
        method="sum",
        values=dict(zip(ITEMS, values, strict=True)),
        subscale_of=SUBSCALE_OF,
        scale_max=5,
    )
    assert result.complete
    assert result.total == sum(values)
    assert 9 <= result.total <= 45
    assert sum(result.subscales.values()) == result.total
    assert all(3 <= v <= 15 for v in result.subscales.values())
    assert result.subscales["ability"] == sum(values[:3])


@given(
    st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=6)), min_size=10, max_size=10)
)
def test_a_response_with_a_gap_is_incomplete_and_has_no_score(values):
    result = score(
        method="sum", values={f"b{n}": v for n, v in enumerate(values)}, subscale_of={}, scale_max=6
    )
    assert result.complete == (None not in values)
    assert (result.total is None) == (None in values)


def test_goal_progress_counts_the_goals_reached():
    result = score(
        method="count_max",
        values={"goal-1": 2, "goal-2": 1, "goal-3": 2},
        subscale_of={},
        scale_max=2,
    )
    assert (result.complete, result.total) == (True, 2)


def test_nothing_answered_is_incomplete():
    assert not score(method="sum", values={}, subscale_of={}, scale_max=6).complete
