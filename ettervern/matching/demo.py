"""Demo matches: every matched or paused participant gets an active peer with room."""

import datetime as dt

from ettervern.matching.models import Match
from ettervern.participants.models import Participant
from ettervern.peers.models import PeerWorker


def _assign(ctx) -> list[Match]:
    peers = [
        p for p in ctx.shared["peers"] if p.resource_status == PeerWorker.ResourceStatus.ACTIVE
    ]
    free = {p.pk: p.max_participants for p in peers}
    # The demo participant login goes to the first demo peer login ("likeperson").
    ordered = sorted(ctx.shared["participants"], key=lambda p: p.user_id is None)
    matches = []
    cursor = 0
    for participant in ordered:
        if participant.status not in ("matched", "paused", "ended"):
            continue
        for step in range(len(peers)):
            peer = peers[(cursor + step) % len(peers)]
            if free[peer.pk] > 0 or participant.status == "ended":
                break
        else:
            participant.status = Participant.Status.WAITING  # no room: back on the waiting list
            Participant.objects.filter(pk=participant.pk).update(status="waiting")
            continue
        if participant.user_id is None:
            cursor += 1
        if participant.status != "ended":
            free[peer.pk] -= 1
        started = (participant.status_since - dt.timedelta(days=ctx.rng.randint(20, 200))).date()
        matches.append(
            Match(
                organisation=ctx.organisation,
                programme=ctx.programme,
                participant=participant,
                peer=peer,
                status={"matched": "active", "paused": "paused", "ended": "ended"}[
                    participant.status
                ],
                started_on=started,
                ended_on=participant.status_since.date() if participant.status == "ended" else None,
            )
        )
    matches = Match.objects.bulk_create(matches, batch_size=2000)
    ctx.shared["matches"] = matches
    return matches


def seed(ctx) -> None:
    _assign(ctx)


def seed_scale(ctx) -> None:
    _assign(ctx)
