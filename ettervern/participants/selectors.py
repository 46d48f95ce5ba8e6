"""Reads about participants: consents, referrals, possible duplicates, history, the timeline.

Who may read or change which participant is decided in one place, ``ettervern.matching.access``;
the selectors here take a participant that was already fetched through it, or scope by role."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.db.models.functions import Right
from django.utils import timezone

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.events import event_type
from ettervern.audit.models import AuditEvent
from ettervern.participants.models import Consent, Participant, Referral, StatusChange


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
        # "Ends with the digits", as the indexed expression (``part_dup_phone_idx``).
        q |= Q(phone_tail=digits)
    candidates = (
        Participant.objects.alias(phone_tail=Right("phone", 8))
        .filter(
            q,
            organisation_id=participant.organisation_id,
            programme_id__in=programme_ids_for_role(user, Role.COORDINATOR),
        )
        .exclude(pk=participant.pk)
        .order_by("name")
    )
    # The phone's last 8 characters are a prefilter; compare the normalised numbers exactly.
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
    # Only rows that can be a duplicate of one of these (a prefilter, compared exactly below):
    # the work follows the list shown, not the number of participants.
    q = Q(pk__in=[])
    for name, year in {(p.name.strip(), p.birth_year) for p in participants if p.birth_year}:
        q |= Q(name__iexact=name, birth_year=year)
    for digits in {_phone_digits(p.phone) for p in participants}:
        if len(digits) == 8:
            q |= Q(phone__endswith=digits)
    rows = list(
        Participant.objects.filter(
            q,
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


def timeline(participant: Participant, *, limit: int = 200) -> list[dict]:
    """One chronological timeline, newest first, built from the rows that audit the writes.

    Each row is told by the app that declared its event type (``ettervern.audit.events``)."""
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
    for row in events:
        declared = event_type((row.data or {}).get("event"))
        text = declared.text(row.data) if declared else None
        if text:
            rows.append({"at": row.at, "text": text, "actor": row.actor, "app": declared.app})
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
