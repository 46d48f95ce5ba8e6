"""Demo questionnaires: a few participants in follow-up answered BARC-10 and the trust scale
twice (at the start and recently), so the participant page shows a change. The demo
participant login is one of them."""

import datetime as dt

from django.utils import timezone

from ettervern.outcomes import scoring
from ettervern.outcomes.models import Answer, Item, Mode, Response
from ettervern.outcomes.selectors import current_instruments

# Of the current matches, how many get answers (the demo participant login first).
PARTICIPANTS = 4
# The first answers a few days after the match began; the second this many days ago.
FIRST_AFTER_DAYS = 3
SECOND_DAYS_AGO = 5
MIN_GAP_DAYS = 21


def _values(ctx, items: list[Item], low: int, high: int, lift: int) -> dict[str, int]:
    return {item.code: max(low, min(high, ctx.rng.randint(low, high - 2) + lift)) for item in items}


def seed(ctx) -> None:
    instruments = current_instruments()
    wanted = [instruments[code] for code in ("barc10", "trust") if code in instruments]
    if not wanted:
        return
    items = {i.pk: list(Item.objects.filter(instrument=i).order_by("position")) for i in wanted}
    matches = [
        m
        for m in ctx.shared.get("matches", [])
        if m.status == "active"
        and m.started_on
        and (ctx.today - m.started_on).days >= FIRST_AFTER_DAYS + SECOND_DAYS_AGO + MIN_GAP_DAYS
    ]
    matches.sort(key=lambda m: (m.participant.user_id is None, m.started_on))
    history = []
    for match in matches[:PARTICIPANTS]:
        participant = match.participant
        first_on = match.started_on + dt.timedelta(days=FIRST_AFTER_DAYS)
        second_on = ctx.today - dt.timedelta(days=SECOND_DAYS_AGO)
        own = participant.user_id is not None
        for n, day in enumerate((first_on, second_on)):
            at = min(timezone.make_aware(dt.datetime.combine(day, dt.time(13, 15))), ctx.now)
            for instrument in wanted:
                values = _values(
                    ctx,
                    items[instrument.pk],
                    instrument.scale_min,
                    instrument.scale_max,
                    lift=n,
                )
                result = scoring.score(
                    method="sum",
                    values=values,
                    subscale_of={i.code: i.subscale for i in items[instrument.pk]},
                    scale_max=instrument.scale_max,
                )
                mode = Mode.OWN_LOGIN if own and n == 1 else Mode.PEER_PHONE
                response = Response.objects.create(
                    organisation=ctx.organisation,
                    programme=ctx.programme,
                    participant=participant,
                    instrument=instrument,
                    answered_by_id=participant.user_id
                    if mode == Mode.OWN_LOGIN
                    else match.peer.user_id,
                    mode=mode,
                    answered_at=at,
                    answered_on=timezone.localdate(at),
                    point="intake" if n == 0 and instrument.code == "barc10" else "",
                    complete=True,
                    total=result.total,
                    subscale_scores=result.subscales,
                )
                by_code = {i.code: i for i in items[instrument.pk]}
                Answer.objects.bulk_create(
                    Answer(response=response, item=by_code[code], value=value)
                    for code, value in values.items()
                )
                history.append(
                    {
                        "at": at,
                        "obj_type": "outcomes.response",
                        "obj_id": response.pk,
                        "participant_id": participant.pk,
                        "action": "create",
                        "data": {
                            "event": "questionnaire_answered",
                            "instrument": instrument.code,
                            "name": instrument.name,
                            "version": instrument.version,
                            "mode": mode,
                            "point": response.point,
                            "complete": True,
                            "total": result.total,
                            "subscales": result.subscales,
                        },
                    }
                )
    ctx.history(history)
