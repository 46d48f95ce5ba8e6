"""Writes on follow-up agreements and contacts, each with its audit row in one transaction."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.followup import events
from ettervern.followup.models import Agreement, Contact, out_of_hours_kind
from ettervern.matching import access
from ettervern.matching.models import Match
from ettervern.peers.models import PeerWorker
from ettervern.peers.services import activity_noted

# A little slack for clocks that disagree between phone and server.
CLOCK_SLACK = dt.timedelta(minutes=5)
MAX_MINUTES = 24 * 60


def _current_match(match: Match) -> Match:
    match = (
        Match.objects.select_for_update(of=("self",)).select_related("programme").get(pk=match.pk)
    )
    if not access.is_current(match):
        raise ValidationError(_("The follow-up with this peer worker has ended."))
    return match


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    match: Match,
    goals: list,
    contact_kinds: list[str],
    rhythm: str,
    availability: str = "",
    joins_responsibility_group: bool = False,
    review_on: dt.date,
) -> Agreement:
    """Save the agreement as a new version; earlier confirmations stay with earlier versions.

    Saving exactly what the latest version says (a form sent twice, "Save" without changes) is
    no change: the latest version is returned as it is, with its confirmations.
    """
    match = _current_match(match)
    access.require(user=actor, participant=match.participant, need=access.Need.FOLLOW)
    if review_on < timezone.localdate():
        raise ValidationError(_("The review date cannot be in the past."))
    if any(g.participant_id != match.participant_id for g in goals):
        raise ValidationError(_("A goal belongs to another participant."))
    latest = Agreement.objects.filter(match=match).prefetch_related("goals").first()
    if latest is not None and (
        {g.pk for g in latest.goals.all()} == {g.pk for g in goals}
        and sorted(latest.contact_kinds) == sorted(contact_kinds)
        and latest.rhythm == rhythm
        and latest.availability == availability
        and latest.joins_responsibility_group == joins_responsibility_group
        and latest.review_on == review_on
    ):
        return latest
    last = latest.version if latest is not None else 0
    agreement = Agreement.objects.create(
        organisation_id=match.organisation_id,
        programme_id=match.programme_id,
        match=match,
        participant_id=match.participant_id,
        version=last + 1,
        contact_kinds=list(contact_kinds),
        rhythm=rhythm,
        availability=availability,
        joins_responsibility_group=joins_responsibility_group,
        review_on=review_on,
        created_by=actor,
    )
    agreement.goals.set(goals)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=agreement,
        summary=f"agreement v{agreement.version}",
        event=events.AGREEMENT_VERSION,
        data={"version": agreement.version},
    )
    return agreement


@transaction.atomic
def agreement_confirm(*, actor: User, agreement: Agreement, party: str, version: int) -> Agreement:
    """Confirm the version the party read. ``party`` is "participant" or "peer".

    The participant confirms with their own login, or on the peer worker's phone (the peer's
    session, recorded as such). A version changed meanwhile cannot be confirmed.
    """
    agreement = (
        Agreement.objects.select_for_update().select_related("match__peer").get(pk=agreement.pk)
    )
    _current_match(agreement.match)
    latest = Agreement.objects.filter(match_id=agreement.match_id).aggregate(v=Max("version"))["v"]
    if version != agreement.version or agreement.version != latest:
        raise ValidationError(
            _("The agreement has been changed since you read it. Read it again and confirm.")
        )
    answer = access.access_for(actor, agreement.participant)
    is_peer = answer.current_peer
    if party == "peer":
        if not is_peer:
            raise ValidationError(_("Only the peer worker can confirm for the peer worker."))
        if agreement.peer_confirmed_at:
            raise ValidationError(_("This version is already confirmed."))
        agreement.peer_confirmed_at, agreement.peer_confirmed_by = timezone.now(), actor
    elif party == "participant":
        own = answer.own_record
        if not (own or is_peer):
            raise ValidationError(_("Only the participant can confirm for the participant."))
        if agreement.participant_confirmed_at:
            raise ValidationError(_("This version is already confirmed."))
        agreement.participant_confirmed_at = timezone.now()
        agreement.participant_confirm_method = (
            Agreement.ConfirmMethod.OWN_LOGIN if own else Agreement.ConfirmMethod.PEER_DEVICE
        )
    else:
        raise ValidationError(_("Unknown party."))
    agreement.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=agreement,
        summary=f"agreement v{agreement.version} confirmed by {party}",
        event=events.AGREEMENT_CONFIRMED,
        data={"version": agreement.version, "party": party},
    )
    return agreement


def last_held_refresh(matches: QuerySet[Match]) -> None:
    """Derive ``Match.last_held_at`` of these matches again from their held contacts.

    Every write that makes a contact held calls it in its transaction, after locking the match
    row: two writes to one match follow each other, and the later one reads the other's
    contact. (No contact is deleted, and a held contact's time is never changed.)"""
    last = (
        Contact.objects.filter(match=OuterRef("pk"), outcome=Contact.Outcome.HELD)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    matches.update(last_held_at=Subquery(last))


def last_logged_refresh(peers: QuerySet[PeerWorker]) -> None:
    """Derive ``PeerWorker.last_logged_at`` of these peers again from the contacts their logins
    logged (data added in bulk, as the demo's); ``contact_log`` moves it forward as it goes."""
    last = (
        Contact.objects.filter(created_by=OuterRef("user_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    peers.update(last_logged_at=Subquery(last))


@transaction.atomic
def contact_log(
    *,
    actor: User,
    match: Match,
    kind: str,
    occurred_at: dt.datetime | None = None,
    duration_minutes: int = 60,
    initiative: str = Contact.Initiative.PEER,
    outcome: str = Contact.Outcome.HELD,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> tuple[Contact, bool]:
    """Log a contact. Returns (contact, created): a form submitted twice (same
    ``submission_key``) returns the contact stored the first time instead of a second one."""
    if submission_key is not None:
        existing = Contact.objects.filter(submission_key=submission_key).first()
        if existing is not None and existing.match_id == match.pk:
            return existing, False
        if existing is not None:
            raise ValidationError(_("The form was already used. Open it again."))
    match = _current_match(match)
    # The service checks for itself: the coordinator, the current peer, or a cover peer during a
    # pause (whose hours the contact then counts for).
    answer = access.require(
        user=actor, participant=match.participant, need=access.Need.LOG_CONTACTS
    )
    now = timezone.now()
    occurred_at = occurred_at or now
    if not 0 < duration_minutes <= MAX_MINUTES:
        raise ValidationError(_("A contact lasts between 1 minute and 24 hours."))
    if outcome != Contact.Outcome.PLANNED and occurred_at > now + CLOCK_SLACK:
        raise ValidationError(
            _("A contact that has taken place cannot be in the future. Choose “Planned”.")
        )
    if match.started_on and timezone.localdate(occurred_at) < match.started_on:
        raise ValidationError(
            _("The follow-up started %(date)s. A contact cannot be dated earlier.")
            % {"date": match.started_on.strftime("%d.%m.%Y")}
        )
    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                organisation_id=match.organisation_id,
                programme_id=match.programme_id,
                match=match,
                participant_id=match.participant_id,
                peer_id=answer.contact_peer_id or match.peer_id,
                occurred_at=occurred_at,
                duration_minutes=duration_minutes,
                kind=kind,
                initiative=initiative,
                outcome=outcome,
                note=note,
                submission_key=submission_key,
                created_by=actor,
            )
    except IntegrityError:
        # The same form arrived twice at the same moment: the other request stored it.
        return Contact.objects.get(submission_key=submission_key), False
    if outcome == Contact.Outcome.HELD:
        last_held_refresh(Match.objects.filter(pk=match.pk))
    # Her own log, in every programme she is a peer in ("quiet for a while" reads it).
    activity_noted(PeerWorker.objects.filter(user=actor), last_logged_at=contact.created_at)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=contact,
        summary="contact logged",
        event=events.CONTACT_LOGGED,
        data={
            "kind": kind,
            "outcome": outcome,
            "occurred_at": timezone.localtime(occurred_at).isoformat(timespec="minutes"),
            "minutes": duration_minutes,
            "out_of_hours": out_of_hours_kind(occurred_at, *match.programme.office_hours),
        },
    )
    return contact, True


CLOSED_OUTCOMES = frozenset(
    {Contact.Outcome.HELD, Contact.Outcome.CANCELLED, Contact.Outcome.NO_SHOW}
)


def _closable_match(match: Match) -> Match:
    """A current match, or one ended within the programme's grace period: a peer worker may
    still say how the last planned contacts went, so that held hours count. Later, refused."""
    match = Match.objects.select_for_update().select_related("programme").get(pk=match.pk)
    if not access.within_grace(match):
        raise ValidationError(
            _("The follow-up with this peer worker ended too long ago to close this contact.")
        )
    return match


@transaction.atomic
def contact_close(
    *,
    actor: User,
    contact: Contact,
    outcome: str,
    duration_minutes: int | None = None,
    note_addition: str = "",
) -> tuple[Contact, bool]:
    """Say how a planned contact went: held, cancelled or no-show. Returns (contact, changed).

    Only planned contacts can be closed; one whose time has not come can only be cancelled.
    The same form sent twice is no change: the second time returns (contact, False).
    """
    # Only the contact's row: locking the joined peer and participant too would wait for a
    # contact being logged for them, whose foreign keys are checked at its commit, while that
    # one waits for the match this close locks next (a deadlock).
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("peer", "participant")
        .get(pk=contact.pk)
    )
    answer = access.access_for(actor, contact.participant)
    if not answer.close_contacts or not (answer.coordinator or contact.peer.user_id == actor.pk):
        raise ValidationError(
            _("Only the peer worker or the coordinator can close a planned contact.")
        )
    if outcome not in CLOSED_OUTCOMES:
        raise ValidationError(_("Choose held, cancelled or did not show up."))
    if contact.outcome != Contact.Outcome.PLANNED:
        if contact.outcome == outcome:
            return contact, False
        raise ValidationError(
            _("Only a planned contact can be closed. This one is already “%(outcome)s”.")
            % {"outcome": contact.get_outcome_display().lower()}
        )
    _closable_match(contact.match)
    if outcome != Contact.Outcome.CANCELLED and contact.occurred_at > timezone.now() + CLOCK_SLACK:
        raise ValidationError(
            _("This contact has not taken place yet. It can only be cancelled for now.")
        )
    if duration_minutes is not None:
        if not 0 < duration_minutes <= MAX_MINUTES:
            raise ValidationError(_("A contact lasts between 1 minute and 24 hours."))
        contact.duration_minutes = duration_minutes
    note_addition = note_addition.strip()
    if note_addition:
        note = f"{contact.note}\n\n{note_addition}" if contact.note else note_addition
        if len(note) > Contact._meta.get_field("note").max_length:
            raise ValidationError(_("The note is too long."))
        contact.note = note
    contact.outcome = outcome
    contact.save(update_fields=["outcome", "duration_minutes", "note"])
    if outcome == Contact.Outcome.HELD:
        last_held_refresh(Match.objects.filter(pk=contact.match_id))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=contact,
        summary=f"planned contact closed as {outcome}",
        event=events.CONTACT_CLOSED,
        data={
            "kind": contact.kind,
            "outcome": outcome,
            "occurred_at": timezone.localtime(contact.occurred_at).isoformat(timespec="minutes"),
            "minutes": contact.duration_minutes,
            "note_added": bool(note_addition),
        },
    )
    return contact, True
