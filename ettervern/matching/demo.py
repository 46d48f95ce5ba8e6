"""Demo matches: every matched or paused participant gets an active peer with room."""

import datetime as dt

from django.utils import timezone

from ettervern.matching.models import Match, PeerPause
from ettervern.matching.services import held_slots_refresh
from ettervern.participants.models import Participant, StatusChange
from ettervern.peers.models import PeerWorker


def _assign(ctx) -> list[Match]:
    peers = [
        p for p in ctx.shared["peers"] if p.resource_status == PeerWorker.ResourceStatus.ACTIVE
    ]
    free = {p.pk: p.max_participants for p in peers}
    # The demo participant login goes to the first demo peer login ("likeperson").
    ordered = sorted(ctx.shared["participants"], key=lambda p: p.user_id is None)
    # A match begins the day the participant's history says they were matched.
    matched_on = {
        pk: timezone.localdate(at)
        for pk, at in StatusChange.objects.filter(
            participant__in=ordered, to_status="matched"
        ).values_list("participant_id", "at")
    }
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
        started = matched_on[participant.pk]
        # A peer is matched only after the peer course, and a match ends after it starts.
        if peer.course_completed_on:
            started = max(started, peer.course_completed_on)
        since = timezone.localdate(participant.status_since)
        started = min(started, since)
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
                ended_on=since if participant.status == "ended" else None,
            )
        )
    matches = Match.objects.bulk_create(matches, batch_size=2000)
    held_slots_refresh(PeerWorker.objects.filter(programme=ctx.programme).values("pk"))
    ctx.history(
        [
            {
                # Noon on the day it started, or now if that is later today.
                "at": min(
                    timezone.make_aware(dt.datetime.combine(m.started_on, dt.time(12))), ctx.now
                ),
                "obj_type": "matching.match",
                "obj_id": m.pk or "",
                "participant_id": m.participant_id,
                "action": "create",
                "data": {"event": "match_started", "peer_id": m.peer_id},
            }
            for m in matches
        ]
    )
    ctx.shared["matches"] = matches
    return matches


def seed(ctx) -> None:
    _assign(ctx)
    _capacity_crunch(ctx)
    _pause_asked_for(ctx)


def _pause_asked_for(ctx) -> None:
    """One peer (not a demo login) asks for a holiday pause from next week: the coordinator's home
    shows the request, and approving it asks who covers her participants."""
    asking = (
        PeerWorker.objects.filter(
            programme=ctx.programme,
            resource_status=PeerWorker.ResourceStatus.ACTIVE,
            matches__status="active",
        )
        .exclude(user__in=[ctx.users["likeperson"], ctx.users["likeperson2"]])
        .order_by("pk")
        .first()
    )
    if asking is None:
        return
    PeerPause.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        peer=asking,
        reason=PeerPause.Reason.HOLIDAY,
        starts_on=ctx.today + dt.timedelta(days=7),
        expected_return_on=ctx.today + dt.timedelta(days=21),
        status=PeerPause.Status.REQUESTED,
        requested_by=asking.user,
    )


def seed_scale(ctx) -> None:
    _assign(ctx)
    # One peer in ten has room for one or two more, so the waiting list has something to plan
    # (without, every slot is taken and the plan has nothing to do at any size).
    roomy = [p for p in ctx.shared["peers"] if ctx.rng.random() < 0.1]
    for peer in roomy:
        peer.max_participants += ctx.rng.randint(1, 2)
    PeerWorker.objects.bulk_update(roomy, ["max_participants"], batch_size=2000)


def _capacity_crunch(ctx) -> None:
    """Make the waiting list show why an optimal plan beats one-by-one matching.

    One woman among the peer workers has a single free slot. The longest-waiting participant
    would most like her, but could also be matched with someone else; a later participant must
    have a female peer. Matching one by one gives the slot to the first and leaves the second
    waiting; the optimal plan matches both.
    """
    from ettervern.participants.models import PeerWish
    from ettervern.peers.selectors import peers_with_load

    active = list(
        peers_with_load(
            PeerWorker.objects.filter(
                programme=ctx.programme, resource_status=PeerWorker.ResourceStatus.ACTIVE
            )
        ).order_by("pk")
    )
    # In the planner's waiting order (longest first by day, then id), whatever today is.
    waiting = sorted(
        Participant.objects.filter(programme=ctx.programme, status="waiting"),
        key=lambda p: (timezone.localdate(p.status_since), p.pk),
    )
    female = next(p for p in active if p.user_id == ctx.users["likeperson2"].pk)
    # Room for every waiting participant among the men, so that only her slot is scarce and the
    # plan beats one-by-one matching on any date (otherwise both fill every slot).
    men = len(active) - 1
    room = max(2, -(-len(waiting) // men)) if men else 0
    for peer in active:
        peer.gender = "female" if peer is female else "male"
        peer.max_participants = peer.load + (1 if peer is female else room)
        if ctx.gender_of(peer.user.name) != peer.gender:
            peer.user.name = ctx.person_name(peer.gender)
            peer.user.save(update_fields=["name"])
    PeerWorker.objects.bulk_update(active, ["gender", "max_participants"])
    first, needs_woman = waiting[0], waiting[1]
    if first.gender != "female":
        first.name = ctx.person_name("female")
    first.gender = "female"
    first.interests = list(female.interests)
    first.treatment_paths = list(female.treatment_paths)
    first.lived_experience = list(female.lived_experience)
    first.languages = list(female.languages)
    first.area = female.area
    first.save()
    PeerWish.objects.filter(participant__in=[first, needs_woman]).delete()
    scope = {"organisation": ctx.organisation, "programme": ctx.programme}
    PeerWish.objects.create(participant=first, kind="gender", value="female", must=False, **scope)
    PeerWish.objects.create(
        participant=needs_woman, kind="gender", value="female", must=True, **scope
    )
