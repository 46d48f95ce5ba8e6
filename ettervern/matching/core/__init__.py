"""The matching core: pure Python + numpy + scipy, no Django.

Plain-data inputs (``Participant``, ``Peer``, ``Wish``, ``Weights``) in, plain results out:
eligibility reasons, scores with a breakdown, ranked suggestions, "why not this peer", and an
optimal batch plan compared with the greedy baseline. Reasons are stable codes with params;
``explain_nb`` renders them in bokmål.
"""

from ettervern.matching.core.criteria import DATA_CRITERIA
from ettervern.matching.core.data import Participant, Peer, Reason, Wish, normalise_tags
from ettervern.matching.core.eligibility import check_eligibility
from ettervern.matching.core.explain import REASON_CODES, explain_nb
from ettervern.matching.core.matrix import ScoreMatrix, score_matrix
from ettervern.matching.core.planner import (
    Comparison,
    LockedPairError,
    Pair,
    Plan,
    PreparedPlan,
    compare,
    plan_batch,
    plan_greedy,
    plan_matches,
    prepare_plan,
)
from ettervern.matching.core.scoring import CriterionScore, ScoreBreakdown, score_pair
from ettervern.matching.core.suggestions import Suggestion, WhyNot, suggest_peers, why_not
from ettervern.matching.core.weights import CRITERIA, DEFAULT_WEIGHTS, InvalidWeight, Weights

__all__ = [
    "CRITERIA",
    "DATA_CRITERIA",
    "DEFAULT_WEIGHTS",
    "REASON_CODES",
    "Comparison",
    "CriterionScore",
    "InvalidWeight",
    "LockedPairError",
    "Pair",
    "Participant",
    "Peer",
    "Plan",
    "PreparedPlan",
    "Reason",
    "ScoreBreakdown",
    "ScoreMatrix",
    "Suggestion",
    "Weights",
    "WhyNot",
    "Wish",
    "check_eligibility",
    "compare",
    "explain_nb",
    "normalise_tags",
    "plan_batch",
    "plan_greedy",
    "plan_matches",
    "prepare_plan",
    "score_matrix",
    "score_pair",
    "suggest_peers",
    "why_not",
]
