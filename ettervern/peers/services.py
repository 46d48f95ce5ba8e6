"""Writes on peer workers, the peer course, supervision and check-ins.

Each service is one transaction with its audit row; audit rows never carry note text.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ettervern.accounts.areas import check_area
from ettervern.accounts.models import Membership, Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.audit.submissions import once_per_submission
from ettervern.lib.periods import FULL_TIME_HOURS
from ettervern.orgadmin.services import invitation_for_membership
from ettervern.peers import events
from ettervern.peers.models import (
    SUPERVISION_TOPICS,
    Candidate,
    CheckIn,
    ConversationRequest,
    Course,
    CourseAbsence,
    CourseSession,
    GroupSupervision,
    PeerWorker,
    Supervision,
)
from ettervern.peers.selectors import attendance_share, peers_with_load

Action = AuditEvent.Action


def _require_coordinator(actor: User, programme_id: int) -> None:
    if programme_id not in programme_ids_for_role(actor, Role.COORDINATOR):
        raise ValidationError(_("Only the programme's coordinator can do this."))


def _require_own(actor: User, peer: PeerWorker) -> None:
    if peer.user_id != actor.pk:
        raise ValidationError(_("You can only do this for yourself."))


# --- recruitment and the peer course -----------------------------------------------------------


@once_per_submission(Course)
@transaction.atomic
def course_create(
    *, actor: User, programme: Programme, name: str, starts_on: dt.date, ends_on: dt.date | None
) -> Course:
    _require_coordinator(actor, programme.pk)
    if ends_on and ends_on < starts_on:
        raise ValidationError(_("The course cannot end before it starts."))
    course = Course.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=course,
        event=events.COURSE_CREATED,
    )
    return course


@once_per_submission(CourseSession)
@transaction.atomic
def course_session_create(
    *,
    actor: User,
    course: Course,
    held_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    topic: str,
) -> CourseSession:
    _require_coordinator(actor, course.programme_id)
    if ends_at <= starts_at:
        raise ValidationError(_("The hours do not add up: the session must end after it starts."))
    if held_on < course.starts_on or (course.ends_on and held_on > course.ends_on):
        raise ValidationError(_("The session must be within the course's dates."))
    session = CourseSession.objects.create(
        organisation_id=course.organisation_id,
        programme_id=course.programme_id,
        course=course,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        topic=topic,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=session,
        event=events.COURSE_SESSION_CREATED,
        data={"course_id": course.pk},
    )
    return session


@transaction.atomic
def course_attendance_set(
    *,
    actor: User,
    course: Course,
    attended: set[tuple[int, int]],
    absences: dict[tuple[int, int], str] | None = None,
) -> int:
    """Replace the course's attendance with ``attended``: (session id, candidate id) pairs, and
    its reasons for absence with ``absences`` ({(session id, candidate id): reason code})."""
    _require_coordinator(actor, course.programme_id)
    absences = absences or {}
    sessions = {s.pk: s for s in course.sessions.all()}
    candidate_ids = set(course.candidates.values_list("pk", flat=True))
    today = timezone.localdate()
    for session_id, candidate_id in attended | set(absences):
        if session_id not in sessions or candidate_id not in candidate_ids:
            raise ValidationError(_("Attendance can only be noted for this course's candidates."))
        if sessions[session_id].held_on > today:
            raise ValidationError(_("Attendance cannot be noted for a session in the future."))
    if set(absences) & attended or set(absences.values()) - set(CourseAbsence.Reason.values):
        raise ValidationError(_("A reason for absence is only for someone who was absent."))
    through = CourseSession.attendees.through
    through.objects.filter(coursesession__course=course).delete()
    through.objects.bulk_create(
        [through(coursesession_id=s, candidate_id=c) for s, c in sorted(attended)]
    )
    CourseAbsence.objects.filter(session__course=course).delete()
    CourseAbsence.objects.bulk_create(
        [
            CourseAbsence(
                organisation_id=course.organisation_id,
                programme_id=course.programme_id,
                session_id=s,
                candidate_id=c,
                reason=reason,
            )
            for (s, c), reason in sorted(absences.items())
        ]
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=course,
        event=events.COURSE_ATTENDANCE_SET,
        data={"count": len(attended)},
    )
    return len(attended)


@once_per_submission(Candidate)
@transaction.atomic
def candidate_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    heard_via: str,
    lived_experience: list[str],
    in_recovery_since: dt.date | None = None,
    email: str = "",
    phone: str = "",
    course: Course | None = None,
    gender: str = "",
    birth_year: int | None = None,
) -> Candidate:
    _require_coordinator(actor, programme.pk)
    if course is not None and course.programme_id != programme.pk:
        raise ValidationError(_("The course belongs to another programme."))
    if in_recovery_since and in_recovery_since > timezone.localdate():
        raise ValidationError(_("The recovery date cannot be in the future."))
    candidate = Candidate.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        name=name,
        email=email.lower(),
        phone=phone,
        heard_via=heard_via,
        gender=gender,
        birth_year=birth_year,
        lived_experience=lived_experience,
        in_recovery_since=in_recovery_since,
        course=course,
        status=Candidate.Status.IN_COURSE if course else Candidate.Status.RECRUITED,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=candidate,
        event=events.CANDIDATE_CREATED,
        data={"heard_via": heard_via},
    )
    return candidate


@transaction.atomic
def candidate_set_course(*, actor: User, candidate: Candidate, course: Course | None) -> Candidate:
    _require_coordinator(actor, candidate.programme_id)
    if candidate.status not in (Candidate.Status.RECRUITED, Candidate.Status.IN_COURSE):
        raise ValidationError(_("The course can only be changed before it is completed."))
    if course is not None and course.programme_id != candidate.programme_id:
        raise ValidationError(_("The course belongs to another programme."))
    candidate.course = course
    candidate.status = Candidate.Status.IN_COURSE if course else Candidate.Status.RECRUITED
    candidate.save(update_fields=["course", "status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=candidate,
        event=events.CANDIDATE_COURSE_SET,
        data={"course_id": course.pk if course else None},
    )
    return candidate


@transaction.atomic
def candidate_complete_course(
    *, actor: User, candidate: Candidate, completed_on: dt.date
) -> Candidate:
    _require_coordinator(actor, candidate.programme_id)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != Candidate.Status.IN_COURSE or candidate.course is None:
        raise ValidationError(_("Only a candidate taking a course can complete it."))
    course = candidate.course
    if completed_on < course.starts_on:
        raise ValidationError(_("The course cannot be completed before it started."))
    if completed_on > timezone.localdate():
        raise ValidationError(_("The completion date cannot be in the future."))
    if course.ends_on and completed_on > course.ends_on:
        raise ValidationError(
            _("The completion date must be within the course, which ended %(date)s.")
            % {"date": course.ends_on.strftime("%d.%m.%Y")}
        )
    share = attendance_share(candidate, until=completed_on)
    needed = Programme.objects.get(pk=candidate.programme_id).course_attendance_percent
    if share.total == 0:
        raise ValidationError(_("No course sessions are registered up to the completion date."))
    if share.attended * 100 < needed * share.total:
        raise ValidationError(
            _(
                "%(name)s attended %(attended)s of %(total)s sessions (%(percent)s %%); the "
                "programme asks for %(needed)s %% to complete the course."
            )
            % {
                "name": candidate.name,
                "attended": share.attended,
                "total": share.total,
                "percent": share.percent,
                "needed": needed,
            }
        )
    candidate.status = Candidate.Status.COMPLETED
    candidate.course_completed_on = completed_on
    candidate.save(update_fields=["status", "course_completed_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=candidate,
        event=events.COURSE_COMPLETED,
        data={"course_id": candidate.course_id},
    )
    return candidate


@transaction.atomic
def candidate_withdraw(*, actor: User, candidate: Candidate) -> Candidate:
    _require_coordinator(actor, candidate.programme_id)
    if candidate.status == Candidate.Status.ADMITTED:
        raise ValidationError(_("The candidate is already in the resource base."))
    candidate.status = Candidate.Status.WITHDRAWN
    candidate.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=candidate,
        event=events.CANDIDATE_WITHDRAWN,
    )
    return candidate


def _years_since(day: dt.date | None, today: dt.date) -> int | None:
    if day is None:
        return None
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


def _peer_login(*, programme: Programme, email: str, name: str) -> tuple[User, Membership]:
    """The login for a new peer worker or advisor profile: an existing login with that email or a
    new one (without a password: the invitation lets the person choose one), with the
    peer-worker role in the programme."""
    user = User.objects.filter(email=email).first()
    if (
        user is not None
        and Membership.objects.filter(user=user)
        .exclude(organisation_id=programme.organisation_id)
        .exists()
    ):
        # A typo must never hand someone of another organisation this organisation's participants.
        # The message must not say where the address is in use (another tenant's existence).
        raise ValidationError(
            _("This email address cannot be used here. Use another address for the person.")
        )
    if user is None:
        user = User.objects.create_user(email, None, name=name)
    membership = Membership.objects.filter(user=user, programme_id=programme.pk).first()
    if membership is not None and membership.role != Role.PEER_WORKER:
        raise ValidationError(_("This login already has another role in the programme."))
    if PeerWorker.objects.filter(user=user, programme_id=programme.pk).exists():
        raise ValidationError(_("This login already has a peer worker profile here."))
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            organisation_id=programme.organisation_id,
            programme_id=programme.pk,
            role=Role.PEER_WORKER,
        )
    elif not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return user, membership


@transaction.atomic
def candidate_admit(
    *,
    actor: User,
    candidate: Candidate,
    email: str,
    max_participants: int = 2,
    site_url: str = "",
) -> PeerWorker:
    """Admit a candidate who completed the course to the resource base.

    Links an existing login with that email or creates one without a password, gives it the
    peer worker role and creates the profile. A new login gets an invitation by e-mail (links
    point to ``site_url``) where the peer chooses a password; an existing one logs in as before.
    """
    _require_coordinator(actor, candidate.programme_id)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != Candidate.Status.COMPLETED or candidate.course_completed_on is None:
        raise ValidationError(_("Only a candidate who completed the course can be admitted."))
    email = email.strip().lower()
    user, membership = _peer_login(programme=candidate.programme, email=email, name=candidate.name)
    _check_capacity(max_participants, load=0, hours=candidate.programme.hours_per_participant_week)
    peer = PeerWorker.objects.create(
        organisation_id=candidate.organisation_id,
        programme_id=candidate.programme_id,
        user=user,
        gender=candidate.gender,
        birth_year=candidate.birth_year,
        lived_experience=candidate.lived_experience,
        years_in_recovery=_years_since(candidate.in_recovery_since, timezone.localdate()),
        max_participants=max_participants,
        resource_status=PeerWorker.ResourceStatus.ACTIVE,
        course_completed_on=candidate.course_completed_on,
    )
    candidate.status = Candidate.Status.ADMITTED
    candidate.peer = peer
    candidate.email = email
    candidate.save(update_fields=["status", "peer", "email"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=peer,
        event=events.PEER_ADMITTED,
        data={"candidate_id": candidate.pk, "user_id": user.pk},
    )
    invitation_for_membership(actor=actor, membership=membership, site_url=site_url)
    return peer


@once_per_submission(PeerWorker)
@transaction.atomic
def advisor_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    email: str,
    gender: str = "",
    birth_year: int | None = None,
    max_participants: int = 2,
    site_url: str = "",
) -> PeerWorker:
    """Register an advisor (veileder, the "Ut i jobb" model): no lived experience required and no
    peer course, straight into the resource base with a login, like an admitted peer worker. A new
    login gets an invitation by e-mail (links point to ``site_url``)."""
    _require_coordinator(actor, programme.pk)
    programme = Programme.objects.get(pk=programme.pk)
    email = email.strip().lower()
    user, membership = _peer_login(programme=programme, email=email, name=name)
    _check_capacity(max_participants, load=0, hours=programme.hours_per_participant_week)
    peer = PeerWorker.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        user=user,
        kind=PeerWorker.Kind.ADVISOR,
        gender=gender,
        birth_year=birth_year,
        max_participants=max_participants,
        resource_status=PeerWorker.ResourceStatus.ACTIVE,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=peer,
        event=events.ADVISOR_REGISTERED,
        data={"user_id": user.pk},
    )
    invitation_for_membership(actor=actor, membership=membership, site_url=site_url)
    return peer


# --- the resource base and the profile ---------------------------------------------------------


def _locked_with_load(peer: PeerWorker) -> PeerWorker:
    """The stored row, locked (FOR UPDATE cannot be combined with GROUP BY), with ``load``."""
    stored = PeerWorker.objects.select_for_update().get(pk=peer.pk)
    stored.load = peers_with_load(PeerWorker.objects.filter(pk=peer.pk)).values_list(
        "load", flat=True
    )[0]
    return stored


STATUS_MOVES = {
    PeerWorker.ResourceStatus.ACTIVE: {
        PeerWorker.ResourceStatus.PAUSED,
        PeerWorker.ResourceStatus.ENDED,
    },
    PeerWorker.ResourceStatus.PAUSED: {
        PeerWorker.ResourceStatus.ACTIVE,
        PeerWorker.ResourceStatus.ENDED,
    },
    PeerWorker.ResourceStatus.ENDED: {PeerWorker.ResourceStatus.ACTIVE},
    PeerWorker.ResourceStatus.CANDIDATE: {PeerWorker.ResourceStatus.ACTIVE},
}


@transaction.atomic
def peer_set_resource_status(*, actor: User, peer: PeerWorker, status: str) -> PeerWorker:
    """Pause, end or (re)activate a peer's place in the resource base."""
    _require_coordinator(actor, peer.programme_id)
    peer = _locked_with_load(peer)
    if status not in STATUS_MOVES.get(peer.resource_status, set()):
        raise ValidationError(_("This change of the resource base status is not possible."))
    if (
        status == PeerWorker.ResourceStatus.ACTIVE
        and peer.needs_course
        and peer.course_completed_on is None
    ):
        raise ValidationError(
            _("Only a peer who completed the course can be in the resource base.")
        )
    if status == PeerWorker.ResourceStatus.ENDED and peer.load:
        raise ValidationError(
            _("End or move the peer's current matches before ending their place.")
        )
    old = peer.resource_status
    peer.resource_status = status
    peer.save(update_fields=["resource_status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=peer,
        summary=f"resource status {old}->{status}",
        event=events.RESOURCE_STATUS_CHANGED,
        data={"from": old, "to": status},
    )
    return peer


def _check_capacity(max_participants: int, *, load: int, hours: Decimal) -> None:
    if max_participants < load:
        raise ValidationError(
            _("The capacity cannot be below the number of participants followed now (%(load)s).")
            % {"load": load}
        )
    if Decimal(max_participants) * Decimal(hours) > FULL_TIME_HOURS:
        raise ValidationError(
            _(
                "The hours do not add up: %(n)s participants of %(hours)s hours a week is more "
                "than a full-time position."
            )
            % {"n": max_participants, "hours": number_format(hours, decimal_pos=2)}
        )


PROFILE_FIELDS = (
    "gender",
    "birth_year",
    "lived_experience",
    "substances",
    "treatment_paths",
    "years_in_recovery",
    "interests",
    "strengths",
    "languages",
    "area",
    "availability",
    "max_participants",
)


@transaction.atomic
def peer_update_profile(*, actor: User, peer: PeerWorker, changes: dict) -> PeerWorker:
    """Update the profile (by the peer or their coordinator); audits the field names only."""
    if peer.user_id != actor.pk:
        _require_coordinator(actor, peer.programme_id)
    stored = _locked_with_load(peer)
    if "area" in changes:
        changes = {
            **changes,
            "area": check_area(stored.organisation_id, changes["area"], current=stored.area),
        }
    changed = [f for f in PROFILE_FIELDS if f in changes and getattr(stored, f) != changes[f]]
    if "max_participants" in changed:
        _check_capacity(
            changes["max_participants"],
            load=stored.load,
            hours=peer.programme.hours_per_participant_week,
        )
    if not changed:
        return stored
    for name in changed:
        setattr(stored, name, changes[name])
    stored.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=stored,
        summary="profile changed",
        event=events.PROFILE_CHANGED,
        data={"fields": sorted(changed)},
    )
    return stored


# --- supervision ---------------------------------------------------------------------------------


def _resolve_requests(actor: User, peer: PeerWorker, now: dt.datetime) -> int:
    return ConversationRequest.objects.filter(peer=peer, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )


@once_per_submission(Supervision)
@transaction.atomic
def supervision_create(
    *, actor: User, peer: PeerWorker, held_on: dt.date, topics: list[str], notes: str = ""
) -> Supervision:
    """Record an individual supervision; it answers any open request for a conversation."""
    _require_coordinator(actor, peer.programme_id)
    unknown = set(topics) - set(SUPERVISION_TOPICS)
    if unknown:
        raise ValidationError(_("Unknown topic."))
    if held_on > timezone.localdate():
        raise ValidationError(_("Record a supervision after it has been held."))
    supervision = Supervision.objects.create(
        organisation_id=peer.organisation_id,
        programme_id=peer.programme_id,
        peer=peer,
        coordinator=actor,
        held_on=held_on,
        topics=topics,
        notes=notes,
    )
    resolved = _resolve_requests(actor, peer, timezone.now())
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=supervision,
        event=events.SUPERVISION_HELD,
        data={
            "peer_id": peer.pk,
            "topics": topics,
            "requests_resolved": resolved,
        },
    )
    return supervision


@once_per_submission(GroupSupervision)
@transaction.atomic
def group_supervision_create(
    *, actor: User, programme: Programme, held_on: dt.date, theme: str, guest_speaker: str = ""
) -> GroupSupervision:
    _require_coordinator(actor, programme.pk)
    session = GroupSupervision.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        held_on=held_on,
        theme=theme,
        guest_speaker=guest_speaker,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=session,
        event=events.GROUP_SUPERVISION_CREATED,
    )
    return session


@transaction.atomic
def group_supervision_set_attendance(
    *, actor: User, session: GroupSupervision, peers: list[PeerWorker]
) -> GroupSupervision:
    _require_coordinator(actor, session.programme_id)
    if any(p.programme_id != session.programme_id for p in peers):
        raise ValidationError(_("Only the programme's peer workers can attend."))
    if peers and session.held_on > timezone.localdate():
        raise ValidationError(_("Attendance cannot be noted for a session in the future."))
    session.attendees.set(peers)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=session,
        event=events.GROUP_SUPERVISION_ATTENDANCE,
        data={"peer_ids": sorted(p.pk for p in peers)},
    )
    return session


# --- well-being ----------------------------------------------------------------------------------


@once_per_submission(CheckIn)
@transaction.atomic
def checkin_submit(
    *,
    actor: User,
    peer: PeerWorker,
    workload: str,
    boundaries: int,
    own_recovery: int,
    support_wanted: bool = False,
    text: str = "",
) -> CheckIn:
    """A peer's own, voluntary check-in. Asking for support opens a conversation request."""
    if peer.user_id != actor.pk:
        raise ValidationError(_("A check-in can only be made for yourself."))
    now = timezone.now()
    checkin = CheckIn.objects.create(
        organisation_id=peer.organisation_id,
        programme_id=peer.programme_id,
        peer=peer,
        submitted_at=now,
        workload=workload,
        boundaries=boundaries,
        own_recovery=own_recovery,
        support_wanted=support_wanted,
        text=text,
    )
    activity_noted(PeerWorker.objects.filter(pk=peer.pk), last_checkin_at=now)
    if support_wanted:
        _open_request(peer, now)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=checkin,
        event=events.CHECKIN_SUBMITTED,
        data={"support_wanted": support_wanted},
    )
    return checkin


ACTIVITY_FIELDS = ("last_logged_at", "last_checkin_at")


def activity_noted(peers: QuerySet[PeerWorker], **times: dt.datetime) -> None:
    """Move ``last_logged_at`` and/or ``last_checkin_at`` of these peers forward to the given
    times, never back. A conditional UPDATE per field: two writes at once each take the row in
    turn and the later time stays, on SQLite and PostgreSQL alike."""
    for name, at in times.items():
        if name not in ACTIVITY_FIELDS:
            raise ValueError(name)
        later = Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lt": at})
        peers.filter(later).update(**{name: at})


def last_checkin_refresh(peers: QuerySet[PeerWorker]) -> None:
    """Derive ``last_checkin_at`` of these peers again from their check-ins (data added in bulk,
    as the demo's)."""
    last = (
        CheckIn.objects.filter(peer=OuterRef("pk"))
        .values("peer")
        .annotate(last=Max("submitted_at"))
        .values("last")
    )
    peers.update(last_checkin_at=Subquery(last))


def _open_request(peer: PeerWorker, now: dt.datetime) -> ConversationRequest:
    # Serialise on the peer row so two taps at once keep one open request.
    PeerWorker.objects.select_for_update().filter(pk=peer.pk).first()
    existing = ConversationRequest.objects.filter(peer=peer, resolved_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ConversationRequest.objects.create(
                organisation_id=peer.organisation_id,
                programme_id=peer.programme_id,
                peer=peer,
                requested_at=now,
            )
    except IntegrityError:
        # The other tap won on a database without row locks (SQLite): use its request.
        return ConversationRequest.objects.get(peer=peer, resolved_at__isnull=True)


@transaction.atomic
def conversation_request(*, actor: User, peer: PeerWorker) -> ConversationRequest:
    """One tap: "I would like a conversation". Asking twice keeps the one open request."""
    _require_own(actor, peer)
    request = _open_request(peer, timezone.now())
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=request,
        event=events.CONVERSATION_REQUESTED,
    )
    return request


@transaction.atomic
def conversation_resolve(*, actor: User, peer: PeerWorker) -> int:
    _require_coordinator(actor, peer.programme_id)
    resolved = _resolve_requests(actor, peer, timezone.now())
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=peer,
        event=events.CONVERSATION_REQUEST_RESOLVED,
        data={"count": resolved},
    )
    return resolved
