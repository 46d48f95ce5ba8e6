"""Reads for the matching pages: suggestions, "why not", the batch plan. Django glue around the
pure core; every function takes objects already fetched through scoped selectors."""

from dataclasses import dataclass

from django.utils import timezone

from ettervern.accounts.models import Programme
from ettervern.lib.collector import collector_paused
from ettervern.matching import core
from ettervern.matching.explain import explain
from ettervern.matching.loading import (
    PeerRow,
    available_peers,
    candidate_peers,
    peer_rows,
    peers_with_users,
    plan_constraints,
    plannable_core_participants,
    settings_for,
    to_core_participants,
    to_core_peers,
    waiting_queryset,
    weights_for,
)
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load


@dataclass(frozen=True)
class Line:
    """One explained criterion or reason, ready for a template."""

    text: str
    points: float | None = None
    max_points: float | None = None
    # A weighted criterion that could not count: the participant's data is missing.
    missing: bool = False


@dataclass(frozen=True)
class ExplainedSuggestion:
    rank: int
    peer: PeerWorker
    score: float
    lines: list[Line]


def _lines(breakdown: core.ScoreBreakdown, weights: core.Weights) -> list[Line]:
    """The criteria that counted, then the weighted ones that could not count because the
    participant's data is missing (so the coordinator sees what to record)."""
    counted = [
        Line(explain(c.reason), round(c.points, 1), round(c.max_points, 1))
        for c in breakdown.criteria
        if c.max_points > 0
    ]
    missing = [
        Line(explain(c.reason), missing=True)
        for c in breakdown.criteria
        if not c.applicable
        and c.criterion in core.DATA_CRITERIA
        and getattr(weights, c.criterion) > 0
    ]
    return counted + missing


def reference_year() -> int:
    return timezone.localdate().year


def _candidates(programme: Programme, subject: core.Participant) -> list[PeerRow]:
    """Only the peers who may be eligible for this participant, from the database: scores are
    per pair, so leaving the others out changes no score and no ranking."""
    return candidate_peers(programme, subject, reference_year=reference_year())


def suggestions_for(participant: Participant) -> list[ExplainedSuggestion]:
    programme = participant.programme
    [subject] = to_core_participants([participant])
    weights = weights_for(programme)
    found = core.suggest_peers(
        subject,
        to_core_peers(_candidates(programme, subject)),
        reference_year=reference_year(),
        weights=weights,
        limit=settings_for(programme).suggestions_shown,
    )
    # Only the suggested peers are shown: their names in one more query.
    by_id = peers_with_users(programme, (s.peer_id for s in found))
    return [
        ExplainedSuggestion(
            s.rank, by_id[s.peer_id], round(s.score, 1), _lines(s.breakdown, weights)
        )
        for s in found
    ]


@dataclass(frozen=True)
class WhyNotAnswer:
    peer: PeerWorker
    eligible: bool
    reasons: list[str]
    lines: list[Line]


def why_not_for(participant: Participant, peer: PeerWorker) -> WhyNotAnswer:
    programme = participant.programme
    year = reference_year()
    [subject] = to_core_participants([participant])
    [target] = to_core_peers(peer_rows(PeerWorker.objects.filter(pk=peer.pk)))
    # A peer who fails a hard constraint is explained by the constraints alone; only an
    # eligible one is ranked among the participant's candidates.
    eligible = not core.check_eligibility(subject, target, reference_year=year)
    pool = to_core_peers(_candidates(programme, subject)) if eligible else []
    weights = weights_for(programme)
    answer = core.why_not(
        subject,
        target,
        pool,
        reference_year=year,
        weights=weights,
        limit=settings_for(programme).suggestions_shown,
    )
    lines = _lines(answer.breakdown, weights) if answer.breakdown is not None else []
    return WhyNotAnswer(peer, answer.eligible, [explain(r) for r in answer.reasons], lines)


def eligibility_problems(participant: Participant, peer: PeerWorker) -> list[str]:
    """Hard constraints the pair fails, in plain Norwegian, with fresh data from the database."""

    fresh_peer = peers_with_load(PeerWorker.objects.filter(pk=peer.pk)).get()
    [subject] = to_core_participants([participant])
    [target] = to_core_peers([fresh_peer])
    reasons = core.check_eligibility(subject, target, reference_year=reference_year())
    return [explain(r) for r in reasons]


@dataclass(frozen=True)
class PlannedPair:
    participant: Participant
    peer: PeerWorker
    score: float
    locked: bool
    highlights: list[str]


@dataclass(frozen=True)
class BatchPlan:
    programme: Programme
    pairs: list[PlannedPair]
    unmatched: list[Participant]
    comparison: core.Comparison
    greedy_pairs: dict[int, int]  # participant id -> peer id in the greedy plan
    waiting_count: int
    error: str = ""
    # ``unmatched`` is one page (``UNMATCHED_PAGE_SIZE``) of the ``unmatched_count``.
    unmatched_count: int = 0
    unmatched_page: int = 1

    @property
    def unmatched_has_next(self) -> bool:
        return self.unmatched_page * UNMATCHED_PAGE_SIZE < self.unmatched_count


UNMATCHED_PAGE_SIZE = 50


def _plan_and_greedy(
    participants: list[core.Participant],
    peers: list[core.Peer],
    year: int,
    weights: core.Weights,
    locked: set[tuple[int, int]],
    forbidden: set[tuple[int, int]],
) -> tuple[core.Plan, core.Plan]:
    plan, greedy = core.plan_batch(
        participants,
        peers,
        reference_year=year,
        weights=weights,
        locked=locked,
        forbidden=forbidden,
    )
    assert plan is not None and greedy is not None
    return plan, greedy


@collector_paused()
def batch_plan_for(programme: Programme, *, unmatched_page: int = 1) -> BatchPlan:
    """The optimal plan for a programme's waiting list. Only who can take part is loaded and
    scored: participants with consent to follow-up, peers with a free slot (and the people of
    locked pairs, whose problems are then explained); the rest cannot change the optimum.
    Participants are loaded as plain data; model objects only for the planned pairs."""
    locked, forbidden = plan_constraints(programme)
    core_participants = plannable_core_participants(programme, also={a for a, _b in locked})
    peers = available_peers(programme, also={b for _a, b in locked})
    waiting_count = waiting_queryset(programme).count()
    core_peers = to_core_peers(peers)
    weights = weights_for(programme)
    year = reference_year()
    waiting_ids = {p.id for p in core_participants}
    peer_ids = {q.pk for q in peers}
    # Constraints on people who no longer wait (matched meanwhile) simply do not apply.
    locked = {(a, b) for a, b in locked if a in waiting_ids and b in peer_ids}
    forbidden = {(a, b) for a, b in forbidden if a in waiting_ids and b in peer_ids}
    error = ""
    try:
        plan, greedy = _plan_and_greedy(
            core_participants, core_peers, year, weights, locked, forbidden
        )
    except core.LockedPairError as exc:
        # A locked pair no longer holds: plan without locks and say so.
        error = "; ".join(explain(r) for r in exc.reasons)
        plan, greedy = _plan_and_greedy(
            core_participants, core_peers, year, weights, set(), forbidden
        )
        locked = set()
    by_participant = Participant.objects.in_bulk([pair.participant_id for pair in plan.pairs])
    by_peer = {q.pk: q for q in peers}
    core_by_participant = {p.id: p for p in core_participants}
    core_by_peer = {q.id: q for q in core_peers}
    pairs = []
    for pair in plan.pairs:
        breakdown = core.score_pair(
            core_by_participant[pair.participant_id],
            core_by_peer[pair.peer_id],
            reference_year=year,
            weights=weights,
        )
        pairs.append(
            PlannedPair(
                participant=by_participant[pair.participant_id],
                peer=by_peer[pair.peer_id],
                score=round(pair.score, 1),
                locked=(pair.participant_id, pair.peer_id) in locked,
                highlights=[explain(r) for r in breakdown.highlights[:3]],
            )
        )
    # The unmatched: everyone waiting but the planned, a page at a time from the database.
    page = max(1, unmatched_page)
    start = (page - 1) * UNMATCHED_PAGE_SIZE
    unmatched = list(
        waiting_queryset(programme)
        .exclude(pk__in=[p.participant.pk for p in pairs])
        .only("pk", "name")[start : start + UNMATCHED_PAGE_SIZE]
    )
    return BatchPlan(
        programme=programme,
        pairs=pairs,
        unmatched=unmatched,
        comparison=core.compare(plan, greedy),
        greedy_pairs={p.participant_id: p.peer_id for p in greedy.pairs},
        waiting_count=waiting_count,
        error=error,
        unmatched_count=waiting_count - len(pairs),
        unmatched_page=page,
    )
