"""Reads of agreements and contacts, and what needs attention, scoped to who asks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.services import audit_denied
from ettervern.followup.models import Agreement, Contact
from ettervern.matching.models import Match
from ettervern.participants.models import Consent, Participant, Transition
from ettervern.participants.selectors import participants_visible_to

# How far ahead a release is flagged, and how long "the first days" after a transition last.
RELEASE_HORIZON_DAYS = 14
FIRST_DAYS = 7


def current_agreement(match: Match | None) -> Agreement | None:
    if match is None:
        return None
    return Agreement.objects.filter(match=match).prefetch_related("goals").first()


def can_see_notes(user: User, participant: Participant) -> bool:
    """Contact notes are for the peer worker of the match and the coordinator only."""
    if participant.programme_id in programme_ids_for_role(user, Role.COORDINATOR):
        return True
    return Match.objects.filter(participant=participant, peer__user=user).exists()


def contacts_for(user: User, participant: Participant) -> QuerySet[Contact]:
    """Contacts of a participant the user has already been allowed to see (through
    ``get_participant_for_user``). A peer worker sees the contacts of their own matches."""
    qs = Contact.objects.filter(participant=participant).select_related("peer__user")
    if participant.programme_id in programme_ids_for_role(user, Role.COORDINATOR):
        return qs
    if participant.user_id == user.pk:
        return qs
    return qs.filter(peer__user=user)


def _closable_by(user: User) -> Q:
    """Contacts the user may close: their own as the peer worker (while they may still read the
    participant), or any in the programmes they coordinate. Never on their own record."""
    own = Q(peer__user=user, participant__in=participants_visible_to(user, include_grace=True))
    coordinated = Q(programme_id__in=programme_ids_for_role(user, Role.COORDINATOR))
    return (own | coordinated) & ~Q(participant__user=user)


def get_contact_for_user(user: User, pk: int) -> Contact:
    """A contact the user may close, or 404 (the refusal audited)."""
    contact = (
        Contact.objects.filter(_closable_by(user))
        .select_related("participant", "peer__user", "match")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        audit_denied(actor=user, object_type="followup.contact", object_id=pk)
        raise Http404
    return contact


def planned_contacts_of_peer(user: User, *, limit: int = 30) -> list[Contact]:
    """The peer worker's own planned contacts, soonest first, for the home page."""
    return list(
        Contact.objects.filter(
            peer__user=user,
            outcome=Contact.Outcome.PLANNED,
            participant__in=participants_visible_to(user, include_grace=True),
        )
        .select_related("participant")
        .order_by("occurred_at")[:limit]
    )


@dataclass(frozen=True)
class AttentionItem:
    kind: str
    participant_id: int
    participant_name: str
    text: str


def _scope(user: User) -> tuple[Q, bool]:
    """Participants whose attention items the user gets: a coordinator all in their programmes,
    a peer worker those of their current matches. Returns (filter, is_coordinator)."""
    coordinated = programme_ids_for_role(user, Role.COORDINATOR)
    q = Q(pk__in=[])
    if coordinated:
        q |= Q(programme_id__in=coordinated)
    if programme_ids_for_role(user, Role.PEER_WORKER):
        q |= Q(
            pk__in=Match.objects.filter(peer__user=user, status__in=Match.CURRENT).values(
                "participant_id"
            )
        )
    return q, bool(coordinated)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def no_contact_since(starts: dict[int, dt.date]) -> set[int]:
    """Of {participant_id: date}, the participants with no contact held since that date.

    For "the first days after X" items; the employment app can call it for a new job."""
    if not starts:
        return set()
    reached = set(
        Contact.objects.filter(
            participant_id__in=list(starts), outcome=Contact.Outcome.HELD
        ).values_list("participant_id", "occurred_at")
    )
    seen = {pid for pid, at in reached if timezone.localdate(at) >= starts[pid]}
    return set(starts) - seen


def attention_items(user: User) -> list[AttentionItem]:
    """What needs attention now, derived from the data (no background worker)."""
    if not user.is_authenticated:
        return []
    scope, is_coordinator = _scope(user)
    participants = Participant.objects.filter(scope).select_related("programme")
    now, today = timezone.now(), timezone.localdate()
    items: list[AttentionItem] = []

    def add(kind: str, p, text: str) -> None:
        items.append(AttentionItem(kind, p.pk, p.name, text))

    # Active matches with no contact held for N days (programme setting).
    matches = (
        Match.objects.filter(status=Match.Status.ACTIVE, participant__in=participants)
        .select_related("participant", "programme")
        .annotate(
            last=Max(
                "contacts__occurred_at",
                filter=Q(contacts__outcome=Contact.Outcome.HELD, contacts__occurred_at__lte=now),
            )
        )
    )
    for m in matches:
        since = timezone.localdate(m.last) if m.last else m.started_on
        if since is None:
            continue
        days = (today - since).days
        if days >= m.programme.no_contact_alert_days:
            add(
                "no_contact",
                m.participant,
                ngettext("No contact for %(days)d day", "No contact for %(days)d days", days)
                % {"days": days},
            )

    # Agreements due for review (the latest version of each current match).
    newer = Agreement.objects.filter(match=OuterRef("match"), version__gt=OuterRef("version"))
    due = (
        Agreement.objects.filter(
            match__status__in=Match.CURRENT, participant__in=participants, review_on__lte=today
        )
        .exclude(Exists(newer))
        .select_related("participant")
    )
    for a in due:
        add(
            "review_due",
            a.participant,
            _("Follow-up agreement due for review (%(date)s)")
            % {"date": a.review_on.strftime("%d.%m.%Y")},
        )

    # Waiting longer than N days (coordinators only: they match).
    if is_coordinator:
        for p in participants.filter(status=Participant.Status.WAITING).order_by("status_since"):
            days = (now - p.status_since).days
            if days > p.programme.waiting_alert_days:
                add(
                    "waiting_long",
                    p,
                    ngettext("Waiting for %(days)d day", "Waiting for %(days)d days", days)
                    % {"days": days},
                )

    # Follow-up consent withdrawn and not given again (the participant may have done it with
    # their own login): the coordinator must decide what happens to the follow-up.
    if is_coordinator:
        follow_up = Consent.objects.filter(
            participant=OuterRef("pk"), purpose=Consent.Purpose.FOLLOW_UP
        )
        withdrawn = (
            participants.exclude(status=Participant.Status.ENDED)
            .filter(Exists(follow_up.filter(withdrawn_at__isnull=False)))
            .exclude(Exists(follow_up.filter(withdrawn_at__isnull=True)))
            .order_by("name")
        )
        for p in withdrawn:
            add("consent_withdrawn", p, _("The participant has withdrawn consent to follow-up"))

    # Release in the next 14 days with no contact planned before it.
    active = participants.exclude(status=Participant.Status.ENDED)
    # One query however many are released soon: the contact check is a correlated subquery.
    planned_before_release = Contact.objects.filter(
        participant=OuterRef("pk"),
        outcome__in=[Contact.Outcome.PLANNED, Contact.Outcome.HELD],
        occurred_at__gte=_day_start(today),
        # The local day, as _day_start: before the end of the release day in Oslo.
        occurred_at__date__lte=OuterRef("transition_date"),
    )
    soon = active.filter(
        transition=Transition.RELEASE,
        transition_date__gte=today,
        transition_date__lte=today + dt.timedelta(days=RELEASE_HORIZON_DAYS),
    ).exclude(Exists(planned_before_release))
    for p in soon:
        add(
            "release_soon",
            p,
            _("Released %(date)s: no contact planned before release")
            % {"date": p.transition_date.strftime("%d.%m.%Y")},
        )

    # The first days after a release or discharge with no contact held.
    recent = {
        p.pk: p
        for p in active.filter(
            transition__in=[Transition.RELEASE, Transition.DISCHARGE],
            transition_date__lt=today,
            transition_date__gte=today - dt.timedelta(days=FIRST_DAYS),
        )
    }
    missing = no_contact_since({pk: p.transition_date for pk, p in recent.items()})
    for pk in sorted(missing, key=lambda k: recent[k].transition_date):
        p = recent[pk]
        add(
            "after_transition",
            p,
            _("%(transition)s on %(date)s: no contact since")
            % {
                "transition": p.get_transition_display(),
                "date": p.transition_date.strftime("%d.%m.%Y"),
            },
        )
    return items
