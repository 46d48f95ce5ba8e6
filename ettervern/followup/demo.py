"""Demo agreements and contacts for current matches over the last weeks."""

import datetime as dt

from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Least
from django.utils import timezone

from ettervern.followup.models import Agreement, Contact
from ettervern.followup.services import last_held_refresh, last_logged_refresh
from ettervern.matching.models import Match
from ettervern.peers.models import PeerWorker

KINDS = ["conversation", "phone", "walk_and_talk", "practical", "accompany_nav", "social", "phone"]
NOTES = [
    "Gikk en tur rundt Store Lungegårdsvann. God prat om helgen.",
    "Fulgte til NAV-møtet om aktivitetsplan.",
    "Kort telefon, hadde en tung dag. Avtalte å ses torsdag.",
    "",
    "",
]
RHYTHMS = ["Hver uke, og telefon ved behov", "To ganger i uken", "Annenhver uke, SMS imellom"]


def _quiet_match(ctx):
    """One current match of the demo peer ("likeperson") that began weeks ago and has gone
    quiet, so that "No contact for N days" shows on the coordinator's and the peer's home."""
    peer_user = ctx.users.get("likeperson")
    weeks_ago = ctx.today - dt.timedelta(days=6 * 7)
    candidates = [
        m
        for m in ctx.shared.get("matches", [])
        if m.status == "active" and m.started_on and m.started_on <= weeks_ago
    ]
    own = [m for m in candidates if peer_user is not None and m.peer.user_id == peer_user.pk]
    # Not the demo participant login's match: their story is a follow-up that goes well.
    quiet = [m for m in own or candidates if m.participant.user_id is None]
    return quiet[0] if quiet else None


def _contacts(ctx, per_match: int) -> None:
    """About ``per_match`` contacts a fortnight for the last six weeks, at realistic hours; one
    demo peer ("likeperson3") works far beyond the budget, so the coordinator's overview shows
    what that looks like."""
    rng = ctx.rng
    rows = []
    busy = ctx.users.get("likeperson3")
    quiet = _quiet_match(ctx)
    quiet_since = ctx.today - dt.timedelta(days=ctx.programme.no_contact_alert_days + 7)
    for match in ctx.shared.get("matches", []):
        if match.status == "ended":
            continue
        heavy = busy is not None and match.peer.user_id == busy.pk
        for week in range(6):
            for _ in range(rng.randint(3, 5) if heavy else rng.randint(0, per_match // 2)):
                day = ctx.today - dt.timedelta(days=7 * week + rng.randint(1, 6))
                hour = rng.choice([10, 12, 14, 18, 20] if heavy else [9, 10, 11, 13, 14, 15, 18])
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
                if match.started_on and day < match.started_on:
                    continue
                if match is quiet and day > quiet_since:
                    continue
                rows.append(
                    Contact(
                        organisation=ctx.organisation,
                        programme=ctx.programme,
                        match=match,
                        participant_id=match.participant_id,
                        peer_id=match.peer_id,
                        occurred_at=at,
                        duration_minutes=rng.choice(
                            [120, 150, 180] if heavy else [30, 60, 90, 120]
                        ),
                        kind=rng.choice(KINDS),
                        initiative=rng.choice(["peer", "participant"]),
                        outcome=rng.choices(["held", "cancelled", "no_show"], weights=[85, 10, 5])[
                            0
                        ],
                        note=rng.choice(NOTES),
                        created_by_id=match.peer.user_id,
                    )
                )
        if rng.random() < 0.4 and match is not quiet:
            rows.append(
                Contact(
                    organisation=ctx.organisation,
                    programme=ctx.programme,
                    match=match,
                    participant_id=match.participant_id,
                    peer_id=match.peer_id,
                    occurred_at=ctx.now + dt.timedelta(days=rng.randint(1, 6), hours=2),
                    kind="conversation",
                    outcome="planned",
                    created_by_id=match.peer.user_id,
                )
            )
    rows = Contact.objects.bulk_create(rows, batch_size=2000)
    # Each was logged by its peer the day it happened (a planned one a day ago, as the history
    # below says), not when the demo was made.
    Contact.objects.filter(organisation=ctx.organisation).update(
        created_at=Least(F("occurred_at"), Value(ctx.now - dt.timedelta(days=1), DateTimeField()))
    )
    last_held_refresh(Match.objects.filter(organisation=ctx.organisation))
    last_logged_refresh(PeerWorker.objects.filter(organisation=ctx.organisation))
    ctx.history(
        [
            {
                # A planned contact was logged when it was planned (here: a day ago), not when
                # it is due: the log holds nothing from the future.
                "at": min(c.occurred_at, ctx.now - dt.timedelta(days=1)),
                "obj_type": "followup.contact",
                "obj_id": c.pk or "",
                "participant_id": c.participant_id,
                "action": "create",
                "data": {
                    "event": "contact_logged",
                    "kind": c.kind,
                    "outcome": c.outcome,
                    "occurred_at": timezone.localtime(c.occurred_at).isoformat(timespec="minutes"),
                    "minutes": c.duration_minutes,
                },
            }
            for c in rows
        ]
    )


def _agreements(ctx) -> None:
    """Version 1 confirmed by both for most current matches; some changed since (version 2 not
    yet confirmed), some due for review."""
    rng = ctx.rng
    rows = []
    for match in ctx.shared.get("matches", []):
        own_login = match.participant.user_id is not None
        if match.status == "ended" or (rng.random() < 0.15 and not own_login):
            continue
        made = ctx.now - dt.timedelta(days=rng.randint(5, 120))
        # The demo participant login's agreement is due for review: the demo peer sees it.
        review = ctx.today - dt.timedelta(days=2) if own_login else None
        review = review or ctx.today + dt.timedelta(days=rng.randint(-10, 80))
        common = {
            "organisation": ctx.organisation,
            "programme": ctx.programme,
            "match": match,
            "participant_id": match.participant_id,
            "contact_kinds": rng.sample(["in_person", "phone", "sms", "outdoors"], 2),
            "rhythm": rng.choice(RHYTHMS),
            "availability": "Ikke etter kl. 22",
            "joins_responsibility_group": rng.random() < 0.5,
            "review_on": review,
        }
        rows.append(
            Agreement(
                version=1,
                participant_confirmed_at=made,
                participant_confirm_method="peer_device",
                peer_confirmed_at=made,
                **common,
            )
        )
        if rng.random() < 0.2:
            rows.append(Agreement(version=2, **{**common, "rhythm": "To ganger i uken"}))
    Agreement.objects.bulk_create(rows, batch_size=2000)


def seed(ctx) -> None:
    _contacts(ctx, per_match=6)
    _agreements(ctx)


def seed_scale(ctx) -> None:
    _contacts(ctx, per_match=4)
    _agreements(ctx)
