"""Demo peer workers: varied profiles, most of them active in the resource base; the course
that brought them there, supervision history, group supervision and well-being check-ins."""

import datetime as dt

from ettervern.accounts.models import Membership, Role, User
from ettervern.lib import vocab
from ettervern.lib.demo_profiles import pick, profile
from ettervern.lib.periods import month_of, months_before
from ettervern.peers.models import (
    SUPERVISION_TOPICS,
    Candidate,
    CheckIn,
    ConversationRequest,
    Course,
    CourseSession,
    GroupSupervision,
    PeerWorker,
    Supervision,
)
from ettervern.peers.services import last_checkin_refresh

EXTRA_PEERS = 7
# In this organisation no group supervision is held or planned this month: the warning shows.
NO_GROUP_SUPERVISION_THIS_MONTH = "demo-oslo"
COURSE_TOPICS = [
    "Egen erfaring som ressurs",
    "Grenser og egenomsorg",
    "Samtaleteknikk og motiverende intervju",
    "Hjelpeapparatet: NAV, kommune, spesialisthelsetjeneste",
    "Overdose og førstehjelp",
    "Taushetsplikt og etikk",
]
GROUP_THEMES = [
    "Grenser: tilgjengelig døgnet rundt?",
    "Når en deltaker får tilbakefall",
    "Dårlig samvittighet når noen avlyser",
    "Samarbeid med NAV og kommunen",
]
HEARD_VIA = [c.value for c in Candidate.HeardVia]


def _peer(ctx, user: User, status: str) -> PeerWorker:
    rng = ctx.rng
    completed = status in (PeerWorker.ResourceStatus.ACTIVE, PeerWorker.ResourceStatus.PAUSED)
    fields = profile(rng, ctx.spec.areas)
    fields["gender"] = ctx.gender_of(user.name) or fields["gender"]
    peer = PeerWorker.objects.create(
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
        **fields,
    )
    if peer.course_completed_on:
        # Admitted to the resource base a few days after the course, not on the day of the seed.
        admitted = ctx.now - (ctx.today - peer.course_completed_on) + dt.timedelta(days=3)
        PeerWorker.objects.filter(pk=peer.pk).update(created_at=admitted)
    return peer


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
        user = ctx.demo_user(f"likeperson{i}", ctx.person_name())
        ctx.member(user, Role.PEER_WORKER)
        peers.append(_peer(ctx, user, status))
    ctx.shared["peers"] = peers
    _courses(ctx, peers)
    _supervision(ctx, peers)
    _group_supervision(ctx, peers)
    _checkins(ctx, peers)


def _sessions(ctx, course: Course, count: int) -> list[CourseSession]:
    return CourseSession.objects.bulk_create(
        CourseSession(
            organisation=ctx.organisation,
            programme=ctx.programme,
            course=course,
            held_on=course.starts_on + dt.timedelta(weeks=n),
            starts_at=dt.time(17),
            ends_at=dt.time(20),
            topic=COURSE_TOPICS[n % len(COURSE_TOPICS)],
        )
        for n in range(count)
    )


def _candidate(ctx, course, status, **fields) -> Candidate:
    rng = ctx.rng
    return Candidate.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        name=fields.pop("name", None) or ctx.person_name(),
        heard_via=rng.choice(HEARD_VIA),
        lived_experience=fields.pop("lived", None)
        or rng.choice([["own_substance_use"], ["own_substance_use", "prison"], ["relative"]]),
        in_recovery_since=ctx.today - dt.timedelta(days=rng.randint(400, 4000)),
        course=course,
        status=status,
        **fields,
    )


def _courses(ctx, peers: list[PeerWorker]) -> None:
    """Last year's cohort brought the active peers in; this term's cohort is under way."""
    done = [p for p in peers if p.course_completed_on]
    first = min(p.course_completed_on for p in done)
    old = Course.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        name="Likepersonkurs (første kull)",
        starts_on=first - dt.timedelta(weeks=6),
        ends_on=first,
    )
    old_sessions = _sessions(ctx, old, 6)
    attendance = []
    for peer in done:
        candidate = _candidate(
            ctx,
            old,
            Candidate.Status.ADMITTED,
            name=peer.user.name,
            email=peer.user.email,
            lived=peer.lived_experience,
            course_completed_on=peer.course_completed_on,
            peer=peer,
        )
        attendance += [(s, candidate) for s in old_sessions if ctx.rng.random() < 0.9]
    current = Course.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        name=f"Likepersonkurs {ctx.today.year}",
        starts_on=ctx.today - dt.timedelta(weeks=4),
        ends_on=ctx.today + dt.timedelta(weeks=2),
    )
    held = [s for s in _sessions(ctx, current, 6) if s.held_on <= ctx.today]
    for status in (
        Candidate.Status.IN_COURSE,
        Candidate.Status.IN_COURSE,
        Candidate.Status.IN_COURSE,
        Candidate.Status.WITHDRAWN,
    ):
        candidate = _candidate(ctx, current, status)
        share = 0.9 if status == Candidate.Status.IN_COURSE else 0.3
        attendance += [(s, candidate) for s in held if ctx.rng.random() < share]
    _candidate(
        ctx,
        old,
        Candidate.Status.COMPLETED,
        course_completed_on=old.ends_on,
        email=f"ny.likeperson@{ctx.spec.email_domain}",
    )
    _candidate(ctx, None, Candidate.Status.RECRUITED)
    through = CourseSession.attendees.through
    through.objects.bulk_create(
        through(coursesession_id=s.pk, candidate_id=c.pk) for s, c in attendance
    )


def _supervision(ctx, peers: list[PeerWorker]) -> None:
    coordinator = ctx.users["koordinator"]
    notes = [
        "Snakket om å slå av telefonen om kvelden.",
        "Gjennomgang av en vanskelig samtale med en deltaker.",
        "Egen bedringsprosess går bra; ønsker mer ansvar.",
        "",
    ]
    rows = []
    for peer in peers:
        if peer.resource_status == PeerWorker.ResourceStatus.CANDIDATE:
            continue
        for n in range(ctx.rng.randint(1, 4)):
            rows.append(
                Supervision(
                    organisation=ctx.organisation,
                    programme=ctx.programme,
                    peer=peer,
                    coordinator=coordinator,
                    held_on=ctx.today - dt.timedelta(days=7 + 30 * n + ctx.rng.randint(0, 10)),
                    topics=pick(ctx.rng, list(SUPERVISION_TOPICS), 1, 3),
                    notes=ctx.rng.choice(notes),
                )
            )
    Supervision.objects.bulk_create(rows)


def _group_supervision(ctx, peers: list[PeerWorker]) -> None:
    active = [p for p in peers if p.resource_status == PeerWorker.ResourceStatus.ACTIVE]
    skip_this_month = ctx.spec.slug == NO_GROUP_SUPERVISION_THIS_MONTH
    dates = [month_of(months_before(ctx.today, n)).start + dt.timedelta(days=9) for n in (3, 2, 1)]
    this_month = month_of(ctx.today).start + dt.timedelta(days=9)
    if not skip_this_month:
        dates.append(this_month)
    sessions = GroupSupervision.objects.bulk_create(
        GroupSupervision(
            organisation=ctx.organisation,
            programme=ctx.programme,
            held_on=day,
            theme=GROUP_THEMES[i % len(GROUP_THEMES)],
            guest_speaker="Gatejuristen" if i == 1 else "",
            created_by=ctx.users["koordinator"],
        )
        for i, day in enumerate(dates)
    )
    # The last active peer has stayed away for months: the coordinator's page names them.
    regulars = active[:-1]
    through = GroupSupervision.attendees.through
    through.objects.bulk_create(
        through(groupsupervision_id=s.pk, peerworker_id=p.pk)
        for s in sessions
        if s.held_on <= ctx.today
        for p in regulars
        if ctx.rng.random() < 0.8
    )


def _checkins(ctx, peers: list[PeerWorker]) -> None:
    own, other = peers[0], peers[1]
    rows = [
        CheckIn(
            organisation=ctx.organisation,
            programme=ctx.programme,
            peer=own,
            submitted_at=ctx.now - dt.timedelta(days=days),
            workload=workload,
            boundaries=boundaries,
            own_recovery=3,
            text=text,
        )
        for days, workload, boundaries, text in (
            (60, "right", 3, ""),
            (38, "too_much", 2, "Mange telefoner på kveldstid denne måneden."),
        )
    ]
    rows.append(
        CheckIn(
            organisation=ctx.organisation,
            programme=ctx.programme,
            peer=other,
            submitted_at=ctx.now - dt.timedelta(days=2),
            workload="too_little",
            boundaries=2,
            own_recovery=2,
            support_wanted=True,
            text="Dårlig samvittighet når deltakeren avlyser.",
        )
    )
    CheckIn.objects.bulk_create(rows)
    last_checkin_refresh(PeerWorker.objects.filter(programme=ctx.programme))
    ConversationRequest.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        peer=other,
        requested_at=ctx.now - dt.timedelta(days=2),
    )


def seed_scale(ctx) -> None:
    """One peer per ten participants, in bulk."""
    count = max(1, ctx.scale // 10)
    rng = ctx.rng
    users = User.objects.bulk_create(
        [
            User(
                email=f"likeperson{i}@{ctx.spec.email_domain}",
                name=ctx.person_name(),
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
    session = GroupSupervision.objects.create(
        organisation=ctx.organisation,
        programme=ctx.programme,
        held_on=ctx.today,
        theme=GROUP_THEMES[0],
    )
    GroupSupervision.attendees.through.objects.bulk_create(
        [
            GroupSupervision.attendees.through(groupsupervision_id=session.pk, peerworker_id=p.pk)
            for p in peers
            if rng.random() < 0.7
        ],
        batch_size=2000,
    )
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                organisation=ctx.organisation,
                programme=ctx.programme,
                peer=p,
                submitted_at=ctx.now - dt.timedelta(days=rng.randint(1, 60)),
                # Most say it is going fine; some that something is hard.
                workload=rng.choices(CheckIn.Workload.values, weights=[15, 70, 15])[0],
                boundaries=rng.choices([1, 2, 3], weights=[8, 30, 62])[0],
                own_recovery=rng.choices([1, 2, 3], weights=[6, 30, 64])[0],
            )
            for p in peers
        ],
        batch_size=2000,
    )
    last_checkin_refresh(PeerWorker.objects.filter(programme=ctx.programme))
    _scale_courses(ctx, peers)


def _scale_courses(ctx, peers: list[PeerWorker]) -> None:
    """Course cohorts at scale: the peers came through earlier cohorts (one per 200 peers, as
    admitted candidates), and this term's cohort is under way with attendance."""
    rng = ctx.rng
    scope = {"organisation": ctx.organisation, "programme": ctx.programme}
    cohorts = max(1, len(peers) // 200)
    old = Course.objects.bulk_create(
        Course(
            name=f"Likepersonkurs kull {n + 1}",
            starts_on=ctx.today - dt.timedelta(days=960 - 30 * n),
            ends_on=ctx.today - dt.timedelta(days=918 - 30 * n),
            **scope,
        )
        for n in range(cohorts)
    )
    Candidate.objects.bulk_create(
        (
            Candidate(
                name=p.user.name,
                email=p.user.email,
                heard_via=rng.choice(HEARD_VIA),
                lived_experience=p.lived_experience,
                course=old[i % cohorts],
                status=Candidate.Status.ADMITTED,
                course_completed_on=p.course_completed_on,
                peer=p,
                **scope,
            )
            for i, p in enumerate(peers)
        ),
        batch_size=2000,
    )
    current = Course.objects.create(
        name=f"Likepersonkurs {ctx.today.year} (skala)",
        starts_on=ctx.today - dt.timedelta(weeks=4),
        ends_on=ctx.today + dt.timedelta(weeks=2),
        **scope,
    )
    held = [s for s in _sessions(ctx, current, 6) if s.held_on <= ctx.today]
    learners = Candidate.objects.bulk_create(
        (
            Candidate(
                name=ctx.person_name(),
                heard_via=rng.choice(HEARD_VIA),
                lived_experience=["own_substance_use"],
                course=current,
                status=Candidate.Status.IN_COURSE,
                **scope,
            )
            for _ in range(max(3, len(peers) // 20))
        ),
        batch_size=2000,
    )
    through = CourseSession.attendees.through
    through.objects.bulk_create(
        (
            through(coursesession_id=s.pk, candidate_id=c.pk)
            for s in held
            for c in learners
            if rng.random() < 0.85
        ),
        batch_size=2000,
    )
