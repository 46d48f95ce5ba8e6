"""Demo contacts for current matches over the last weeks."""

import datetime as dt

from ettervern.followup.models import Contact

KINDS = ["conversation", "phone", "walk_and_talk", "practical", "accompany_nav", "social", "phone"]


def _contacts(ctx, per_match: int) -> None:
    rng = ctx.rng
    rows = []
    for match in ctx.shared.get("matches", []):
        if match.status == "ended":
            continue
        for _ in range(rng.randint(0, per_match)):
            at = ctx.now - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 10))
            rows.append(
                Contact(
                    organisation=ctx.organisation,
                    programme=ctx.programme,
                    match=match,
                    participant_id=match.participant_id,
                    peer_id=match.peer_id,
                    occurred_at=at,
                    duration_minutes=rng.choice([15, 30, 60, 90, 120]),
                    kind=rng.choice(KINDS),
                    initiative=rng.choice(["peer", "participant"]),
                    outcome=rng.choices(["held", "cancelled", "no_show"], weights=[85, 10, 5])[0],
                )
            )
    Contact.objects.bulk_create(rows, batch_size=2000)


def seed(ctx) -> None:
    _contacts(ctx, per_match=6)


def seed_scale(ctx) -> None:
    _contacts(ctx, per_match=4)
