"""Writes of the job programme. Each is one transaction with its audit row; audit rows name
fields and codes, never agreement or note text."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Membership, Programme, Role, User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.employment import events
from ettervern.employment.models import (
    AgreementVersion,
    Company,
    Confirmation,
    ContactPerson,
    CriterionStatus,
    IntentAgreement,
    Meeting,
    MeetingAction,
    Party,
    Placement,
    RelapseEvent,
)
from ettervern.employment.selectors import relapse_sharing_agreed
from ettervern.matching import access
from ettervern.matching.access import current_match_of
from ettervern.orgadmin.services import invitation_for_membership
from ettervern.participants.models import Consent, Goal, Participant
from ettervern.participants.selectors import participant_has_consent

Action = AuditEvent.Action

# Days of intensified follow-up after a job start, when nothing else is chosen.
FIRST_DAYS = 7
# A placement is registered at most this long before it starts (keeps date arithmetic sane).
MAX_DAYS_AHEAD = 366


def _scope(obj) -> dict:
    return {"organisation_id": obj.organisation_id, "programme_id": obj.programme_id}


# --- companies ---------------------------------------------------------------------------------


@once_per_submission(Company)
@transaction.atomic
def company_create(*, actor: User, programme: Programme, **fields) -> Company:
    company = Company.objects.create(
        organisation_id=programme.organisation_id, programme=programme, **fields
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=company,
        event=events.COMPANY_CREATED,
    )
    return company


@once_per_submission(ContactPerson)
@transaction.atomic
def contact_person_add(*, actor: User, company: Company, **fields) -> ContactPerson:
    person = ContactPerson.objects.create(company=company, **_scope(company), **fields)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=person,
        event=events.CONTACT_PERSON_ADDED,
    )
    return person


@transaction.atomic
def contact_person_grant_login(*, actor: User, person: ContactPerson, site_url: str = "") -> User:
    """Give a contact person an employer-contact login in the company's programme.

    A new login has no password yet: the person gets an invitation by e-mail (links point to
    ``site_url``) where they choose one. An existing user with the address is linked (and
    given the role) instead, and logs in as before.
    """
    if person.user_id:
        raise ValidationError(_("The contact person already has a login."))
    if not person.email:
        raise ValidationError(_("Add an email address for the contact person first."))
    user = User.objects.filter(email=person.email.lower()).first()
    if user is not None and (
        Membership.objects.filter(user=user)
        .exclude(organisation_id=person.organisation_id)
        .exists()
    ):
        # Never hand another organisation's account access to this organisation's agreements.
        # The message must not say where the address is in use (another tenant's existence).
        raise ValidationError(
            _("This email address cannot be used here. Use another address for the person.")
        )
    if user is None:
        user = User.objects.create_user(person.email, None, name=person.name)
    membership = Membership.objects.filter(user=user, programme_id=person.programme_id).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            organisation_id=person.organisation_id,
            programme_id=person.programme_id,
            role=Role.EMPLOYER_CONTACT,
        )
    elif membership.role != Role.EMPLOYER_CONTACT:
        raise ValidationError(_("This email address already has another role in the programme."))
    person.user = user
    person.save(update_fields=["user"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        event=events.EMPLOYER_LOGIN_GRANTED,
    )
    invitation_for_membership(actor=actor, membership=membership, site_url=site_url)
    return user


@transaction.atomic
def contact_person_deactivate(*, actor: User, person: ContactPerson) -> ContactPerson:
    """The person no longer works with us: their login sees none of the company's agreements."""
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=person,
            event=events.CONTACT_PERSON_DEACTIVATED,
        )
    return person


@once_per_submission(IntentAgreement)
@transaction.atomic
def intent_agreement_add(*, actor: User, company: Company, **fields) -> IntentAgreement:
    valid_from, valid_to = fields["valid_from"], fields.get("valid_to")
    if valid_to and valid_to < valid_from:
        raise ValidationError(_("The intent agreement cannot end before it starts."))
    intent = IntentAgreement.objects.create(company=company, **_scope(company), **fields)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=intent,
        event=events.INTENT_AGREEMENT_ADDED,
        data={"places": intent.places},
    )
    return intent


# --- placements --------------------------------------------------------------------------------


@once_per_submission(Placement)
@transaction.atomic
def placement_create(
    *,
    actor: User,
    participant: Participant,
    company: Company,
    contact_person: ContactPerson,
    kind: str,
    started_on: dt.date,
    position_percent: int = 100,
    tasks: str = "",
    adaptations: str = "",
    goals: list[Goal] | None = None,
    intensified_days: int = FIRST_DAYS,
) -> Placement:
    """Start work training or employment. Needs the participant's consent to follow-up."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    access.require(user=actor, participant=participant, need=access.Need.FOLLOW)
    if not participant_has_consent(participant, Consent.Purpose.FOLLOW_UP):
        raise ValidationError(
            _("The participant has not consented to follow-up, so no placement can be made.")
        )
    if company.programme_id != participant.programme_id:
        raise ValidationError(_("The company belongs to another programme."))
    if contact_person.company_id != company.pk:
        raise ValidationError(_("The contact person does not work in this company."))
    if not 1 <= position_percent <= 100:
        raise ValidationError(_("The position must be between 1 and 100 %."))
    if started_on > timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("The start can be at most a year from today."))
    goals = list(goals or [])
    if any(g.participant_id != participant.pk for g in goals):
        raise ValidationError(_("Only the participant's own goals can be linked."))
    match = current_match_of(participant)
    placement = Placement.objects.create(
        **_scope(participant),
        participant=participant,
        company=company,
        contact_person=contact_person,
        advisor=match.peer if match else None,
        kind=kind,
        started_on=started_on,
        position_percent=position_percent,
        tasks=tasks,
        adaptations=adaptations,
        intensified_until=started_on + dt.timedelta(days=max(intensified_days, 1) - 1),
        created_by=actor,
    )
    placement.goals.set(goals)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=placement,
        summary=f"placement {placement.kind}",
        event=events.PLACEMENT_STARTED,
        data={"company_id": company.pk, "kind": kind, "started_on": started_on.isoformat()},
    )
    return placement


PLACEMENT_EDIT_FIELDS = ("contact_person", "position_percent", "tasks", "adaptations")


@transaction.atomic
def placement_update(
    *, actor: User, placement: Placement, changes: dict, goals: list[Goal] | None = None
) -> Placement:
    """Change the plain details of a placement; the audit row names the fields, not values."""
    stored = Placement.objects.select_for_update().get(pk=placement.pk)
    if stored.ended_on:
        raise ValidationError(_("The placement has ended."))
    person = changes.get("contact_person", stored.contact_person)
    if person.company_id != stored.company_id:
        raise ValidationError(_("The contact person does not work in this company."))
    if not 1 <= changes.get("position_percent", stored.position_percent) <= 100:
        raise ValidationError(_("The position must be between 1 and 100 %."))
    changed = [
        f for f in PLACEMENT_EDIT_FIELDS if f in changes and getattr(stored, f) != changes[f]
    ]
    for field in changed:
        setattr(stored, field, changes[field])
    if changed:
        stored.save(update_fields=changed)
    if goals is not None:
        if any(g.participant_id != stored.participant_id for g in goals):
            raise ValidationError(_("Only the participant's own goals can be linked."))
        if {g.pk for g in goals} != set(stored.goals.values_list("pk", flat=True)):
            stored.goals.set(goals)
            changed.append("goals")
    if changed:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=stored,
            summary="placement details changed",
            event=events.PLACEMENT_CHANGED,
            data={"fields": sorted(changed)},
        )
    if "contact_person" in changed:
        _new_version_for_new_party(actor=actor, placement=stored)
    return stored


def _new_version_for_new_party(*, actor: User, placement: Placement) -> None:
    """A new employer contact has not agreed to anything yet: the same text becomes a new
    version, which needs all three confirmations again."""
    current = placement.versions.order_by("-number").first()
    if current is None:
        return
    version = AgreementVersion.objects.create(
        **_scope(placement),
        placement=placement,
        number=current.number + 1,
        created_by=actor,
        **{f: getattr(current, f) for f in AgreementVersion.TEXT_FIELDS},
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=version,
        participant_id=placement.participant_id,
        summary=f"triangle agreement version {version.number}",
        event=events.TRIANGLE_VERSION,
        data={
            "number": version.number,
            "fields": [],
            "reason": "contact_person_changed",
        },
    )


@transaction.atomic
def placement_end(
    *, actor: User, placement: Placement, ended_on: dt.date, reason: str
) -> Placement:
    """End the placement. The participant's match and follow-up go on untouched: the end of a
    job is never the end of the follow-up unless someone decides that on the participant."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_on:
        raise ValidationError(_("The placement has already ended."))
    if ended_on < placement.started_on:
        raise ValidationError(_("The placement cannot end before it started."))
    if ended_on > timezone.localdate():
        # An end takes effect at once (meetings cancelled, agreement closed): record it then.
        raise ValidationError(
            _("The end date cannot be in the future. Record the end when it happens.")
        )
    if reason not in Placement.EndReason.values:
        raise ValidationError(_("Choose why the placement ends."))
    placement.ended_on, placement.end_reason = ended_on, reason
    placement.save(update_fields=["ended_on", "end_reason"])
    # Planned meetings will not be held any more.
    Meeting.objects.filter(placement=placement, status=Meeting.Status.PLANNED).update(
        status=Meeting.Status.CANCELLED
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=placement,
        summary=f"placement ended: {reason}",
        event=events.PLACEMENT_ENDED,
        data={"reason": reason, "ended_on": ended_on.isoformat()},
    )
    return placement


# --- triangle agreements -----------------------------------------------------------------------


@transaction.atomic
def agreement_save(*, actor: User, placement: Placement, fields: dict) -> AgreementVersion:
    """Save the agreement as a new version, which needs all three confirmations again.

    Saving an unchanged text keeps the current version (and its confirmations).
    """
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_on:
        raise ValidationError(_("The placement has ended; its agreement can no longer change."))
    current = placement.versions.order_by("-number").first()
    values = {f: fields[f] for f in AgreementVersion.TEXT_FIELDS}
    if current is not None:
        changed = [f for f, v in values.items() if getattr(current, f) != v]
        if not changed:
            return current
    else:
        changed = list(values)
    version = AgreementVersion.objects.create(
        **_scope(placement),
        placement=placement,
        number=(current.number + 1) if current else 1,
        created_by=actor,
        **values,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if current is None else Action.UPDATE,
        obj=version,
        participant_id=placement.participant_id,
        summary=f"triangle agreement version {version.number}",
        event=events.TRIANGLE_VERSION,
        data={"number": version.number, "fields": sorted(changed)},
    )
    return version


def _party_name(placement: Placement, party: str, actor: User, on_behalf: bool) -> str:
    if party == Party.PARTICIPANT:
        return placement.participant.name
    if not on_behalf:
        return actor.name
    if party == Party.EMPLOYER:
        return placement.contact_person.name
    return placement.advisor.user.name if placement.advisor else ""


@transaction.atomic
def agreement_confirm(
    *,
    actor: User,
    placement: Placement,
    number: int,
    party: str,
    on_behalf: bool = False,
    reason: str = "",
) -> Confirmation:
    """Confirm version ``number`` for ``party``. Refused when the agreement changed since (the
    confirmation would cover a text the party has not seen), or when given on someone's behalf
    without a stated reason."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    current = placement.versions.order_by("-number").first()
    if current is None:
        raise ValidationError(_("There is no agreement to confirm yet."))
    if current.number != number:
        raise ValidationError(
            _(
                "The agreement has changed since you opened it (now version %(current)s). "
                "Read the new version before you confirm."
            )
            % {"current": current.number}
        )
    if placement.ended_on:
        raise ValidationError(_("The placement has ended."))
    if party not in Party.values:
        raise ValidationError(_("Choose whose confirmation this is."))
    reason = reason.strip()
    if on_behalf and not reason:
        raise ValidationError(_("Say why you record the confirmation on this person's behalf."))
    try:
        with transaction.atomic():
            confirmation = Confirmation.objects.create(
                **_scope(placement),
                version=current,
                party=party,
                confirmed_by=actor,
                confirmed_at=timezone.now(),
                party_name=_party_name(placement, party, actor, on_behalf),
                on_behalf=on_behalf,
                on_behalf_reason=reason if on_behalf else "",
            )
    except IntegrityError as exc:
        raise ValidationError(_("This party has already confirmed this version.")) from exc
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        participant_id=placement.participant_id,
        summary=f"triangle agreement v{current.number} confirmed: {party}",
        event=events.TRIANGLE_CONFIRMED,
        data={
            "number": current.number,
            "party": party,
            "on_behalf": on_behalf,
        },
    )
    return confirmation


# --- meetings ----------------------------------------------------------------------------------


@once_per_submission(Meeting)
@transaction.atomic
def meeting_schedule(*, actor: User, placement: Placement, scheduled_for: dt.date) -> Meeting:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_on:
        raise ValidationError(_("The placement has ended."))
    if scheduled_for < placement.started_on:
        raise ValidationError(_("A meeting cannot be before the placement starts."))
    meeting = Meeting.objects.create(
        **_scope(placement),
        placement=placement,
        version=placement.versions.order_by("-number").first(),
        scheduled_for=scheduled_for,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=meeting,
        participant_id=placement.participant_id,
        event=events.MEETING_PLANNED,
        data={"scheduled_for": scheduled_for.isoformat()},
    )
    return meeting


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    meeting: Meeting,
    status: str,
    held_on: dt.date | None,
    attended: dict[str, bool],
    criteria: dict[str, str],
    raised: dict[str, str],
) -> Meeting:
    """Record a meeting as held (with attendees, criteria reviewed, what each party raised) or
    cancelled. ``criteria`` maps each criterion of the agreement to met / at risk / not met."""
    meeting = Meeting.objects.select_for_update().select_related("placement").get(pk=meeting.pk)
    placement = meeting.placement
    if status not in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(_("Choose whether the meeting was held or cancelled."))
    if status == Meeting.Status.HELD:
        if held_on is None:
            raise ValidationError(_("Give the date the meeting was held."))
        if held_on < placement.started_on:
            raise ValidationError(_("A meeting cannot be before the placement starts."))
        if held_on > timezone.localdate():
            raise ValidationError(_("A meeting cannot be recorded as held in the future."))
        if placement.ended_on and held_on > placement.ended_on:
            raise ValidationError(_("A meeting cannot be held after the placement ended."))
    version = meeting.version or placement.versions.order_by("-number").first()
    reviewed = [criteria.get(c) for c in version.criteria()] if version else []
    if status == Meeting.Status.HELD and any(r not in CriterionStatus.values for r in reviewed):
        raise ValidationError(_("Review every criterion."))
    meeting.version = version
    meeting.status = status
    meeting.held_on = held_on if status == Meeting.Status.HELD else None
    meeting.participant_attended = attended.get(Party.PARTICIPANT, False)
    meeting.employer_attended = attended.get(Party.EMPLOYER, False)
    meeting.advisor_attended = attended.get(Party.ADVISOR, False)
    meeting.criteria_review = (
        [{"criterion": c, "status": criteria.get(c, "")} for c in version.criteria()]
        if version and status == Meeting.Status.HELD
        else []
    )
    meeting.participant_raised = raised.get(Party.PARTICIPANT, "")
    meeting.employer_raised = raised.get(Party.EMPLOYER, "")
    meeting.advisor_raised = raised.get(Party.ADVISOR, "")
    meeting.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=meeting,
        participant_id=placement.participant_id,
        event=events.MEETING_RECORDED,
        data={
            "status": status,
            "criteria": sorted({r["status"] for r in meeting.criteria_review}),
            "held_on": meeting.held_on.isoformat() if meeting.held_on else None,
        },
    )
    return meeting


@once_per_submission(MeetingAction)
@transaction.atomic
def action_add(
    *, actor: User, meeting: Meeting, description: str, owner: str, due_on: dt.date | None
) -> MeetingAction:
    if owner not in Party.values:
        raise ValidationError(_("Choose who owns the action."))
    action = MeetingAction.objects.create(
        **_scope(meeting),
        meeting=meeting,
        placement_id=meeting.placement_id,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=action,
        participant_id=meeting.placement.participant_id,
        event=events.ACTION_ADDED,
        data={"owner": owner},
    )
    return action


@transaction.atomic
def action_mark_done(*, actor: User, action: MeetingAction) -> MeetingAction:
    action = MeetingAction.objects.select_for_update().select_related("placement").get(pk=action.pk)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=action,
            participant_id=action.placement.participant_id,
            event=events.ACTION_DONE,
        )
    return action


# --- relapse -----------------------------------------------------------------------------------


@once_per_submission(RelapseEvent)
@transaction.atomic
def relapse_record(
    *,
    actor: User,
    placement: Placement,
    occurred_on: dt.date,
    note: str = "",
    intensified_days: int = FIRST_DAYS,
) -> RelapseEvent:
    """Record a relapse and step up the follow-up from that day. Whether the employer is told
    (never the note) follows the participant's choice in the agreement in force."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_on:
        raise ValidationError(_("The placement has ended."))
    if occurred_on < placement.started_on:
        raise ValidationError(_("The date is before the placement started."))
    if occurred_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    until = occurred_on + dt.timedelta(days=max(intensified_days, 1) - 1)
    event = RelapseEvent.objects.create(
        **_scope(placement),
        placement=placement,
        occurred_on=occurred_on,
        note=note,
        intensified_until=until,
        shared_with_employer=relapse_sharing_agreed(placement),
        created_by=actor,
    )
    if placement.intensified_until is None or placement.intensified_until < until:
        placement.intensified_until = until
        placement.save(update_fields=["intensified_until"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=event,
        participant_id=placement.participant_id,
        event=events.RELAPSE_RECORDED,
        data={
            "shared_with_employer": event.shared_with_employer,
            "occurred_on": occurred_on.isoformat(),
            "intensified_until": until.isoformat(),
        },
    )
    return event
