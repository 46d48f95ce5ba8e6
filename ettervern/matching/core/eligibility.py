"""Hard constraints: a pair that fails any of them is never suggested or planned."""

from __future__ import annotations

from typing import Any

from ettervern.matching.core.criteria import wish_holds
from ettervern.matching.core.data import Participant, Peer, Reason


def wish_params(key: tuple[str, Any]) -> dict[str, Any]:
    """A wish as JSON-friendly reason params (an age range becomes a two-item list)."""
    kind, value = key
    return {"kind": kind, "value": list(value) if kind == "age_range" else value}


def peer_is_available(peer: Peer) -> bool:
    """The peer-only constraints: course completed, in the resource base, a free slot."""
    return peer.course_completed and peer.active and peer.load < peer.capacity


def check_eligibility(participant: Participant, peer: Peer, *, reference_year: int) -> list[Reason]:
    """Every hard constraint the pair fails, as reasons; an empty list means eligible.

    Codes: ``course_not_completed``, ``not_in_resource_base``, ``no_free_capacity`` {load,
    capacity}, ``no_followup_consent``, ``excluded``, ``must_wish_unmet`` {kind, value}.
    """
    failed: list[Reason] = []
    if not peer.course_completed:
        failed.append(Reason("course_not_completed"))
    if not peer.active:
        failed.append(Reason("not_in_resource_base"))
    if peer.load >= peer.capacity:
        failed.append(Reason("no_free_capacity", {"load": peer.load, "capacity": peer.capacity}))
    if not participant.has_followup_consent:
        failed.append(Reason("no_followup_consent"))
    if peer.id in participant.excluded_peer_ids:
        failed.append(Reason("excluded"))
    for wish in participant.must_wishes:
        if not wish_holds(wish.key, peer, reference_year):
            failed.append(Reason("must_wish_unmet", wish_params(wish.key)))
    return failed
