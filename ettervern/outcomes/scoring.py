"""Scoring a response from its answers: pure functions, no database."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scored:
    complete: bool
    total: int | None
    subscales: dict[str, int] = field(default_factory=dict)


def score(
    *,
    method: str,
    values: dict[str, int | None],
    subscale_of: dict[str, str],
    scale_max: int,
) -> Scored:
    """``values`` maps every question (item code or goal id) to its answer, None if unanswered.

    A response with any question unanswered is incomplete and carries no score. ``sum``: the
    total is the sum of the answers, each subscale the sum of its items. ``count_max``: the total
    is the number of answers at the top of the scale (goals reached).
    """
    if not values or any(v is None for v in values.values()):
        return Scored(complete=False, total=None)
    if method == "count_max":
        return Scored(complete=True, total=sum(1 for v in values.values() if v == scale_max))
    subscales: dict[str, int] = {}
    for code, value in values.items():
        sub = subscale_of.get(code, "")
        if sub:
            subscales[sub] = subscales.get(sub, 0) + value
    return Scored(complete=True, total=sum(values.values()), subscales=subscales)
