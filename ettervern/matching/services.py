"""Writes on matches. Each writes its audit row in the same transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.matching import access, core, events
from ettervern.matching.engine import eligibility_problems
from ettervern.matching.loading import held_slots_counted, settings_for
from ettervern.matching.models import Exclusion, Match, MatchingSettings, PlanConstraint
from ettervern.matching.selectors import programme_pair
from ettervern.participants.models import Consent, Participant
from ettervern.participants.selectors import referred_on
from ettervern.participants.services import (
    participant_end,
    participant_set_status,
    participant_transition,
)
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load


@transaction.atomic
def match_create(
    *,
    actor: User | None,
    participant: Participant,
    peer: PeerWorker,
    started_on: dt.date | None = None,
    proposal: Match | None = None,
) -> Match:
    """Start a match decided by a coordinator. Checks every hard constraint, whatever the UI.

    With ``proposal`` (a proposed match of the same pair) that row becomes the active match;
    any other open proposals for the participant are withdrawn.

    ``started_on`` registers a match that began earlier (registered late), so that the contacts
    already held can be logged: never in the future, never before the participant's referral.
    """
    # Lock the participant row so two coordinators cannot match the same person at once.
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    started_on = _checked_start(participant, started_on)
    if participant.programme_id != peer.programme_id:
        raise ValidationError(_("The peer worker belongs to another programme."))
    if participant.status != Participant.Status.WAITING:
        raise ValidationError(_("Only a participant on the waiting list can be matched."))
    if not Consent.objects.filter(
        participant=participant, purpose=Consent.Purpose.FOLLOW_UP, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError(_("The participant has not consented to follow-up."))
    loaded = _lock_peer_with_load(peer.pk)
    if loaded.resource_status != PeerWorker.ResourceStatus.ACTIVE:
        raise ValidationError(_("The peer worker is not active in the resource base."))
    if loaded.load >= loaded.max_participants:
        raise ValidationError(_("The peer worker has no free capacity."))
    # The remaining hard constraints (peer course, exclusions, the participant's "must" wishes)
    # are the matching core's, so manual matches and the planner can never disagree.
    problems = eligibility_problems(participant, loaded)
    if problems:
        raise ValidationError(problems)
    open_proposals = Match.objects.filter(participant=participant, status=Match.Status.PROPOSED)
    if proposal is not None:
        open_proposals = open_proposals.exclude(pk=proposal.pk)
    for withdrawn in open_proposals:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            obj=withdrawn,
            summary="proposal withdrawn",
            event=events.PROPOSAL_WITHDRAWN,
            data={"peer_id": withdrawn.peer_id},
        )
    open_proposals.delete()
    try:
        with transaction.atomic():
            if proposal is not None:
                match = Match.objects.select_for_update().get(
                    pk=proposal.pk, status=Match.Status.PROPOSED, participant=participant, peer=peer
                )
                match.status = Match.Status.ACTIVE
                match.started_on = started_on
                match.save(update_fields=["status", "started_on"])
            else:
                match = Match.objects.create(
                    organisation_id=participant.organisation_id,
                    programme_id=participant.programme_id,
                    participant=participant,
                    peer=peer,
                    status=Match.Status.ACTIVE,
                    started_on=started_on,
                    created_by=actor,
                )
    except Match.DoesNotExist as exc:
        raise ValidationError(_("The proposal is no longer open.")) from exc
    except IntegrityError as exc:
        raise ValidationError(_("The participant already has a match.")) from exc
    held_slots_refresh([peer.pk])
    participant_transition(
        actor=actor, participant=participant, to=Participant.Status.MATCHED, by_match=True
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=match,
        summary=f"match {participant.pk}->{peer.pk}",
        event=events.MATCH_STARTED,
        data={"peer_id": peer.pk, "started_on": match.started_on.isoformat()},
    )
    return match


def _checked_start(participant: Participant, started_on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if started_on is None:
        return today
    if started_on > today:
        raise ValidationError(_("The start date cannot be in the future."))
    referred = referred_on(participant)
    if started_on < referred:
        raise ValidationError(
            _("The match cannot start before the participant was referred (%(date)s).")
            % {"date": referred.strftime("%d.%m.%Y")}
        )
    return started_on


def _lock_peer_with_load(peer_id: int) -> PeerWorker:
    """Lock the peer worker's row, then count their load.

    Two coordinators giving two participants the peer's last free slot at once would otherwise
    both count the slot as free. The second now waits for the first to commit and counts its
    match. (The lock and the count are two queries: PostgreSQL refuses FOR UPDATE with the
    GROUP BY the count needs.)"""
    PeerWorker.objects.select_for_update().filter(pk=peer_id).values_list("pk").get()
    return peers_with_load(PeerWorker.objects.filter(pk=peer_id)).get()


def held_slots_refresh(peer_ids) -> None:
    """Derive ``PeerWorker.held_slots`` of these peers again from their matches. Every write
    that changes whether a match holds a slot calls it in its transaction: it locks the peer
    rows first, so the count (a statement of its own, after the lock) sees every match another
    transaction committed for them meanwhile."""
    peers = PeerWorker.objects.filter(pk__in=peer_ids)
    list(peers.select_for_update().order_by("pk").values_list("pk"))
    peers.update(held_slots=held_slots_counted())


def _lock_current(match: Match) -> Match:
    match = Match.objects.select_for_update().select_related("participant").get(pk=match.pk)
    if not access.is_current(match):
        raise ValidationError(_("The match has ended."))
    return match


@transaction.atomic
def match_pause(*, actor: User, match: Match, reason: str, frees_slot: bool = False) -> Match:
    """Pause (relapse, prison, hospital…): the match is kept so the same peer can resume."""
    match = _lock_current(match)
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(_("Only an active match can be paused."))
    participant_transition(
        actor=actor,
        participant=match.participant,
        to=Participant.Status.PAUSED,
        reason=reason,
        by_match=True,
    )
    match.status, match.frees_slot = Match.Status.PAUSED, frees_slot
    match.save(update_fields=["status", "frees_slot"])
    held_slots_refresh([match.peer_id])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=match,
        summary="match paused",
        event=events.MATCH_PAUSED,
        data={"reason": reason},
    )
    return match


@transaction.atomic
def match_resume(*, actor: User, match: Match) -> Match:
    """Resume a paused match with the same peer (checking their capacity if the slot was freed)."""
    match = _lock_current(match)
    if match.status != Match.Status.PAUSED:
        raise ValidationError(_("Only a paused match can be resumed."))
    if match.frees_slot:
        loaded = _lock_peer_with_load(match.peer_id)
        if loaded.load >= loaded.max_participants:
            raise ValidationError(_("The peer worker has no free capacity."))
    participant_transition(
        actor=actor, participant=match.participant, to=Participant.Status.MATCHED, by_match=True
    )
    match.status, match.frees_slot = Match.Status.ACTIVE, False
    match.save(update_fields=["status", "frees_slot"])
    held_slots_refresh([match.peer_id])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=match,
        summary="match resumed",
        event=events.MATCH_RESUMED,
    )
    return match


@transaction.atomic
def match_end(
    *,
    actor: User,
    match: Match,
    end_reason: str,
    summary: str = "",
    next_steps: str = "",
    can_come_back: bool = False,
):
    """End the match and the participant's follow-up. Returns the participant's StatusChange."""
    match = _lock_current(match)
    change = participant_transition(
        actor=actor,
        participant=match.participant,
        to=Participant.Status.ENDED,
        end_reason=end_reason,
        summary=summary,
        next_steps=next_steps,
        can_come_back=can_come_back,
        by_match=True,
    )
    _close(actor=actor, match=match, end_reason=end_reason)
    return change


def _close(*, actor: User, match: Match, end_reason: str = "", back_to_waiting: bool = False):
    today = timezone.localdate()
    match.status = Match.Status.ENDED
    match.ended_on = max(today, match.started_on) if match.started_on else today
    match.save(update_fields=["status", "ended_on"])
    held_slots_refresh([match.peer_id])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=match,
        summary="match ended",
        event=events.MATCH_ENDED,
        data={"end_reason": end_reason, "back_to_waiting": back_to_waiting},
    )


@transaction.atomic
def match_release(*, actor: User, match: Match) -> Match:
    """Back on the waiting list for a new peer: the match ends, the follow-up goes on."""
    match = _lock_current(match)
    participant_transition(
        actor=actor, participant=match.participant, to=Participant.Status.WAITING, by_match=True
    )
    _close(actor=actor, match=match, back_to_waiting=True)
    return match


# --- the participant's status, wherever a match may be involved ---------------------------------


@transaction.atomic
def follow_up_set_status(*, actor: User, participant: Participant, to: str):
    """Intake or the waiting list from the participant page. A participant with a match who goes
    back on the waiting list waits for a new peer: the match ends, or the old peer would keep
    the participant and their slot."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    match = access.current_match_of(participant)
    if match is not None and to == Participant.Status.WAITING:
        match_release(actor=actor, match=match)
        return participant.status_changes.order_by("-at", "-id").first()
    return participant_set_status(actor=actor, participant=participant, to=to)


@transaction.atomic
def follow_up_end(
    *,
    actor: User,
    participant: Participant,
    end_reason: str,
    summary: str = "",
    next_steps: str = "",
    can_come_back: bool = False,
):
    """End the follow-up, and the current match with it."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    fields = {
        "end_reason": end_reason,
        "summary": summary,
        "next_steps": next_steps,
        "can_come_back": can_come_back,
    }
    match = access.current_match_of(participant)
    if match is not None:
        return match_end(actor=actor, match=match, **fields)
    return participant_end(actor=actor, participant=participant, **fields)


# --- the matching engine's writes: proposals, exclusions, weights, the batch plan -------------


@transaction.atomic
def match_propose(*, actor: User, participant: Participant, peer: PeerWorker) -> Match:
    """The coordinator proposes a peer. Nothing starts until the coordinator confirms."""
    if participant.programme_id != peer.programme_id:
        raise ValidationError(_("The peer worker belongs to another programme."))
    if participant.status != Participant.Status.WAITING:
        raise ValidationError(_("Only a participant on the waiting list can be matched."))
    problems = eligibility_problems(participant, peer)
    if problems:
        raise ValidationError(problems)
    if Match.objects.filter(
        participant=participant, peer=peer, status=Match.Status.PROPOSED
    ).exists():
        raise ValidationError(_("This peer worker has already been proposed."))
    match = Match.objects.create(
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        participant=participant,
        peer=peer,
        status=Match.Status.PROPOSED,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=match,
        summary="match proposed",
        event=events.MATCH_PROPOSED,
        data={"peer_id": peer.pk},
    )
    return match


@transaction.atomic
def match_proposal_accept(*, actor: User, match: Match) -> Match:
    """The proposed peer worker accepts (when the programme asks for that)."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("The proposal is no longer open."))
    if match.peer.user_id != actor.pk:
        raise ValidationError(_("Only the proposed peer worker can accept."))
    match.peer_accepted_at = timezone.now()
    match.save(update_fields=["peer_accepted_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=match,
        summary="proposal accepted by peer",
        event=events.PROPOSAL_ACCEPTED,
    )
    return match


def match_confirm(*, actor: User, match: Match, started_on: dt.date | None = None) -> Match:
    """The coordinator confirms a proposal: the match starts (all hard constraints re-checked),
    today or on the earlier ``started_on`` the pair actually began."""
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("The proposal is no longer open."))
    if settings_for(match.programme).require_peer_acceptance and match.peer_accepted_at is None:
        raise ValidationError(_("The peer worker has not accepted the proposal yet."))
    return match_create(
        actor=actor,
        participant=match.participant,
        peer=match.peer,
        proposal=match,
        started_on=started_on,
    )


@transaction.atomic
def match_proposal_withdraw(*, actor: User, match: Match) -> None:
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("The proposal is no longer open."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=match,
        summary="proposal withdrawn",
        event=events.PROPOSAL_WITHDRAWN,
        data={"peer_id": match.peer_id},
    )
    match.delete()


@transaction.atomic
def exclusion_create(
    *, actor: User, participant: Participant, peer: PeerWorker, kind: str, reason: str
) -> Exclusion:
    if participant.programme_id != peer.programme_id:
        raise ValidationError(_("The peer worker belongs to another programme."))
    if not reason.strip():
        raise ValidationError(_("Give a short reason for the exclusion."))
    if Exclusion.objects.filter(participant=participant, peer=peer).exists():
        raise ValidationError(_("This pair is already excluded."))
    exclusion = Exclusion.objects.create(
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        participant=participant,
        peer=peer,
        kind=kind,
        reason=reason.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=exclusion,
        summary="exclusion recorded",
        event=events.EXCLUSION_CREATED,
        data={"peer_id": peer.pk, "kind": kind},
    )
    return exclusion


@transaction.atomic
def exclusion_delete(*, actor: User, exclusion) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=exclusion,
        summary="exclusion removed",
        event=events.EXCLUSION_DELETED,
        data={"peer_id": exclusion.peer_id},
    )
    exclusion.delete()


@transaction.atomic
def matching_settings_update(
    *,
    actor: User,
    programme,
    weights: dict,
    suggestions_shown: int,
    require_peer_acceptance: bool,
):
    """Store the programme's weights; the core validates them (finite, non-negative numbers)."""
    try:
        checked = core.Weights.from_mapping(weights).as_dict()
    except core.InvalidWeight as exc:
        raise ValidationError(
            _("The weight for “%(criterion)s” must be a number of zero or more.")
            % {"criterion": exc.criterion}
        ) from exc
    settings, _created = MatchingSettings.objects.select_for_update().get_or_create(
        programme=programme, defaults={"organisation_id": programme.organisation_id}
    )
    settings.weights = checked
    settings.suggestions_shown = suggestions_shown
    settings.require_peer_acceptance = require_peer_acceptance
    settings.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=settings,
        summary="matching settings changed",
        event=events.MATCHING_SETTINGS_CHANGED,
    )
    return settings


@transaction.atomic
def plan_constraint_set(
    *, actor: User, participant: Participant, peer: PeerWorker, kind: str | None
):
    """Lock or forbid a pair in the batch plan; ``kind=None`` removes the constraint."""
    if participant.programme_id != peer.programme_id:
        raise ValidationError(_("The peer worker belongs to another programme."))
    PlanConstraint.objects.filter(participant=participant, peer=peer).delete()
    constraint = None
    if kind is not None:
        constraint = PlanConstraint.objects.create(
            organisation_id=participant.organisation_id,
            programme_id=participant.programme_id,
            participant=participant,
            peer=peer,
            kind=kind,
            created_by=actor,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="matching.planconstraint",
        object_id=f"{participant.pk}-{peer.pk}",
        organisation_id=participant.organisation_id,
        programme_id=participant.programme_id,
        participant_id=participant.pk,
        summary=f"plan constraint {kind or 'removed'}",
        event=events.PLAN_CONSTRAINT,
        data={"peer_id": peer.pk, "kind": kind or ""},
    )
    return constraint


@transaction.atomic
def plan_accept(
    *, actor: User, programme, pairs: list[tuple[int, int]]
) -> tuple[list[Match], list[tuple[tuple[int, int], str]]]:
    """Accept pairs of a batch plan in one transaction. The plan may be stale (someone was
    matched meanwhile): every pair is re-checked against the database and the pairs that no
    longer hold are refused with a reason, while the others start."""
    created: list[Match] = []
    refused: list[tuple[tuple[int, int], str]] = []
    for participant_id, peer_id in pairs:
        participant, peer = programme_pair(programme, participant_id, peer_id)
        if participant is None or peer is None:
            refused.append(((participant_id, peer_id), _("Not found in this programme.")))
            continue
        try:
            with transaction.atomic():
                created.append(match_create(actor=actor, participant=participant, peer=peer))
        except ValidationError as exc:
            refused.append(((participant_id, peer_id), " ".join(exc.messages)))
    return created, refused
