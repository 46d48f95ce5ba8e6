"""The follow-up relationship: who may do what for a participant, decided in one place.

A participant is followed by a peer worker (or advisor) through a match. Everything that asks
"may this user read, log a contact, edit the agreement, see notes, coordinate?" asks this module:
views, panels, services and the attention queries. Nothing else reads the grace-period setting or
lists which match states are current.

Who is who, for one participant:
- coordinator: holds the coordinator role in the participant's programme;
- current peer: the peer worker of the current (active or paused) match, with an active peer-worker
  role in that programme;
- grace peer: the peer worker of a match that ended within the programme's grace period
  (read-only: may still read, and close the contacts they planned);
- own record: the participant's own login;
- employer contact: the named, active contact person of one of the participant's placements;
- referrer: submitted a referral for the participant (sees its status only with consent, through
  the referrals selectors; never the record);
- cover peer: covers the participant while the current peer is on an approved pause
  (``PauseCover``): may read the record and log (and close) her own contacts until the pause ends,
  never edit the agreement or goals.

A volunteer (``Role.VOLUNTEER``) has no access to any participant here: the arenas app shows them
only the sign-ups of the events they help at.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import memberships_of, programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.matching.models import Match, PauseCover, PeerPause
from ettervern.participants.models import Consent, Participant
from ettervern.peers.models import PeerWorker


class Need(StrEnum):
    """What a caller needs to do with a participant."""

    # Read the record: coordinator, current peer, grace peer, the participant's own login.
    READ = "read"
    # The same without the grace period: who the participant "belongs to" in lists.
    CURRENT = "current"
    # Write case data (goals, wishes, details, contacts, the agreement): coordinator or the
    # current peer; never the participant's own login.
    FOLLOW = "follow"
    # Coordinator-only steps: status, matching, consent recorded on the participant's behalf.
    COORDINATE = "coordinate"
    # Sign the participant up for a social arena (and see her sign-ups): the coordinator, the
    # current peer doing it with her, or her own login. Never a volunteer: volunteers see the
    # sign-ups of the events they help at through the arenas app, not the participant.
    ARENAS = "arenas"
    # Log a contact: the coordinator, the current peer, or a cover peer during a pause.
    LOG_CONTACTS = "log_contacts"
    # Only the participants the user covers for a peer on pause (the cover peer's own list).
    COVER = "cover"


# --- match states ------------------------------------------------------------------------------


def current_matches() -> QuerySet[Match]:
    """Matches that hold a participant now (active or paused)."""
    return Match.objects.filter(status__in=Match.CURRENT)


def is_current(match: Match) -> bool:
    return match.status in Match.CURRENT


def current_match_of(participant: Participant) -> Match | None:
    return current_matches().filter(participant=participant).select_related("peer__user").first()


def grace_start(programme: Programme, today: dt.date | None = None) -> dt.date:
    """The earliest end date of a match whose peer worker still has read access."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=programme.peer_read_grace_days)


def within_grace(match: Match, today: dt.date | None = None) -> bool:
    """A current match, or one that ended within its programme's grace period."""
    if is_current(match):
        return True
    return match.ended_on is not None and match.ended_on >= grace_start(match.programme, today)


def status_drift() -> QuerySet[Participant]:
    """Participants whose status says "matched" or "paused" but whose current match does not
    (or who have a current match and say otherwise). Always empty: the matching services move
    both in one transaction; the test suite checks this after every test."""
    active = current_matches().filter(status=Match.Status.ACTIVE).values("participant_id")
    paused = current_matches().filter(status=Match.Status.PAUSED).values("participant_id")
    matched, on_pause = Participant.Status.MATCHED, Participant.Status.PAUSED
    return Participant.objects.filter(
        (Q(status=matched) & ~Q(pk__in=active))
        | (Q(status=on_pause) & ~Q(pk__in=paused))
        | (Q(pk__in=active) & ~Q(status=matched))
        | (Q(pk__in=paused) & ~Q(status=on_pause))
    )


# --- covers during a peer's pause ----------------------------------------------------------------


def pauses_in_effect(today: dt.date | None = None) -> QuerySet[PeerPause]:
    """Approved pauses that have begun, of peers still paused in the resource base (reactivating
    the peer ends the covers even before the pause row is closed)."""
    today = today or timezone.localdate()
    return PeerPause.objects.filter(
        status=PeerPause.Status.APPROVED,
        starts_on__lte=today,
        peer__resource_status=PeerWorker.ResourceStatus.PAUSED,
    )


def covers_in_effect(today: dt.date | None = None) -> QuerySet[PauseCover]:
    """Covers that give access now: the pause is in effect and the participant is still held by
    the paused peer's current match."""
    held = current_matches().filter(
        participant=OuterRef("participant_id"), peer=OuterRef("pause__peer_id")
    )
    return PauseCover.objects.filter(pause__in=pauses_in_effect(today)).filter(Exists(held))


def _cover_q(user: User) -> Q:
    peer_programmes = programme_ids_for_role(user, Role.PEER_WORKER)
    if not peer_programmes:
        return Q(pk__in=[])
    ids = covers_in_effect().filter(
        cover__user=user,
        cover__programme_id__in=peer_programmes,
        cover__resource_status=PeerWorker.ResourceStatus.ACTIVE,
    )
    return Q(pk__in=ids.values("participant_id"))


# --- the queryset filter behind every list ------------------------------------------------------


def _peer_q(user: User, *, include_grace: bool) -> Q:
    """Participants whose current (optionally recently ended) match is with this peer worker,
    in a programme where the user still holds an active peer-worker role."""
    peer_programmes = programme_ids_for_role(user, Role.PEER_WORKER)
    if not peer_programmes:
        return Q(pk__in=[])
    ids = (
        current_matches()
        .filter(peer__user=user, peer__programme_id__in=peer_programmes)
        .values("participant_id")
    )
    q = Q(pk__in=ids)
    if include_grace:
        for m in memberships_of(user):
            if m.role != Role.PEER_WORKER:
                continue
            ended = Match.objects.filter(
                peer__user=user,
                peer__programme_id=m.programme_id,
                status=Match.Status.ENDED,
                ended_on__gte=grace_start(m.programme),
            ).values("participant_id")
            q |= Q(pk__in=ended)
    return q


def participant_q(user: User, need: Need = Need.READ) -> Q:
    """The filter on Participant for what ``user`` may do (``need``)."""
    q = Q(pk__in=[])
    if not user.is_authenticated:
        return q
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    if coordinated:
        q |= Q(programme_id__in=coordinated)
    if need == Need.COORDINATE:
        return q & ~Q(user=user)
    if need == Need.COVER:
        return _cover_q(user) & ~Q(user=user)
    q |= _peer_q(user, include_grace=need == Need.READ)
    if need == Need.LOG_CONTACTS:
        return (q | _cover_q(user)) & ~Q(user=user)
    if need == Need.FOLLOW:
        return q & ~Q(user=user)
    if need == Need.READ:
        q |= _cover_q(user)
    own = programme_ids_for_role(user, Role.PARTICIPANT)
    if own:
        q |= Q(user=user, programme_id__in=own)
    return q


def participants_for(user: User, need: Need = Need.READ) -> QuerySet[Participant]:
    if not user.is_authenticated:
        return Participant.objects.none()
    return Participant.objects.filter(participant_q(user, need))


def _followed_by(user: User) -> tuple[Q, Q]:
    """Filters on Match behind ``followed_matches`` and ``matches_of_followed``: (the matches
    of the programmes the user coordinates, her own current matches as a peer worker in a
    programme where she still is one)."""
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    peer_programmes = programme_ids_for_role(user, Role.PEER_WORKER)
    programmes = Q(programme_id__in=coordinated) if coordinated else Q(pk__in=[])
    hers = (
        Q(peer__user=user, peer__programme_id__in=peer_programmes)
        if peer_programmes
        else Q(pk__in=[])
    )
    return programmes, hers


def followed_matches(user: User) -> QuerySet[Match]:
    """The current matches of the participants ``user`` may follow (``Need.FOLLOW``): the same
    participants as ``participants_for(user, Need.FOLLOW)`` that have a current match, filtered
    on the match itself. The attention queries start here: a filter on the match's programme
    or peer reads only the rows it needs, where a semi-join on the participant filter reads
    every participant of the programme.

    The same rule as ``participant_q``: a coordinator follows the participants of her
    programmes (a match belongs to its participant's programme: it is made there, and a
    participant never changes programme), a peer worker those whose current match is hers in a
    programme where she is still a peer worker; never one's own record."""
    if not user.is_authenticated:
        return Match.objects.none()
    programmes, hers = _followed_by(user)
    own = Participant.objects.filter(user=user).values("pk")
    return current_matches().filter(programmes | hers).exclude(participant_id__in=own)


def matches_of_followed(user: User) -> QuerySet[Match]:
    """Every match, in any state, of the participants ``user`` may follow (``Need.FOLLOW``),
    filtered on the match: the same rows as a filter on ``participants_for(user,
    Need.FOLLOW)``, without reading every participant of the programme to find them (a match
    belongs to its participant's programme, as in ``followed_matches``)."""
    if not user.is_authenticated:
        return Match.objects.none()
    programmes, hers = _followed_by(user)
    her_participants = current_matches().filter(hers).values("participant_id")
    own = Participant.objects.filter(user=user).values("pk")
    return Match.objects.filter(programmes | Q(participant_id__in=her_participants)).exclude(
        participant_id__in=own
    )


def own_participant(user: User) -> Participant | None:
    """The participant record of the user's own login, if they have one."""
    programmes = programme_ids_for_role(user, Role.PARTICIPANT)
    if not programmes:
        return None
    return (
        Participant.objects.filter(user=user, programme_id__in=programmes)
        .select_related("programme", "organisation")
        .first()
    )


def is_coordinator_of(user: User, participant: Participant) -> bool:
    return participant.programme_id in programme_ids_for_role(user, Role.COORDINATOR)


# --- one answer for one participant -------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantAccess:
    """What one user may do for one participant, and as whom."""

    coordinator: bool = False
    current_peer: bool = False
    grace_peer: bool = False
    own_record: bool = False
    employer_contact: bool = False
    referrer: bool = False
    # The current match (shown to anyone who may read the record), or None.
    match: Match | None = None
    # The user's own peer profile when she covers the participant during a pause, or None.
    cover: PeerWorker | None = None

    @property
    def cover_peer(self) -> bool:
        return self.cover is not None

    @property
    def read(self) -> bool:
        return (
            self.coordinator
            or self.current_peer
            or self.grace_peer
            or self.own_record
            or self.cover_peer
        )

    @property
    def follow(self) -> bool:
        """Write case data: goals, wishes, details, placements."""
        return (self.coordinator or self.current_peer) and not self.own_record

    @property
    def coordinate(self) -> bool:
        return self.coordinator and not self.own_record

    @property
    def log_contacts(self) -> bool:
        return (self.follow or (self.cover_peer and not self.own_record)) and (
            self.match is not None
        )

    @property
    def contact_peer_id(self) -> int | None:
        """Whose contact a logged contact is: the cover's while she covers, else the match's."""
        if self.cover is not None and not self.current_peer:
            return self.cover.pk
        return self.match.peer_id if self.match is not None else None

    @property
    def edit_agreement(self) -> bool:
        return self.follow and self.match is not None

    @property
    def see_notes(self) -> bool:
        """Contact notes: the coordinator, and the peer worker (or cover) for their own contacts."""
        return (
            self.coordinator or self.current_peer or self.grace_peer or self.cover_peer
        ) and not self.own_record

    @property
    def close_contacts(self) -> bool:
        """Say how a planned contact went: also for a grace peer, so held hours count."""
        return self.see_notes

    @property
    def all_contacts(self) -> bool:
        """Every contact of the participant (a peer worker sees only their own)."""
        return self.coordinator or self.own_record

    @property
    def sign_up(self) -> bool:
        """Sign up for social arenas on the participant's behalf, or her own login herself."""
        return self.coordinator or self.current_peer or self.own_record

    @property
    def confirms_as(self) -> str:
        """The party the user confirms the follow-up agreement as, or ""."""
        if self.own_record:
            return "participant"
        if self.current_peer:
            return "peer"
        return ""

    def allows(self, need: Need) -> bool:
        return {
            Need.READ: self.read,
            Need.CURRENT: self.coordinator or self.current_peer or self.own_record,
            Need.FOLLOW: self.follow,
            Need.COORDINATE: self.coordinate,
            Need.ARENAS: self.sign_up,
            Need.LOG_CONTACTS: self.log_contacts,
            Need.COVER: self.cover_peer and not self.own_record,
        }[need]


def access_for(user: User, participant: Participant) -> ParticipantAccess:
    """The one answer: what ``user`` may do for ``participant``."""
    if not user.is_authenticated:
        return ParticipantAccess()
    match = current_match_of(participant)
    roles_here = {
        m.role for m in memberships_of(user) if m.programme_id == participant.programme_id
    }
    peer_here = Role.PEER_WORKER in roles_here
    current_peer = peer_here and match is not None and match.peer.user_id == user.pk
    grace_peer = (
        peer_here
        and not current_peer
        and Match.objects.filter(
            participant=participant,
            peer__user=user,
            status=Match.Status.ENDED,
            ended_on__gte=grace_start(participant.programme),
        ).exists()
    )
    employer = (
        Role.EMPLOYER_CONTACT in roles_here
        and participant.placements.filter(
            contact_person__user=user, contact_person__is_active=True
        ).exists()
    )
    referrer = (
        Role.REFERRER in roles_here and participant.referrals.filter(submitted_by=user).exists()
    )
    cover = None
    if peer_here and not current_peer:
        covering = (
            covers_in_effect()
            .filter(
                participant=participant,
                cover__user=user,
                cover__programme_id=participant.programme_id,
                cover__resource_status=PeerWorker.ResourceStatus.ACTIVE,
            )
            .select_related("cover")
            .first()
        )
        cover = covering.cover if covering is not None else None
    return ParticipantAccess(
        coordinator=Role.COORDINATOR in roles_here,
        current_peer=current_peer,
        grace_peer=grace_peer,
        own_record=Role.PARTICIPANT in roles_here and participant.user_id == user.pk,
        employer_contact=employer,
        referrer=referrer,
        match=match,
        cover=cover,
    )


def answer(user: User, participant: Participant) -> ParticipantAccess:
    """The answer fetched with the participant in this request, or a fresh one."""
    cached = getattr(participant, "access", None)
    if (
        isinstance(cached, ParticipantAccess)
        and getattr(participant, "access_user_id", 0) == user.pk
    ):
        return cached
    return access_for(user, participant)


def get_participant_for_user(
    user: User, pk: int, *, need: Need = Need.READ, audit: bool = True
) -> Participant:
    """The participant with ``participant.access`` (a ``ParticipantAccess``), or 404.

    Every successful read is audited, and so is every refusal.
    """
    participant = (
        participants_for(user, need).select_related("programme", "organisation").filter(pk=pk)
    ).first()
    if participant is None:
        audit_denied(actor=user, object_type="participants.participant", object_id=pk)
        raise Http404
    participant.access = access_for(user, participant)
    participant.access_user_id = user.pk
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=participant)
    return participant


def require(*, user: User, participant: Participant, need: Need) -> ParticipantAccess:
    """For services, which check for themselves: the answer, or PermissionDenied (audited)."""
    access = access_for(user, participant)
    if not access.allows(need):
        # Audited by the 403 handler (a row written here would roll back with the service).
        raise PermissionDenied
    return access


def research_cohort(
    *, organisation_id: int, programme_ids: list[int], at: dt.datetime | None = None
) -> QuerySet[Participant]:
    """The only participants research may include: those of these programmes whose research
    consent is current at ``at`` (given by then, not withdrawn). Never a page: research reads
    these participants only as pseudonymised rows and suppressed counts
    (``ettervern.research``); a researcher has no ``Need`` on any participant."""
    at = at or timezone.now()
    consent = Q(
        consents__purpose=Consent.Purpose.RESEARCH,
        consents__given_at__lte=at,
        consents__withdrawn_at__isnull=True,
    )
    return Participant.objects.filter(
        consent, organisation_id=organisation_id, programme_id__in=programme_ids
    ).distinct()
