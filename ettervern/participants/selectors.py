"""Every read of participant data goes through here, scoped to who asks."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import memberships_of, programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_denied, audit_record
from ettervern.participants.models import Consent, Participant, Referral, StatusChange


def _peer_match_filter(user: User, *, include_grace: bool) -> Q:
    """Participants a peer worker is matched with (current; optionally recently ended)."""
    current = Q(
        matches__peer__user=user,
        matches__status__in=["active", "paused"],
        matches__peer__programme_id__in=programme_ids_for_role(user, Role.PEER_WORKER),
    )
    if not include_grace:
        return current
    # Read-only for a grace period after the match ends (per programme setting).
    grace = Q()
    for m in memberships_of(user):
        if m.role != Role.PEER_WORKER:
            continue
        since = timezone.localdate() - dt.timedelta(days=m.programme.peer_read_grace_days)
        grace |= Q(
            matches__peer__user=user,
            matches__peer__programme_id=m.programme_id,
            matches__status="ended",
            matches__ended_on__gte=since,
        )
    return current | grace if grace else current


def participants_visible_to(user: User, *, include_grace: bool = False) -> QuerySet[Participant]:
    """Participants the user may see: a coordinator their programmes', a peer worker their own.

    ``include_grace`` adds participants whose match with this peer ended recently (read-only).
    """
    if not user.is_authenticated:
        return Participant.objects.none()
    q = Q(pk__in=[])
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    if coordinated:
        q |= Q(programme_id__in=coordinated)
    if programme_ids_for_role(user, Role.PEER_WORKER):
        matched_ids = Participant.objects.filter(
            _peer_match_filter(user, include_grace=include_grace)
        ).values("pk")
        q |= Q(pk__in=matched_ids)
    if programme_ids_for_role(user, Role.PARTICIPANT):
        q |= Q(user=user, programme_id__in=programme_ids_for_role(user, Role.PARTICIPANT))
    return Participant.objects.filter(q)


def get_participant_for_user(
    user: User, pk: int, *, for_write: bool = False, audit: bool = True
) -> Participant:
    """The participant, or 404. Every successful read is audited, and so is every refusal.

    A peer worker may read (not write) a participant for a grace period after the match ended.
    """
    qs = participants_visible_to(user, include_grace=not for_write)
    if for_write and programme_ids_for_role(user, Role.PARTICIPANT):
        # A participant's own login reads its record but does not edit case data here.
        qs = qs.exclude(user=user)
    participant = qs.select_related("programme", "organisation").filter(pk=pk).first()
    if participant is None:
        audit_denied(actor=user, object_type="participants.participant", object_id=pk)
        raise Http404
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=participant)
    return participant


def get_participant_for_coordinator(user: User, pk: int) -> Participant:
    """The participant if the user coordinates its programme, or 404 (audited either way)."""
    participant = (
        Participant.objects.filter(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))
        .select_related("programme", "organisation")
        .filter(pk=pk)
        .first()
    )
    if participant is None:
        audit_denied(actor=user, object_type="participants.participant", object_id=pk)
        raise Http404
    audit_record(actor=user, action=AuditEvent.Action.READ, obj=participant)
    return participant


def is_coordinator_of(user: User, participant: Participant) -> bool:
    return participant.programme_id in programme_ids_for_role(user, Role.COORDINATOR)


def own_participant(user: User) -> Participant | None:
    """The participant record of the user's own login, if they have one."""
    if not programme_ids_for_role(user, Role.PARTICIPANT):
        return None
    return (
        participants_visible_to(user)
        .filter(user=user)
        .select_related("programme", "organisation")
        .first()
    )


def consents_by_purpose(participant: Participant) -> list[tuple[str, str, Consent | None]]:
    """Each purpose with its active consent (or None), in the order of the purposes."""
    active = {c.purpose: c for c in participant.consents.filter(withdrawn_at__isnull=True)}
    return [(code, label, active.get(code)) for code, label in Consent.Purpose.choices]


def participant_has_consent(participant: Participant, purpose: str) -> bool:
    return Consent.objects.filter(
        participant=participant, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def _phone_digits(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return digits[-8:] if len(digits) >= 8 else digits


def possible_duplicates(participant: Participant, *, user: User) -> list[Participant]:
    """Other participants with the same name and birth year, or the same phone, among those in
    the programmes ``user`` coordinates (never anyone the user may not see). Shown to the
    coordinator only; never merged automatically."""
    q = Q(pk__in=[])
    if participant.birth_year:
        q |= Q(name__iexact=participant.name.strip(), birth_year=participant.birth_year)
    digits = _phone_digits(participant.phone)
    if len(digits) == 8:
        q |= Q(phone__endswith=digits)
    candidates = (
        Participant.objects.filter(
            q,
            organisation_id=participant.organisation_id,
            programme_id__in=programme_ids_for_role(user, Role.COORDINATOR),
        )
        .exclude(pk=participant.pk)
        .order_by("name")
    )
    # ``endswith`` is a prefilter; compare the normalised numbers exactly.
    return [
        c
        for c in candidates[:20]
        if (c.name.lower() == participant.name.lower() and c.birth_year == participant.birth_year)
        or (len(digits) == 8 and _phone_digits(c.phone) == digits)
    ]


def duplicate_ids(participants: list[Participant], *, user: User) -> set[int]:
    """Which of these participants have a possible duplicate among the participants of the
    programmes ``user`` coordinates, in one query (for lists)."""
    if not participants:
        return set()
    org_ids = {p.organisation_id for p in participants}
    rows = list(
        Participant.objects.filter(
            organisation_id__in=org_ids,
            programme_id__in=programme_ids_for_role(user, Role.COORDINATOR),
        ).values_list("pk", "organisation_id", "name", "birth_year", "phone")
    )
    by_name: dict[tuple, set[int]] = {}
    by_phone: dict[tuple, set[int]] = {}
    for pk, org, name, year, phone in rows:
        if year:
            by_name.setdefault((org, name.strip().lower(), year), set()).add(pk)
        digits = _phone_digits(phone)
        if len(digits) == 8:
            by_phone.setdefault((org, digits), set()).add(pk)
    found = set()
    for p in participants:
        same = by_name.get((p.organisation_id, p.name.strip().lower(), p.birth_year), set())
        same = same | by_phone.get((p.organisation_id, _phone_digits(p.phone)), set())
        if same - {p.pk}:
            found.add(p.pk)
    return found


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """A coordinator sees the referrals of their programmes; a referrer only their own."""
    if not user.is_authenticated:
        return Referral.objects.none()
    q = Q(pk__in=[])
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    if coordinated:
        q |= Q(programme_id__in=coordinated)
    referring = programme_ids_for_role(user, Role.REFERRER)
    if referring:
        q |= Q(submitted_by=user, programme_id__in=referring)
    return Referral.objects.filter(q)


def referrals_for_referrer(user: User) -> list[dict]:
    """A referrer's own referrals; the status only where the participant consented to sharing.

    Returns plain rows, not participants, so a template cannot leak more than this.
    """
    referrals = (
        Referral.objects.filter(
            submitted_by=user, programme_id__in=programme_ids_for_role(user, Role.REFERRER)
        )
        .select_related("participant")
        .order_by("-created_at", "-id")[:200]
    )
    referrals = list(referrals)
    shared = set(
        Consent.objects.filter(
            participant_id__in=[r.participant_id for r in referrals],
            purpose=Consent.Purpose.SHARE_REFERRER,
            withdrawn_at__isnull=True,
        ).values_list("participant_id", flat=True)
    )
    return [
        {
            "name": r.participant.name,
            "created_at": r.created_at,
            "shared": r.participant_id in shared,
            "status": (r.participant.get_status_display() if r.participant_id in shared else ""),
        }
        for r in referrals
    ]


def waiting_list(user: User) -> QuerySet[Participant]:
    """Participants on the waiting list of the user's coordinated programmes, longest first."""
    return (
        Participant.objects.filter(
            programme_id__in=programme_ids_for_role(user, Role.COORDINATOR),
            status=Participant.Status.WAITING,
        )
        .select_related("programme")
        .order_by("status_since", "pk")
    )


def time_in_states(participant: Participant) -> list[tuple[str, dt.timedelta]]:
    """Total time spent in each status so far (the current one up to now), in path order."""
    changes = list(StatusChange.objects.filter(participant=participant).order_by("at", "id"))
    totals: dict[str, dt.timedelta] = {}
    for change, following in zip(changes, changes[1:] + [None], strict=True):
        end = following.at if following else timezone.now()
        totals[change.to_status] = totals.get(change.to_status, dt.timedelta()) + (end - change.at)
    return [(Participant.Status(s).label, d) for s, d in totals.items()]


def end_of_follow_up(participant: Participant) -> StatusChange | None:
    """The row that ended the follow-up (reason, summary, what next), if it has ended."""
    if participant.status != Participant.Status.ENDED:
        return None
    return participant.status_changes.filter(to_status=Participant.Status.ENDED).last()


def research_participants(programme_id: int) -> QuerySet[Participant]:
    """Participants who may appear in research exports: active research consent only."""
    return Participant.objects.filter(
        programme_id=programme_id,
        consents__purpose=Consent.Purpose.RESEARCH,
        consents__withdrawn_at__isnull=True,
    ).distinct()


def _label(choices, code) -> str:
    return str(dict(choices).get(code, code or "–"))


def _timeline_text(event: AuditEvent) -> str | None:
    """Plain-language line for an audit row; None for rows not shown on the timeline."""
    from django.utils.translation import gettext as _

    from ettervern.followup.models import Contact
    from ettervern.lib import labels
    from ettervern.participants.models import Goal, OtherService, PeerWish, StatusChange

    d = event.data or {}
    code = d.get("event")
    statuses = Participant.Status.choices
    if event.object_type == "participants.participant" and event.action == "create":
        return _("Registered")
    if code == "referral_received":
        return _("Referral received")
    if code == "status_changed":
        text = _("Status: %(from)s → %(to)s") % {
            "from": _label(statuses, d.get("from")),
            "to": _label(statuses, d.get("to")),
        }
        if d.get("end_reason"):
            text += f" ({_label(StatusChange.EndReason.choices, d['end_reason'])})"
        return text
    if code in ("consent_given", "consent_withdrawn"):
        purpose = _label(Consent.Purpose.choices, d.get("purpose"))
        if code == "consent_given":
            return _("Consent given: %(purpose)s") % {"purpose": purpose}
        return _("Consent withdrawn: %(purpose)s") % {"purpose": purpose}
    if code == "goal_added":
        return _("New goal: %(area)s") % {"area": _label(labels.LIFE_AREA_LABELS, d["life_area"])}
    if code == "goal_progress":
        return _("Goal progress: %(area)s (%(status)s)") % {
            "area": _label(labels.LIFE_AREA_LABELS, d.get("life_area")),
            "status": _label(Goal.Status.choices, d.get("to")),
        }
    if code in ("wish_added", "wish_removed"):
        kind = _label(PeerWish.Kind.choices, d.get("kind"))
        if code == "wish_added":
            return _("Wish for a peer added: %(kind)s") % {"kind": kind}
        return _("Wish for a peer removed: %(kind)s") % {"kind": kind}
    if code in ("service_added", "service_removed"):
        kind = _label(OtherService.Kind.choices, d.get("kind"))
        if code == "service_added":
            return _("Other service added: %(kind)s") % {"kind": kind}
        return _("Other service removed: %(kind)s") % {"kind": kind}
    if code == "details_changed":
        return _("Details changed")
    if code == "match_started":
        return _("Matched with a peer worker")
    if code == "match_paused":
        from ettervern.participants.models import PauseReason

        reason = _label(PauseReason.choices, d.get("reason"))
        return _("Follow-up paused (%(reason)s)") % {"reason": reason}
    if code == "match_resumed":
        return _("Follow-up resumed with the same peer worker")
    if code == "match_ended":
        return _("Match ended")
    if code == "agreement_version":
        return _("Follow-up agreement, version %(v)s") % {"v": d.get("version")}
    if code == "agreement_confirmed":
        who = _("the participant") if d.get("party") == "participant" else _("the peer worker")
        return _("Agreement version %(v)s confirmed by %(who)s") % {
            "v": d.get("version"),
            "who": who,
        }
    if code == "contact_closed":
        at = d.get("occurred_at", "")
        when = f"{at[8:10]}.{at[5:7]}.{at[0:4]} {at[11:16]}" if len(at) >= 16 else at
        return _("Planned contact %(when)s: %(kind)s, now %(outcome)s") % {
            "when": when,
            "kind": _label(Contact.Kind.choices, d.get("kind")),
            "outcome": _label(Contact.Outcome.choices, d.get("outcome")).lower(),
        }
    if code == "contact_logged":
        at = d.get("occurred_at", "")
        when = f"{at[8:10]}.{at[5:7]}.{at[0:4]} {at[11:16]}" if len(at) >= 16 else at
        return _("Contact %(when)s: %(kind)s, %(outcome)s") % {
            "when": when,
            "kind": _label(Contact.Kind.choices, d.get("kind")),
            "outcome": _label(Contact.Outcome.choices, d.get("outcome")).lower(),
        }
    return None


def timeline(participant: Participant, *, limit: int = 200) -> list[dict]:
    """One chronological timeline, newest first, built from the rows that audit the writes."""
    events = (
        AuditEvent.objects.filter(
            participant=participant,
            action__in=[
                AuditEvent.Action.CREATE,
                AuditEvent.Action.UPDATE,
                AuditEvent.Action.DELETE,
            ],
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    rows = []
    for event in events:
        text = _timeline_text(event)
        if text:
            rows.append({"at": event.at, "text": text, "actor": event.actor})
    return rows


def referred_on(participant: Participant) -> dt.date:
    """The day the participant came to the service: the earliest of the referral, the record
    and the first status change (imported or demo history may be older than the row)."""
    moments = [participant.created_at]
    first_referral = participant.referrals.order_by("created_at").values("created_at").first()
    if first_referral:
        moments.append(first_referral["created_at"])
    first_status = participant.status_changes.order_by("at").values("at").first()
    if first_status:
        moments.append(first_status["at"])
    return timezone.localdate(min(m for m in moments if m is not None))
