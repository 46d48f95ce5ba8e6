"""Demo participants in every status, with history, consents, goals and wishes for a peer."""

import datetime as dt

from ettervern.lib import vocab
from ettervern.lib.demo_profiles import pick, profile
from ettervern.participants.models import (
    Consent,
    Goal,
    OtherService,
    Participant,
    PeerWish,
    Referral,
    StatusChange,
)

PATHS = {
    "referred": ["referred"],
    "intake": ["referred", "intake"],
    "waiting": ["referred", "intake", "waiting"],
    "matched": ["referred", "intake", "waiting", "matched"],
    "paused": ["referred", "intake", "waiting", "matched", "paused"],
    "ended": ["referred", "intake", "waiting", "matched", "ended"],
}
# Nobody in the demo has waited longer than this many times the programme's waiting alert.
MAX_WAIT_ALERTS = 2
# How many demo participants in each status.
MIX = [("matched", 6), ("waiting", 9), ("referred", 3), ("intake", 3), ("paused", 2), ("ended", 2)]
GOAL_TEXTS = {
    "housing": "Få egen leilighet etter treningsboligen",
    "work_education": "Komme i jobb eller arbeidstrening",
    "economy_debt": "Få oversikt over gjelden",
    "health": "Fast fastlege og tannlege",
    "network_leisure": "Finne noe å gjøre på kveldene",
    "substance_use": "Holde meg rusfri",
    "family": "Få tilbake kontakt med barna",
    "services": "Møte NAV sammen med noen",
}


SOURCES = ["nav", "municipality", "treatment", "prison", "own_organisation", "self"]
HELP_TEXTS = [
    "Trenger noen å snakke med etter løslatelsen, og hjelp med bolig.",
    "Ønsker følge til NAV og hjelp til å finne noe å gjøre på dagtid.",
    "Vil ha en likeperson som har vært gjennom LAR selv.",
    "Har lite nettverk etter behandlingen og gruer seg til helgene.",
]
WORKPLACES = {
    "nav": "NAV Bergenhus",
    "municipality": "Rustjenesten i kommunen",
    "treatment": "Behandlingssenteret",
    "prison": "Bergen fengsel",
}


def _history(ctx, participant: Participant, status: str, start: dt.datetime) -> list[StatusChange]:
    """The steps to the current status, a few days to weeks apart, all in the past: the current
    status began by yesterday at the latest, and a waiting participant has waited at most
    ``MAX_WAIT_ALERTS`` times the programme's waiting alert (some past it, so the alert shows)."""
    times, at = [], start
    for _ in PATHS[status]:
        times.append(at)
        at = at + dt.timedelta(days=ctx.rng.randint(3, 25))
    latest = ctx.now - dt.timedelta(days=1)
    if times[-1] > latest:
        times = [t - (times[-1] - latest) for t in times]
    if status == "waiting":
        cap = max(2, MAX_WAIT_ALERTS * ctx.programme.waiting_alert_days)
        waited = (ctx.now - times[-1]).days
        if waited >= cap:  # fold the wait back to between 1 and cap - 1 days (and hours)
            later = dt.timedelta(days=waited - 1 - waited % (cap - 1))
            times = [t + later for t in times]
    rows, previous = [], ""
    for step, at in zip(PATHS[status], times, strict=True):
        rows.append(
            StatusChange(
                organisation=ctx.organisation,
                programme=ctx.programme,
                participant=participant,
                from_status=previous,
                to_status=step,
                at=at,
                end_reason="goals_reached" if step == "ended" else "",
                can_come_back=step == "ended",
            )
        )
        previous = step
    return rows


def _participant(ctx, status: str, *, start: dt.datetime, user=None) -> Participant:
    rng = ctx.rng
    fields = profile(rng, ctx.spec.areas)
    fields.pop("gender")
    transition = rng.choices(["release", "discharge", "other", ""], weights=[35, 40, 5, 20])[0]
    days_ago = rng.randint(20, 300)
    housing = {"release": "training_housing", "discharge": "own_home"}.get(transition, "")
    gender = rng.choices(["male", "female", "other"], weights=[65, 33, 2])[0]
    return Participant(
        organisation=ctx.organisation,
        programme=ctx.programme,
        name=ctx.person_name(gender),
        transition=transition,
        transition_date=(ctx.today - dt.timedelta(days=days_ago)) if transition else None,
        housing_stage=housing or rng.choice(["own_home", "pilot_flat", "homeless"]),
        gender=gender,
        phone=f"9{rng.randint(1000000, 9999999)}",
        status=status,
        status_since=start,
        availability_wanted=pick(rng, vocab.AVAILABILITY, 0, 2),
        user=user,
        **fields,
    )


def _extras(ctx, participant: Participant, consents: list, goals: list, wishes: list) -> None:
    rng = ctx.rng
    scope = {"organisation": ctx.organisation, "programme": ctx.programme}
    if participant.status != "referred":
        given = participant.status_since - dt.timedelta(days=1)
        for purpose, share in (("follow_up", 1.0), ("research", 0.6), ("share_referrer", 0.5)):
            if rng.random() < share:
                consents.append(
                    Consent(
                        participant=participant,
                        purpose=purpose,
                        given_at=given,
                        method=rng.choice(["written", "oral"]),
                        text_version="2026-1",
                        **scope,
                    )
                )
        for area in rng.sample(list(GOAL_TEXTS), rng.randint(1, 3)):
            goals.append(
                Goal(participant=participant, life_area=area, description=GOAL_TEXTS[area], **scope)
            )
    if rng.random() < 0.35:
        gender = rng.choice(["male", "female"])
        wishes.append(
            PeerWish(participant=participant, kind="gender", value=gender, must=True, **scope)
        )
    if rng.random() < 0.4:
        low = rng.choice([20, 30, 40])
        wishes.append(
            PeerWish(participant=participant, kind="age_range", value=f"{low}-{low + 25}", **scope)
        )
    if rng.random() < 0.4 and participant.treatment_paths:
        path = participant.treatment_paths[0]
        wishes.append(PeerWish(participant=participant, kind="treatment_path", value=path, **scope))


def _bulk(ctx, specs: list[tuple[str, object]]) -> list[Participant]:
    """Create participants (status, login user) with history and extras, in bulk."""
    rng = ctx.rng
    participants, starts = [], []
    for status, user in specs:
        start = ctx.now - dt.timedelta(days=rng.randint(10, 400))
        participants.append(_participant(ctx, status, start=start, user=user))
        starts.append(start)
    participants = Participant.objects.bulk_create(participants, batch_size=2000)
    history, consents, goals, wishes = [], [], [], []
    for participant, start in zip(participants, starts, strict=True):
        rows = _history(ctx, participant, participant.status, start)
        participant.status_since = rows[-1].at  # when the current status began
        history.extend(rows)
        _extras(ctx, participant, consents, goals, wishes)
    Participant.objects.bulk_update(participants, ["status_since"], batch_size=2000)
    referrals, services = _referrals(ctx, participants)
    for model, rows in (
        (StatusChange, history),
        (Consent, consents),
        (Goal, goals),
        (PeerWish, wishes),
        (Referral, referrals),
        (OtherService, services),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    ctx.history(_timeline_rows(history, consents, goals))
    return participants


def _timeline_rows(history, consents, goals) -> list[dict]:
    """The audit rows the services would have written, so demo timelines are not empty."""
    rows = []
    for change in history:
        first = not change.from_status
        data = (
            {"event": "referral_received"}
            if first
            else {
                "event": "status_changed",
                "from": change.from_status,
                "to": change.to_status,
                "end_reason": change.end_reason,
            }
        )
        rows.append(
            {
                "at": change.at,
                "obj_type": "participants.participant",
                "obj_id": change.participant_id,
                "participant_id": change.participant_id,
                "action": "create" if first else "update",
                "data": data,
            }
        )
    for consent in consents:
        rows.append(
            {
                "at": consent.given_at,
                "obj_type": "participants.consent",
                "obj_id": consent.pk or "",
                "participant_id": consent.participant_id,
                "action": "create",
                "data": {"event": "consent_given", "purpose": consent.purpose},
            }
        )
    for goal in goals:
        rows.append(
            {
                "at": goal.participant.status_since,
                "obj_type": "participants.goal",
                "obj_id": goal.pk or "",
                "participant_id": goal.participant_id,
                "action": "create",
                "data": {"event": "goal_added", "life_area": goal.life_area},
            }
        )
    return rows


def _referrals(ctx, participants: list[Participant]) -> tuple[list, list]:
    """One referral each (some sent by the demo referrer login) and other services involved."""
    rng = ctx.rng
    referrer = ctx.users.get("henviser")
    scope = {"organisation": ctx.organisation, "programme": ctx.programme}
    referrals, services = [], []
    for participant in participants:
        by_referrer = referrer is not None and rng.random() < 0.3
        source = rng.choice(["nav", "prison"]) if by_referrer else rng.choice(SOURCES)
        referrals.append(
            Referral(
                participant=participant,
                source=source,
                referrer_name=referrer.name if by_referrer else ctx.person_name(),
                referrer_organisation=WORKPLACES.get(source, ""),
                referrer_phone=f"5{rng.randint(1000000, 9999999)}",
                wants_help_with=rng.choice(HELP_TEXTS),
                submitted_by=referrer if by_referrer else None,
                **scope,
            )
        )
        for kind in rng.sample(["nav", "gp", "municipal_substance", "individual_plan"], 2):
            services.append(OtherService(participant=participant, kind=kind, **scope))
    return referrals, services


def _attention_cases(ctx, participants: list[Participant]) -> None:
    """Make the demo's "needs attention" list show each kind of item."""
    waiting = [p for p in participants if p.status == "waiting"]
    matched = [p for p in participants if p.status == "matched" and p.user_id is None]
    for offset, p in zip((3, 9), waiting[:2], strict=False):
        p.transition, p.housing_stage = "release", "prison"
        p.transition_date = ctx.today + dt.timedelta(days=offset)
    for p in waiting[2:3] or matched[:1]:
        p.transition, p.housing_stage = "discharge", "training_housing"
        p.transition_date = ctx.today - dt.timedelta(days=2)
    changed = waiting[:3] + matched[:1]
    Participant.objects.bulk_update(changed, ["transition", "transition_date", "housing_stage"])
    if waiting:
        # A second referral of someone already known: flagged as a possible duplicate.
        twin = waiting[-1]
        ctx.shared["duplicate"] = _bulk(ctx, [("referred", None)])[0]
        Participant.objects.filter(pk=ctx.shared["duplicate"].pk).update(
            name=twin.name, birth_year=twin.birth_year
        )


def seed(ctx) -> None:
    specs: list[tuple[str, object]] = [("matched", ctx.users["deltaker"])]
    for status, count in MIX:
        specs.extend((status, None) for _ in range(count - (1 if status == "matched" else 0)))
    participants = _bulk(ctx, specs)
    _attention_cases(ctx, participants)
    ctx.shared["participants"] = participants


def seed_scale(ctx) -> None:
    weights = dict(MIX)
    statuses = ctx.rng.choices(list(weights), weights=list(weights.values()), k=ctx.scale)
    participants = _bulk(ctx, [(s, None) for s in statuses])
    ctx.shared["participants"] = participants
    # Releases in the next two weeks (about 1 in 60) and transitions in the last week (1 in
    # 200), so the home page's release and first-days items have work at scale.
    rng = ctx.rng
    changed = []
    for p in participants:
        if p.status == "ended":
            continue
        roll = rng.random()
        if roll < 1 / 60:
            p.transition, p.housing_stage = "release", "prison"
            p.transition_date = ctx.today + dt.timedelta(days=rng.randint(0, 14))
        elif roll < 1 / 60 + 1 / 200:
            p.transition = rng.choice(["release", "discharge"])
            p.transition_date = ctx.today - dt.timedelta(days=rng.randint(1, 7))
        else:
            continue
        changed.append(p)
    Participant.objects.bulk_update(
        changed, ["transition", "transition_date", "housing_stage"], batch_size=2000
    )
