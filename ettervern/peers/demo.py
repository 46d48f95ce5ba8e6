"""Demo peer workers: varied profiles, most of them active in the resource base."""

import datetime as dt

from ettervern.accounts.models import Membership, Role, User
from ettervern.lib import vocab
from ettervern.lib.demo_profiles import pick, profile
from ettervern.peers.models import PeerWorker

EXTRA_PEERS = 7


def _peer(ctx, user: User, status: str) -> PeerWorker:
    rng = ctx.rng
    completed = status in (PeerWorker.ResourceStatus.ACTIVE, PeerWorker.ResourceStatus.PAUSED)
    return PeerWorker.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        user=user,
        strengths=pick(rng, vocab.LIFE_AREAS, 1, 3),
        availability=pick(rng, vocab.AVAILABILITY, 1, 3),
        years_in_recovery=rng.randint(2, 15),
        max_participants=rng.randint(1, 3) if user.email.split("@")[0] != "likeperson" else 3,
        resource_status=status,
        course_completed_on=ctx.today - dt.timedelta(days=rng.randint(60, 700))
        if completed
        else None,
        **profile(rng, ctx.spec.areas),
    )


def seed(ctx) -> None:
    active = PeerWorker.ResourceStatus.ACTIVE
    peers = [
        _peer(ctx, ctx.users["likeperson"], active),
        _peer(ctx, ctx.users["likeperson2"], active),
    ]
    statuses = [active] * (EXTRA_PEERS - 2) + [
        PeerWorker.ResourceStatus.CANDIDATE,
        PeerWorker.ResourceStatus.PAUSED,
    ]
    for i, status in enumerate(statuses, start=3):
        user = ctx.demo_user(f"likeperson{i}", ctx.faker.name())
        ctx.member(user, Role.PEER_WORKER)
        peers.append(_peer(ctx, user, status))
    ctx.shared["peers"] = peers


def seed_scale(ctx) -> None:
    """One peer per ten participants, in bulk."""
    count = max(1, ctx.scale // 10)
    rng = ctx.rng
    users = User.objects.bulk_create(
        [
            User(
                email=f"likeperson{i}@{ctx.spec.email_domain}",
                name=ctx.faker.name(),
                is_demo=True,
                password=ctx.password_hash,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                organisation=ctx.organisation,
                programme=ctx.programme,
                role=Role.PEER_WORKER,
            )
            for u in users
        ],
        batch_size=2000,
    )
    peers = PeerWorker.objects.bulk_create(
        [
            PeerWorker(
                organisation=ctx.organisation,
                programme=ctx.programme,
                user=u,
                strengths=pick(rng, vocab.LIFE_AREAS, 1, 3),
                availability=pick(rng, vocab.AVAILABILITY, 1, 3),
                max_participants=rng.randint(1, 4),
                resource_status=PeerWorker.ResourceStatus.ACTIVE,
                course_completed_on=ctx.today - dt.timedelta(days=rng.randint(30, 900)),
                **profile(rng, ctx.spec.areas),
            )
            for u in users
        ],
        batch_size=2000,
    )
    ctx.shared["peers"] = peers
