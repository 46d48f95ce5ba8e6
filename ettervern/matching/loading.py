"""Load a programme's participants and peer workers into the pure matching core.

The core (``ettervern.matching.core``) works on plain data; this module is the only place that
turns rows into that data. Codes outside the shared vocabulary (e.g. from older data) are left
out rather than failing the whole page.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ettervern.accounts.models import Area, Programme
from ettervern.lib import vocab
from ettervern.matching import core
from ettervern.matching.access import current_matches
from ettervern.matching.models import Exclusion, Match, MatchingSettings, PlanConstraint
from ettervern.participants.models import Consent, Goal, Participant, PeerWish
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load

_EXPERIENCE = set(vocab.LIVED_EXPERIENCE) | set(vocab.SUBSTANCES)


def _known(values: Iterable[str] | None, allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    return [v for v in (values or []) if v in allowed]


Places = dict[tuple[int, str], Area]


def _places(rows: Iterable) -> Places:
    """The areas of the rows' organisations (retired ones too: stored codes keep their place),
    by (organisation id, code), in one query."""
    organisation_ids = {row.organisation_id for row in rows}
    if not organisation_ids:
        return {}
    return {
        (a.organisation_id, a.code): a
        for a in Area.objects.filter(organisation_id__in=organisation_ids)
    }


def _area(row, places: Places) -> dict:
    """The core's area fields of a participant or peer: the code of one of its organisation's
    areas, with its name and map point; codes the organisation does not have count as unknown."""
    area = places.get((row.organisation_id, row.area)) if row.area else None
    if area is None:
        return {"area": None}
    return {"area": area.code, "area_name": area.name, "location": area.location}


def _wish(kind: str, value, must: bool) -> core.Wish | None:
    try:
        return core.Wish(kind, value, must=must)
    except ValueError:
        return None


def weights_for(programme: Programme) -> core.Weights:
    settings = MatchingSettings.objects.filter(programme=programme).first()
    if settings is None:
        return core.DEFAULT_WEIGHTS
    try:
        return core.Weights.from_mapping(settings.weights)
    except ValueError:
        return core.DEFAULT_WEIGHTS


def settings_for(programme: Programme) -> MatchingSettings:
    return MatchingSettings.objects.filter(programme=programme).first() or MatchingSettings(
        organisation_id=programme.organisation_id, programme=programme
    )


def to_core_participants(participants: list[Participant]) -> list[core.Participant]:
    """Core participants with wishes, goals, consent, exclusions, earlier peers and areas, in 7
    queries."""
    return _core_participants(participants, Q(participant_id__in=[p.pk for p in participants]))


def _core_participants(rows, related: Q) -> list[core.Participant]:
    """``rows``: objects with a participant's fields as attributes (model instances or plain
    rows); ``related``: the filter that finds their wishes, goals, exclusions, matches and
    consents (their ids, or a subquery when there are many)."""
    places = _places(rows)
    zone = timezone.get_current_timezone()  # once, not per participant
    wishes, goals, excluded, previous = (defaultdict(list) for _ in range(4))
    for pid, kind, value, must in PeerWish.objects.filter(related).values_list(
        "participant_id", "kind", "value", "must"
    ):
        wish = _wish(kind, value, must)
        if wish is not None:
            wishes[pid].append(wish)
    for pid, area in Goal.objects.filter(related, status="active").values_list(
        "participant_id", "life_area"
    ):
        goals[pid].append(area)
    for pid, peer_id in Exclusion.objects.filter(related).values_list("participant_id", "peer_id"):
        excluded[pid].append(peer_id)
    for pid, peer_id in (
        Match.objects.filter(related)
        .exclude(status=Match.Status.PROPOSED)
        .values_list("participant_id", "peer_id")
    ):
        previous[pid].append(peer_id)
    consented = set(
        Consent.objects.filter(
            related, purpose=Consent.Purpose.FOLLOW_UP, withdrawn_at__isnull=True
        ).values_list("participant_id", flat=True)
    )
    result = []
    for p in rows:
        result.append(
            core.Participant(
                id=p.pk,
                gender=p.gender if p.gender in vocab.GENDERS else None,
                birth_year=p.birth_year,
                lived_experience=_known(p.lived_experience, vocab.LIVED_EXPERIENCE),
                substances=_known(p.substances, vocab.SUBSTANCES),
                treatment_paths=_known(p.treatment_paths, vocab.TREATMENT_PATHS),
                # core.Participant normalises the tags.
                interests=p.interests or (),
                goals=_known(goals[p.pk], vocab.LIFE_AREAS),
                availability=_known(p.availability_wanted, vocab.AVAILABILITY),
                languages=_known(p.languages, vocab.LANGUAGES),
                **_area(p, places),
                wishes=tuple(wishes[p.pk]),
                has_followup_consent=p.pk in consented,
                excluded_peer_ids=frozenset(excluded[p.pk]),
                previous_peer_ids=frozenset(previous[p.pk]),
                waiting_since=p.status_since.astimezone(zone).date(),
            )
        )
    return result


def to_core_peers(peers: Iterable[PeerWorker]) -> list[core.Peer]:
    """Core peers; ``peers``: peer workers annotated with ``load`` (``peers_with_load``), or
    ``PeerRow``s."""
    peers = list(peers)
    places = _places(peers)
    return [
        core.Peer(
            id=q.pk,
            gender=q.gender if q.gender in vocab.GENDERS else None,
            birth_year=q.birth_year,
            # An advisor (veileder) is matched without the peer course: the constraint is met.
            course_completed=q.course_completed_on is not None or not q.needs_course,
            active=q.resource_status == PeerWorker.ResourceStatus.ACTIVE,
            capacity=q.max_participants,
            load=q.load,
            lived_experience=_known(q.lived_experience, vocab.LIVED_EXPERIENCE),
            substances=_known(q.substances, vocab.SUBSTANCES),
            treatment_paths=_known(q.treatment_paths, vocab.TREATMENT_PATHS),
            interests=core.normalise_tags(q.interests or []),
            strengths=_known(q.strengths, vocab.LIFE_AREAS),
            availability=_known(q.availability, vocab.AVAILABILITY),
            languages=_known(q.languages, vocab.LANGUAGES),
            **_area(q, places),
        )
        for q in peers
    ]


def programme_peers(programme: Programme) -> list[PeerWorker]:
    return list(
        peers_with_load(PeerWorker.objects.filter(programme=programme))
        .select_related("user")
        .order_by("pk")
    )


def available_peers(programme: Programme, *, also=(), genders=(), excluded=()) -> list[PeerWorker]:
    """The peers who can take a participant now, filtered in the database by the hard
    constraints SQL can express: in the resource base, the course done (advisors need none), a
    free slot; for one participant also the genders they must have and the peers excluded.
    ``also``: peer ids loaded whatever their state (locked pairs, "why not"). The matching core
    still checks every constraint: this only spares it the peers who cannot take part."""
    can_take = (
        Q(resource_status=PeerWorker.ResourceStatus.ACTIVE)
        & (Q(course_completed_on__isnull=False) | ~Q(kind=PeerWorker.Kind.PEER))
        & Q(load__lt=F("max_participants"))
    )
    for gender in genders:
        can_take &= Q(gender=gender)
    if excluded:
        can_take &= ~Q(pk__in=list(excluded))
    return list(
        PeerWorker.objects.filter(programme=programme)
        .annotate(load=held_slots())
        .filter(can_take | Q(pk__in=list(also)))
        .select_related("user")
        .order_by("pk")
    )


@dataclass(slots=True)
class PeerRow:
    """What ``to_core_peers`` reads of a peer, as a plain row: the candidates for one participant
    are hundreds of peers at national scale, and the matching core needs no model instances."""

    id: int
    organisation_id: int
    kind: str
    gender: str
    birth_year: int | None
    lived_experience: list
    substances: list
    treatment_paths: list
    interests: list
    strengths: list
    languages: list
    area: str
    availability: list
    max_participants: int
    resource_status: str
    course_completed_on: dt.date | None
    load: int

    @property
    def pk(self) -> int:
        return self.id

    @property
    def needs_course(self) -> bool:
        return self.kind == PeerWorker.Kind.PEER


_PEER_ROW_FIELDS = tuple(f.name for f in fields(PeerRow))


# A match holding its peer's slot: the matches ``PeerWorker.held_slots`` counts.
HOLDS_SLOT = Q(status=Match.Status.ACTIVE) | Q(status=Match.Status.PAUSED, frees_slot=False)


def held_slots_counted():
    """A peer's ``load`` counted from her matches (as ``peers_with_load`` counts it: active, or
    paused without the slot freed), as a subquery per peer row: what ``held_slots_refresh``
    stores in ``PeerWorker.held_slots``."""
    held = (
        Match.objects.filter(HOLDS_SLOT, peer=OuterRef("pk"))
        .order_by()
        .values("peer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0)


def held_slots():
    """A peer's ``load``, as the match services keep it on her row."""
    return F("held_slots")


def _json_code(field: str, code: str) -> Q:
    """The peers whose JSON list ``field`` holds ``code``, on PostgreSQL and SQLite alike: the
    list's text contains the quoted code (codes are plain lower-case ASCII without quotes)."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


def wish_filter(key: tuple[str, Any], reference_year: int) -> Q:
    """The peers who meet a wish ``(kind, value)``, as a database filter with the rules of
    ``core.criteria.wish_holds``: unknown data never meets a wish, and a shared experience is
    looked for in the list its code belongs to (the loading keeps only known codes in each).
    The one place these rules are written for SQL: the candidates for a participant and the
    recruitment radar's peer counts use it."""
    kind, value = key
    if kind == "gender":
        return Q(gender=value)
    if kind == "age_range":
        low, high = value
        return Q(birth_year__gte=reference_year - high, birth_year__lte=reference_year - low)
    if kind == "shared_experience":
        either = Q(pk__in=[])
        if value in vocab.LIVED_EXPERIENCE:
            either |= _json_code("lived_experience", value)
        if value in vocab.SUBSTANCES:
            either |= _json_code("substances", value)
        return either
    if kind == "treatment_path":
        return _json_code("treatment_paths", value)
    if kind == "language":
        return _json_code("languages", value)
    if kind == "availability":
        return _json_code("availability", value)
    raise ValueError(f"unknown wish kind {kind!r}")


def candidate_peers(
    programme: Programme, subject: core.Participant, *, reference_year: int
) -> list[PeerRow]:
    """The peers who may be eligible for one participant, filtered in the database by every
    hard constraint SQL can express: in the resource base, the course done (advisors need
    none), a free slot, not excluded, the participant's must-wishes. Plain rows of what the
    core reads, without the user; the core still checks every constraint, so the suggestions
    are those of scoring all the programme's peers."""
    can_take = Q(resource_status=PeerWorker.ResourceStatus.ACTIVE) & (
        Q(course_completed_on__isnull=False) | ~Q(kind=PeerWorker.Kind.PEER)
    )
    if subject.excluded_peer_ids:
        can_take &= ~Q(pk__in=sorted(subject.excluded_peer_ids))
    for wish in subject.must_wishes:
        can_take &= wish_filter(wish.key, reference_year)
    can_take &= Q(held_slots__lt=F("max_participants"))
    return peer_rows(PeerWorker.objects.filter(programme=programme).filter(can_take))


def peer_rows(peers: QuerySet[PeerWorker]) -> list[PeerRow]:
    """The peers as ``PeerRow``s with their load, by id."""
    rows = peers.annotate(load=held_slots()).order_by("pk").values_list(*_PEER_ROW_FIELDS)
    return [PeerRow(*row) for row in rows]


def peers_with_users(programme: Programme, ids: Iterable[int]) -> dict[int, PeerWorker]:
    """The programme's peers with these ids, with their user (for names), by id: the few that
    are shown. An id of another programme's peer finds nothing."""
    peers = PeerWorker.objects.filter(programme=programme, pk__in=list(ids))
    return {q.pk: q for q in peers_with_load(peers).select_related("user")}


def waiting_queryset(programme: Programme):
    return (
        Participant.objects.filter(programme=programme, status=Participant.Status.WAITING)
        .exclude(pk__in=current_matches().values("participant_id"))
        .order_by("status_since", "pk")
    )


def plannable_participants(programme: Programme, *, also=()) -> list[Participant]:
    """Waiting participants who can be matched at all (consent to follow-up given and not
    withdrawn), filtered in the database; ``also``: ids loaded anyway (locked pairs)."""
    return list(_plannable_queryset(programme, also=also))


def _plannable_queryset(programme: Programme, *, also=()):
    consented = Consent.objects.filter(
        participant=OuterRef("pk"), purpose=Consent.Purpose.FOLLOW_UP, withdrawn_at__isnull=True
    )
    return waiting_queryset(programme).filter(Exists(consented) | Q(pk__in=list(also)))


# The participant fields the matching core reads.
_CORE_FIELDS = (
    "pk",
    "organisation_id",
    "gender",
    "birth_year",
    "lived_experience",
    "substances",
    "treatment_paths",
    "interests",
    "availability_wanted",
    "languages",
    "area",
    "status_since",
)


def plannable_core_participants(programme: Programme, *, also=()) -> list[core.Participant]:
    """:func:`plannable_participants` as core participants, for the batch plan: plain rows of
    the fields the core reads (no model instances). The related rows are those of everyone
    waiting in the programme (a plain join, a superset: rows of others are never looked up),
    not a list of thousands of ids or a subquery."""
    queryset = _plannable_queryset(programme, also=also)
    rows = [SimpleNamespace(**row) for row in queryset.values(*_CORE_FIELDS)]
    waiting = Q(participant__programme=programme, participant__status=Participant.Status.WAITING)
    return _core_participants(rows, waiting | Q(participant_id__in=list(also)))


def waiting_participants(programme: Programme) -> list[Participant]:
    return list(
        Participant.objects.filter(programme=programme, status=Participant.Status.WAITING)
        .exclude(pk__in=current_matches().values("participant_id"))
        .order_by("status_since", "pk")
    )


def plan_constraints(programme: Programme) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    locked, forbidden = set(), set()
    for pid, peer_id, kind in PlanConstraint.objects.filter(programme=programme).values_list(
        "participant_id", "peer_id", "kind"
    ):
        (locked if kind == PlanConstraint.Kind.LOCK else forbidden).add((pid, peer_id))
    return locked, forbidden
