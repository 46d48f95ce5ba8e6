"""Writes on participants. Each writes its audit row in the same transaction."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.areas import check_area
from ettervern.accounts.models import Programme, User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.lib import vocab
from ettervern.participants import events
from ettervern.participants.models import (
    TRANSITIONS,
    Consent,
    Goal,
    GoalNote,
    OtherService,
    Participant,
    PeerWish,
    Referral,
    StatusChange,
)

# The states a participant is in because of a match. They are the match's state: only the
# matching services move a participant into or out of them (``by_match=True``), in the same
# transaction as the match itself, so the two can never drift apart.
MATCH_STATES = frozenset({Participant.Status.MATCHED, Participant.Status.PAUSED})


def participant_transition(
    *,
    actor: User | None,
    participant: Participant,
    to: str,
    reason: str = "",
    end_reason: str = "",
    can_come_back: bool = False,
    summary: str = "",
    next_steps: str = "",
    by_match: bool = False,
) -> StatusChange:
    """Move a participant through the status state machine, keeping history. Must run in a
    transaction (the callers' services are atomic); illegal transitions raise ValidationError.

    Into or out of "matched" and "paused" only with ``by_match`` (the matching services)."""
    if to not in TRANSITIONS.get(participant.status, frozenset()):
        raise ValidationError(
            _("A participant cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Participant.Status(participant.status).label,
                "to": Participant.Status(to).label if to in Participant.Status.values else to,
            }
        )
    if not by_match and (to in MATCH_STATES or participant.status in MATCH_STATES):
        raise ValidationError(_("This change of status follows the match: change the match."))
    if to == Participant.Status.ENDED and not end_reason:
        raise ValidationError(_("Choose why the follow-up ends."))
    if to in (Participant.Status.WAITING, Participant.Status.MATCHED) and not _has_consent(
        participant, Consent.Purpose.FOLLOW_UP
    ):
        raise ValidationError(_("The participant has not consented to follow-up."))
    now = timezone.now()
    change = StatusChange.objects.create(
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        participant=participant,
        from_status=participant.status,
        to_status=to,
        at=now,
        by=actor,
        reason=reason,
        end_reason=end_reason,
        can_come_back=can_come_back,
        summary=summary,
        next_steps=next_steps,
    )
    Participant.objects.filter(pk=participant.pk).update(status=to, status_since=now)
    old = participant.status
    participant.status, participant.status_since = to, now
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=participant,
        summary=f"status {old}->{to}",
        event=events.STATUS_CHANGED,
        data={"from": old, "to": to, "end_reason": end_reason},
    )
    return change


def _has_consent(participant: Participant, purpose: str) -> bool:
    return Consent.objects.filter(
        participant=participant, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def _not_in_future(moment, message: str) -> None:
    if moment is not None and moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(message)


# Steps a coordinator takes directly; matching, pausing and ending have their own services.
MANUAL_STEPS = frozenset({Participant.Status.INTAKE, Participant.Status.WAITING})


@transaction.atomic
def participant_set_status(*, actor: User, participant: Participant, to: str) -> StatusChange:
    """Intake and the waiting list, for a participant without a match (a matched participant
    goes back to the waiting list through ``matching.services.follow_up_set_status``)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if to not in MANUAL_STEPS and not (
        to == Participant.Status.REFERRED and participant.status == Participant.Status.ENDED
    ):
        raise ValidationError(_("This change of status has its own page."))
    return participant_transition(actor=actor, participant=participant, to=to)


@transaction.atomic
def participant_end(
    *,
    actor: User,
    participant: Participant,
    end_reason: str,
    summary: str = "",
    next_steps: str = "",
    can_come_back: bool = False,
) -> StatusChange:
    """End the follow-up of a participant without a match (one with a match ends through
    ``matching.services.follow_up_end``, which ends the match too)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    return participant_transition(
        actor=actor,
        participant=participant,
        to=Participant.Status.ENDED,
        end_reason=end_reason,
        summary=summary,
        next_steps=next_steps,
        can_come_back=can_come_back,
    )


@transaction.atomic
def referral_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    birth_year: int | None = None,
    phone: str = "",
    source: str,
    wants_help_with: str,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_phone: str = "",
    referrer_email: str = "",
    transition: str = "",
    transition_date: dt.date | None = None,
    housing_stage: str = "",
    submission_key: uuid.UUID | None = None,
) -> Referral:
    """A new participant in status "referred" with their referral. Never merges duplicates.

    A form submitted twice (same ``submission_key``) returns the referral stored the first time.
    """
    if submission_key is not None:
        existing = _referral_by_key(submission_key, actor)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            participant = participant_create(
                actor=actor,
                programme=programme,
                name=" ".join(name.split()),
                birth_year=birth_year,
                phone=phone,
                transition=transition,
                transition_date=transition_date,
                housing_stage=housing_stage,
            )
            referral = Referral.objects.create(
                organisation_id=programme.organisation_id,
                programme=programme,
                participant=participant,
                source=source,
                referrer_name=referrer_name,
                referrer_organisation=referrer_organisation,
                referrer_phone=referrer_phone,
                referrer_email=referrer_email,
                wants_help_with=wants_help_with,
                submitted_by=actor,
                submission_key=submission_key,
            )
    except IntegrityError:
        # The same form arrived twice at the same moment: the other request stored it.
        existing = _referral_by_key(submission_key, actor) if submission_key else None
        if existing is None:
            raise
        return existing
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=referral,
        summary="referral",
        event=events.REFERRAL_RECEIVED,
        data={
            "source": source,
            "transition": transition,
            "transition_date": transition_date.isoformat() if transition_date else None,
        },
    )
    return referral


def _referral_by_key(key: uuid.UUID, actor: User) -> Referral | None:
    existing = Referral.objects.filter(submission_key=key).first()
    if existing is not None and existing.submitted_by_id != actor.pk:
        raise ValidationError(_("The form was already used. Open it again."))
    return existing


@transaction.atomic
def consent_give(
    *,
    actor: User,
    participant: Participant,
    purpose: str,
    method: str,
    text_version: str,
    given_at: dt.datetime | None = None,
) -> Consent:
    given_at = given_at or timezone.now()
    _not_in_future(given_at, _("Consent cannot be given in the future."))
    already = ValidationError(_("This consent has already been given."))
    if _has_consent(participant, purpose):
        raise already
    try:
        # A form submitted twice at once: the second insert meets the one-active-consent
        # constraint; that is the same refusal, not a server error.
        with transaction.atomic():
            consent = Consent.objects.create(
                organisation_id=participant.organisation_id,
                programme_id=participant.programme_id,
                participant=participant,
                purpose=purpose,
                method=method,
                text_version=text_version,
                given_at=given_at,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise already from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=consent,
        summary=f"consent {purpose}",
        event=events.CONSENT_GIVEN,
        data={"purpose": purpose, "version": text_version},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, participant: Participant, purpose: str) -> Consent:
    """Withdraw a consent: one click, like giving it. Research exports then leave the person out."""
    consent = (
        Consent.objects.select_for_update()
        .filter(participant=participant, purpose=purpose, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError(_("There is no consent to withdraw."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=consent,
        summary=f"consent {purpose} withdrawn",
        event=events.CONSENT_WITHDRAWN,
        data={"purpose": purpose},
    )
    return consent


def _lock(participant: Participant) -> None:
    """Serialise writes on one participant, so two identical submissions cannot both pass a
    "stored already?" check."""
    Participant.objects.select_for_update().filter(pk=participant.pk).first()


def _scope(participant: Participant) -> dict:
    return {
        "organisation_id": participant.organisation_id,
        "programme_id": participant.programme_id,
        "participant": participant,
    }


@transaction.atomic
def goal_create(*, actor: User, participant: Participant, life_area: str, description: str) -> Goal:
    """Add a goal; the same goal submitted twice is stored once."""
    _lock(participant)
    same = (
        Goal.objects.filter(participant=participant, life_area=life_area, description=description)
        .exclude(status=Goal.Status.DROPPED)
        .first()
    )
    if same is not None:
        return same
    goal = Goal.objects.create(life_area=life_area, description=description, **_scope(participant))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=goal,
        summary="goal added",
        event=events.GOAL_ADDED,
        data={"life_area": life_area},
    )
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: Goal, status: str, note: str = "") -> Goal:
    """Change a goal's status and/or add a progress note."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    old = goal.status
    latest = goal.notes.first()
    if note and latest and latest.text == note and latest.created_by_id == actor.pk:
        note = ""  # the same note submitted twice is stored once
    if status != old:
        goal.status = status
        goal.save(update_fields=["status", "updated_at"])
    if note:
        GoalNote.objects.create(
            goal=goal,
            text=note,
            created_by=actor,
            **_scope(goal.participant),
        )
    if status == old and not note:
        return goal
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=goal,
        summary="goal progress",
        event=events.GOAL_PROGRESS,
        data={
            "life_area": goal.life_area,
            "from": old,
            "to": status,
            "note": bool(note),
        },
    )
    return goal


@transaction.atomic
def wish_add(
    *, actor: User, participant: Participant, kind: str, value: str, must: bool
) -> PeerWish:
    """Add a wish; the same wish submitted twice is stored once."""
    _lock(participant)
    same = PeerWish.objects.filter(participant=participant, kind=kind, value=value).first()
    if same is not None and same.must == must:
        return same
    if same is not None:
        raise ValidationError(
            _("This wish is already registered. Remove it first to change “must” or “would like”.")
        )
    wish = PeerWish.objects.create(kind=kind, value=value, must=must, **_scope(participant))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=wish,
        summary="wish added",
        event=events.WISH_ADDED,
        data={"kind": kind, "must": must},
    )
    return wish


@transaction.atomic
def wish_remove(*, actor: User, participant: Participant, wish_id: int) -> None:
    wish = PeerWish.objects.filter(participant=participant, pk=wish_id).first()
    if wish is None:
        raise ValidationError(_("The wish no longer exists."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=wish,
        summary="wish removed",
        event=events.WISH_REMOVED,
        data={"kind": wish.kind},
    )
    wish.delete()


@transaction.atomic
def other_service_add(
    *, actor: User, participant: Participant, kind: str, contact: str = ""
) -> OtherService:
    """Add a service involved; the same one submitted twice is stored once."""
    _lock(participant)
    same = OtherService.objects.filter(participant=participant, kind=kind, contact=contact).first()
    if same is not None:
        return same
    service = OtherService.objects.create(kind=kind, contact=contact, **_scope(participant))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=service,
        summary="other service added",
        event=events.SERVICE_ADDED,
        data={"kind": kind},
    )
    return service


@transaction.atomic
def other_service_remove(*, actor: User, participant: Participant, service_id: int) -> None:
    service = OtherService.objects.filter(participant=participant, pk=service_id).first()
    if service is None:
        raise ValidationError(_("The service no longer exists."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=service,
        summary="other service removed",
        event=events.SERVICE_REMOVED,
        data={"kind": service.kind},
    )
    service.delete()


@transaction.atomic
def participant_create(
    *,
    actor: User | None,
    programme: Programme,
    name: str,
    referred_at: dt.datetime | None = None,
    **fields,
) -> Participant:
    """Create a participant in status "referred", with the first history row.

    ``referred_at`` dates that row earlier (a record moved in from another system)."""
    if referred_at is not None:
        _not_in_future(referred_at, _("The referral date cannot be in the future."))
    now = referred_at or timezone.now()
    participant = Participant.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        name=name,
        status=Participant.Status.REFERRED,
        status_since=now,
        created_by=actor,
        **fields,
    )
    StatusChange.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        participant=participant,
        from_status="",
        to_status=Participant.Status.REFERRED,
        at=now,
        by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=participant,
        summary="created",
        event=events.PARTICIPANT_REGISTERED,
    )
    return participant


CONTACT_FIELDS = ("phone", "email", "address", "area")


def _details_data(stored: Participant, changed: list[str], changes: dict) -> dict:
    """The names of the fields changed; the housing stage and the transition also with their
    values, so the timeline tells the housing history and the release dates."""
    data = {"fields": sorted(changed)}
    if "housing_stage" in changed:
        data["housing_from"] = stored.housing_stage
        data["housing_to"] = changes["housing_stage"]
    if "transition" in changed or "transition_date" in changed:
        date = changes.get("transition_date", stored.transition_date)
        data["transition"] = changes.get("transition", stored.transition)
        data["transition_date"] = date.isoformat() if date else None
    return data


@transaction.atomic
def participant_update_details(
    *, actor: User, participant: Participant, changes: dict
) -> Participant:
    """Update plain details; the audit row names the fields changed, never their values.

    Compares against the stored row (a ModelForm may already have written into ``participant``).
    """
    stored = Participant.objects.select_for_update().get(pk=participant.pk)
    if "area" in changes:
        changes = {
            **changes,
            "area": check_area(stored.organisation_id, changes["area"], current=stored.area),
        }
    changed = [f for f, v in changes.items() if getattr(stored, f) != v]
    if not changed:
        return participant
    for field in changed:
        setattr(participant, field, changes[field])
    participant.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=participant,
        summary="details changed",
        event=events.DETAILS_CHANGED,
        data=_details_data(stored, changed, changes),
    )
    return participant


# The matching profile: each field and the codes it may hold (``ettervern.lib.vocab``).
PROFILE_CODES: dict[str, tuple[str, ...]] = {
    "lived_experience": vocab.LIVED_EXPERIENCE,
    "substances": vocab.SUBSTANCES,
    "treatment_paths": vocab.TREATMENT_PATHS,
    "languages": vocab.LANGUAGES,
    "availability_wanted": vocab.AVAILABILITY,
}
PROFILE_FIELDS = ("gender", "birth_year", *PROFILE_CODES, "area")


def _check_profile(changes: dict) -> dict:
    """The changes in a stored form (code lists sorted, without duplicates); unknown fields or
    codes raise ValidationError."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field in the matching profile."))
    clean = {}
    for name, value in changes.items():
        if name in PROFILE_CODES:
            codes = sorted(set(value or []))
            if not set(codes) <= set(PROFILE_CODES[name]):
                raise ValidationError(_("Unknown choice in the matching profile."))
            clean[name] = codes
        elif name == "gender":
            if value and value not in vocab.GENDERS:
                raise ValidationError(_("Unknown choice in the matching profile."))
            clean[name] = value or ""
        elif name == "area":
            clean[name] = value or ""  # checked against the organisation's areas
        else:
            clean[name] = value
    return clean


@transaction.atomic
def participant_update_profile(
    *, actor: User, participant: Participant, changes: dict
) -> Participant:
    """Record what matching compares: gender, birth year, kinds of lived experience,
    substances, treatment paths, languages, wanted availability, area. Each is optional.

    The audit row names the fields changed, never their values (special-category data).
    """
    changes = _check_profile(changes)
    stored = Participant.objects.select_for_update().get(pk=participant.pk)
    if "area" in changes:
        changes["area"] = check_area(stored.organisation_id, changes["area"], current=stored.area)
    changed = sorted(f for f, v in changes.items() if getattr(stored, f) != v)
    if not changed:
        return participant
    for field in changed:
        setattr(participant, field, changes[field])
    participant.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=participant,
        summary="matching profile changed",
        event=events.MATCHING_PROFILE_CHANGED,
        data={"fields": changed},
    )
    return participant
