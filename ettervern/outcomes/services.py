"""Writes of questionnaires: a response with its answers, and a programme's schedule."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.matching import access
from ettervern.matching.access import Need
from ettervern.outcomes import events, scoring
from ettervern.outcomes.models import Answer, Instrument, Mode, Point, Response, Schedule
from ettervern.outcomes.selectors import current_instruments, items_of, open_point
from ettervern.participants.models import Goal, Participant

Action = AuditEvent.Action
STAFF_MODES = (Mode.PEER_PHONE, Mode.READ_ALOUD)


def questions_for(instrument: Instrument, participant: Participant) -> list[tuple[str, str]]:
    """(key, text) of each question: the items, or for goal progress one per goal of hers
    that is not dropped (key ``goal-<id>``)."""
    if instrument.kind == Instrument.Kind.GOALS:
        goals = (
            Goal.objects.filter(participant=participant)
            .exclude(status=Goal.Status.DROPPED)
            .order_by("created_at", "pk")
        )
        return [(f"goal-{g.pk}", g.description) for g in goals]
    return [(item.code, item.text) for item in items_of(instrument)]


def _check_values(
    instrument: Instrument, keys: list[str], values: dict[str, int | None]
) -> dict[str, int | None]:
    unknown = set(values) - set(keys)
    if unknown:
        raise ValidationError(_("The questionnaire has changed. Open it again."))
    checked: dict[str, int | None] = {}
    for number, key in enumerate(keys, start=1):
        value = values.get(key)
        if value is not None and not (
            isinstance(value, int) and instrument.scale_min <= value <= instrument.scale_max
        ):
            raise ValidationError(
                _("The answer to question %(number)s must be between %(min)s and %(max)s.")
                % {"number": number, "min": instrument.scale_min, "max": instrument.scale_max}
            )
        checked[key] = value
    if all(v is None for v in checked.values()):
        raise ValidationError(_("Answer at least one question."))
    return checked


@once_per_submission(Response)
@transaction.atomic
def response_submit(
    *,
    actor: User,
    participant: Participant,
    instrument: Instrument,
    values: dict[str, int | None],
    mode: str,
) -> Response:
    """Store a response with one answer per answered question. Complete (every question
    answered): scored. Otherwise saved as incomplete, without scores. An answer outside the
    scale refuses the whole response (nothing is stored).

    The participant answers with her own login; the coordinator or her current peer worker
    record answers given with them (on the peer worker's phone, or read aloud)."""
    allowed = access.require(user=actor, participant=participant, need=Need.CURRENT)
    if allowed.own_record:
        if mode != Mode.OWN_LOGIN:
            raise ValidationError(_("Choose how the questionnaire was answered."))
    elif mode not in STAFF_MODES:
        raise ValidationError(_("Choose how the questionnaire was answered."))
    newest = current_instruments().get(instrument.code)
    if newest is None or newest.pk != instrument.pk:
        raise ValidationError(_("The questionnaire has changed. Open it again."))
    if instrument.requires_match and allowed.match is None:
        raise ValidationError(_("This questionnaire is about the peer worker: she has none now."))
    questions = questions_for(instrument, participant)
    if not questions:
        raise ValidationError(_("There is nothing to answer: add a goal first."))
    keys = [key for key, _text in questions]
    checked = _check_values(instrument, keys, values)
    subscale_of = {item.code: item.subscale for item in items_of(instrument)}
    result = scoring.score(
        method=instrument.definition["scoring"]["method"],
        values=checked,
        subscale_of=subscale_of,
        scale_max=instrument.scale_max,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    response = Response.objects.create(
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        participant=participant,
        instrument=instrument,
        answered_by=actor,
        mode=mode,
        answered_at=now,
        answered_on=today,
        point=open_point(participant, instrument, today),
        complete=result.complete,
        total=result.total,
        subscale_scores=result.subscales,
    )
    items = {item.code: item for item in items_of(instrument)}
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item=items.get(key),
            goal_id=int(key.removeprefix("goal-")) if key.startswith("goal-") else None,
            value=value,
        )
        for key, value in checked.items()
        if value is not None
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=response,
        event=events.questionnaire_answered,
        data={
            "instrument": instrument.code,
            "name": instrument.name,
            "version": instrument.version,
            "mode": mode,
            "point": response.point,
            "complete": result.complete,
            "total": result.total,
            "subscales": result.subscales,
        },
    )
    return response


@transaction.atomic
def schedule_set(
    *, actor: User, programme: Programme, instrument_code: str, points: list[str]
) -> Schedule:
    """Set when ``programme`` asks an instrument (a coordinator of the programme only)."""
    if programme.pk not in programme_ids_for_role(actor, Role.COORDINATOR):
        raise ValidationError(_("You do not coordinate this programme."))
    if instrument_code not in current_instruments():
        raise ValidationError(_("Unknown questionnaire."))
    if not set(points) <= set(Point.values):
        raise ValidationError(_("Unknown point in time."))
    ordered = [p for p in Point.values if p in points]
    schedule, _created = Schedule.objects.select_for_update().update_or_create(
        programme=programme,
        instrument_code=instrument_code,
        defaults={"organisation_id": programme.organisation_id, "points": ordered},
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=schedule,
        programme_id=programme.pk,
        organisation_id=programme.organisation_id,
        event=events.SCHEDULE_CHANGED,
        data={"instrument": instrument_code, "points": ordered},
    )
    return schedule
