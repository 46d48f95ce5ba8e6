"""Writes on matches. Each writes its audit row in the same transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import User
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.matching.models import Match
from ettervern.participants.models import Consent, Participant
from ettervern.participants.services import participant_transition
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load


@transaction.atomic
def match_create(
    *,
    actor: User | None,
    participant: Participant,
    peer: PeerWorker,
    started_on: dt.date | None = None,
) -> Match:
    """Start a match decided by a coordinator. Checks the rules that hold whatever the UI."""
    # Lock the participant row so two coordinators cannot match the same person at once.
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.programme_id != peer.programme_id:
        raise ValidationError(_("The peer worker belongs to another programme."))
    if participant.status != Participant.Status.WAITING:
        raise ValidationError(_("Only a participant on the waiting list can be matched."))
    if not Consent.objects.filter(
        participant=participant, purpose=Consent.Purpose.FOLLOW_UP, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError(_("The participant has not consented to follow-up."))
    loaded = peers_with_load(PeerWorker.objects.filter(pk=peer.pk)).get()
    if loaded.resource_status != PeerWorker.ResourceStatus.ACTIVE:
        raise ValidationError(_("The peer worker is not active in the resource base."))
    if loaded.load >= loaded.max_participants:
        raise ValidationError(_("The peer worker has no free capacity."))
    try:
        with transaction.atomic():
            match = Match.objects.create(
                organisation_id=participant.organisation_id,
                programme_id=participant.programme_id,
                participant=participant,
                peer=peer,
                status=Match.Status.ACTIVE,
                started_on=started_on or timezone.localdate(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("The participant already has a match.")) from exc
    participant_transition(actor=actor, participant=participant, to=Participant.Status.MATCHED)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=match,
        summary=f"match {participant.pk}->{peer.pk}",
        data={"event": "match_started", "peer_id": peer.pk},
    )
    return match
