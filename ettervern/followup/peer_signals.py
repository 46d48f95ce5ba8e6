"""Signals about peer workers for their coordinator: derived by queries, worded as support.

Each kind is one query over the coordinator's programmes (with a limit, and a count for "and N
more"), never a loop over every peer's budget in Python. A signal names its cause (a week, a
check-in, a request, a pause, a date of last activity); marking it handled stores who and when
for that cause (``SignalHandled``), so the same kind shows again when a new cause comes.

(Named ``peer_signals`` so it is not taken for Django's ``signals`` module.)
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ettervern.accounts.models import Membership, Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.followup import events
from ettervern.followup.models import Contact, SignalHandled
from ettervern.followup.selectors import (
    ATTENTION_COUNT_CAP,
    WHOLE_COUNT,
    first_and_total,
    minutes_over_held_slots,
)
from ettervern.lib import periods
from ettervern.matching.access import covers_in_effect, current_matches
from ettervern.matching.models import Match, PeerPause
from ettervern.peers.models import CheckIn, ConversationRequest, PeerWorker
from ettervern.peers.services import conversation_resolve

# A week "far over" its budget: more than this share of the week's budgeted hours, and at least
# MIN_OVER_MINUTES logged (a few minutes over a tiny budget is no signal).
FAR_OVER = Decimal("1.5")
MIN_OVER_MINUTES = 120
# How long a worrying check-in stays a signal if no one marks it handled.
CHECKIN_DAYS = 30
# No contact logged and no check-in for this long, while following participants.
SILENCE_DAYS = 21


class Kind:
    OVER_BUDGET = "over_budget"
    CHECKIN = "checkin"
    CONVERSATION = "conversation"
    UNCOVERED = "uncovered"
    PAUSE_REQUESTED = "pause_requested"
    RETURN_DUE = "return_due"
    SILENCE = "silence"


# The order on the page, with the badge text on the peer list.
KINDS = {
    Kind.UNCOVERED: gettext_lazy("participants need a cover"),
    Kind.CONVERSATION: gettext_lazy("would like a conversation"),
    Kind.CHECKIN: gettext_lazy("check-in: it is hard"),
    Kind.OVER_BUDGET: gettext_lazy("many hours this week"),
    Kind.PAUSE_REQUESTED: gettext_lazy("asks for a pause"),
    Kind.RETURN_DUE: gettext_lazy("back from pause"),
    Kind.SILENCE: gettext_lazy("quiet for a while"),
}


@dataclass(frozen=True)
class PeerSignal:
    kind: str
    peer_id: int
    peer_name: str
    cause: str
    text: str
    # Only a signal whose cause stays until someone acts can be marked handled here; a pause
    # request is handled by deciding it.
    can_handle: bool = True


@dataclass
class SignalGroup:
    kind: str
    label: str
    items: list[PeerSignal] = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))

    @property
    def capped(self) -> bool:
        """Counted only up to ``ATTENTION_COUNT_CAP``: there may be more."""
        return self.count >= ATTENTION_COUNT_CAP


def names_joined(names: list[str]) -> str:
    """ "Pål og Siv", "Pål, Siv og Ali"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _not_handled(kind: str, cause) -> Exists:
    return ~Exists(
        SignalHandled.objects.filter(peer_id=OuterRef("peer_id"), kind=kind, cause=cause)
    )


def _not_handled_peer(kind: str, cause) -> Exists:
    """The same, for a queryset of peers (whose own key is ``pk``)."""
    return ~Exists(SignalHandled.objects.filter(peer_id=OuterRef("pk"), kind=kind, cause=cause))


def _as_text(expr) -> Cast:
    return Cast(expr, output_field=CharField())


# --- one query per kind --------------------------------------------------------------------------


def _peers(programme_ids) -> QuerySet[PeerWorker]:
    return PeerWorker.objects.filter(programme_id__in=programme_ids)


def over_budget(programme_ids, today: dt.date, peer_ids=None) -> QuerySet[PeerWorker]:
    """Peers whose held contact hours this week are far over the week's budget (one position
    share per participant whose match holds a slot: ``held_slots``), among ``peer_ids`` if
    given. Annotated ``week_minutes`` and ``budget`` (hours)."""
    start, end = periods.week_of(today).bounds()
    minutes = (
        Contact.objects.filter(
            peer=OuterRef("pk"),
            outcome=Contact.Outcome.HELD,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .values("peer")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    cause = periods.week_of(today).start.isoformat()
    # Only the few peers who may be far over are summed per peer below: found in one grouped
    # pass over the week's contacts (an index on the time) against the slots kept on the peer
    # rows, not by summing every peer's week.
    busy = minutes_over_held_slots(
        programme_ids, periods.week_of(today), at_least=MIN_OVER_MINUTES, peer_ids=peer_ids
    )
    return (
        _peers(programme_ids)
        .filter(pk__in=busy)
        .annotate(week_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), 0))
        .annotate(
            budget=ExpressionWrapper(
                F("held_slots") * F("programme__hours_per_participant_week"),
                output_field=FloatField(),
            )
        )
        .filter(week_minutes__gte=MIN_OVER_MINUTES)
        .filter(week_minutes__gt=F("budget") * float(60 * FAR_OVER))
        .filter(_not_handled_peer(Kind.OVER_BUDGET, cause))
        .select_related("user")
        .order_by("-week_minutes", "pk")
    )


def worrying_checkins(programme_ids, now: dt.datetime) -> QuerySet[CheckIn]:
    """The newest worrying check-in of each peer in the last CHECKIN_DAYS: an answer at the worst
    level, or something written to the coordinator."""
    worrying = (
        Q(workload=CheckIn.Workload.TOO_MUCH)
        | Q(boundaries=CheckIn.Scale.HARD)
        | Q(own_recovery=CheckIn.Scale.HARD)
        | ~Q(text="")
    )
    recent = CheckIn.objects.filter(
        programme_id__in=programme_ids, submitted_at__gte=now - dt.timedelta(days=CHECKIN_DAYS)
    ).filter(worrying)
    newer = recent.filter(peer_id=OuterRef("peer_id"), submitted_at__gt=OuterRef("submitted_at"))
    return (
        recent.exclude(Exists(newer))
        .filter(_not_handled(Kind.CHECKIN, _as_text(OuterRef("pk"))))
        .select_related("peer__user")
        .order_by("-submitted_at")
    )


def conversation_requests(programme_ids) -> QuerySet[ConversationRequest]:
    return (
        ConversationRequest.objects.filter(programme_id__in=programme_ids, resolved_at__isnull=True)
        .select_related("peer__user")
        .order_by("requested_at")
    )


def _active_role() -> QuerySet[Membership]:
    """The peer's (``OuterRef``) active peer-worker role in her programme."""
    return Membership.objects.filter(
        user=OuterRef("user_id"),
        programme=OuterRef("programme_id"),
        role=Role.PEER_WORKER,
        is_active=True,
    )


def _away() -> Q:
    """A peer who cannot follow her participants now: paused, ended, or without an active login
    or peer-worker role in the programme."""
    return (
        ~Q(resource_status=PeerWorker.ResourceStatus.ACTIVE)
        | Q(user__is_active=False)
        | ~Exists(_active_role())
    )


def _away_ids(programme_ids) -> QuerySet:
    """The ids of the peers in the programmes who are away (``_away``), as the union of three
    sets the database builds at once (the index on status, a hash of the active roles). With the
    test in the query of peers, it walked every peer in name order (14 ms for 5 000 peers,
    against 6 as a union)."""
    peers = _peers(programme_ids).order_by()
    not_active = [
        s for s in PeerWorker.ResourceStatus.values if s != PeerWorker.ResourceStatus.ACTIVE
    ]
    return (
        peers.filter(resource_status__in=not_active)
        .values("pk")
        .union(
            peers.filter(user__is_active=False).values("pk"),
            peers.filter(~Exists(_active_role())).values("pk"),
        )
    )


def _without_cover(today: dt.date) -> QuerySet[Match]:
    """Current matches whose participant has no cover in effect."""
    covered = covers_in_effect(today).filter(participant=OuterRef("participant_id"))
    return current_matches().exclude(Exists(covered))


def uncovered_matches(programme_ids, today: dt.date) -> QuerySet[Match]:
    """Current matches of peers who are away, whose participant has no cover in effect."""
    away = _peers(programme_ids).filter(_away()).values("pk")
    return (
        _without_cover(today)
        .filter(peer_id__in=away)
        .select_related("participant", "peer__user")
        .order_by("peer_id", "participant__name")
    )


def _uncovered_cause() -> Subquery:
    """The open pause's id, or "away" for a peer away without a pause."""
    return Coalesce(
        _as_text(
            Subquery(
                PeerPause.objects.filter(
                    peer=OuterRef("pk"), status=PeerPause.Status.APPROVED
                ).values("pk")[:1]
            )
        ),
        Value("away"),
        output_field=CharField(),
    )


def uncovered_peers(programme_ids, today: dt.date) -> QuerySet[PeerWorker]:
    """Peers away with at least one participant without a cover (not marked handled)."""
    # ``uncovered_matches`` of each peer, with the test for being away on the peers themselves:
    # the matches are looked at for the few peers away, not for every peer.
    uncovered = _without_cover(today).filter(peer=OuterRef("pk"))
    return (
        _peers(programme_ids)
        .filter(pk__in=_away_ids(programme_ids))
        .filter(Exists(uncovered))
        .annotate(cause=_uncovered_cause())
        .filter(
            ~Exists(
                SignalHandled.objects.filter(
                    peer_id=OuterRef("pk"), kind=Kind.UNCOVERED, cause=OuterRef("cause")
                )
            )
        )
        .select_related("user")
        .order_by("user__name", "pk")
    )


def pause_requests(programme_ids) -> QuerySet[PeerPause]:
    return (
        PeerPause.objects.filter(programme_id__in=programme_ids, status=PeerPause.Status.REQUESTED)
        .select_related("peer__user")
        .order_by("starts_on", "pk")
    )


def returns_due(programme_ids, today: dt.date) -> QuerySet[PeerPause]:
    """Approved pauses whose expected return date has come: a reminder to talk about coming back."""
    return (
        PeerPause.objects.filter(
            programme_id__in=programme_ids,
            status=PeerPause.Status.APPROVED,
            expected_return_on__lte=today,
        )
        .filter(
            _not_handled(
                Kind.RETURN_DUE,
                _as_text(OuterRef("expected_return_on")),
            )
        )
        .select_related("peer__user")
        .order_by("expected_return_on", "pk")
    )


def silent_peers(programme_ids, now: dt.datetime) -> QuerySet[PeerWorker]:
    """Active peers following participants for SILENCE_DAYS or more who logged no contact and sent
    no check-in in that time. The cause is the time of their last logged contact (or "none").

    Read from the times kept on the peer rows (``last_logged_at``, ``last_checkin_at``): the
    contacts and check-ins themselves are not searched peer by peer."""
    since = now - dt.timedelta(days=SILENCE_DAYS)
    following = current_matches().filter(
        peer=OuterRef("pk"),
        status=Match.Status.ACTIVE,
        started_on__lte=timezone.localdate(since),
    )
    return (
        _peers(programme_ids)
        .filter(resource_status=PeerWorker.ResourceStatus.ACTIVE)
        .filter(Q(last_logged_at__isnull=True) | Q(last_logged_at__lt=since))
        .filter(Q(last_checkin_at__isnull=True) | Q(last_checkin_at__lt=since))
        .filter(Exists(following))
        .annotate(
            cause=Coalesce(_as_text(F("last_logged_at")), Value("none"), output_field=CharField())
        )
        .filter(
            ~Exists(
                SignalHandled.objects.filter(
                    peer_id=OuterRef("pk"), kind=Kind.SILENCE, cause=OuterRef("cause")
                )
            )
        )
        .select_related("user")
        .order_by(F("last_logged_at").asc(nulls_first=True), "pk")
    )


# --- what the pages show -------------------------------------------------------------------------


def _hours(minutes: int) -> str:
    """Hours the Norwegian way, without trailing zeros: "26", "6,4", "3,75"."""
    text = f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _checkin_what(c: CheckIn) -> str:
    parts = []
    if c.workload == CheckIn.Workload.TOO_MUCH:
        parts.append(_("the workload is too much"))
    if c.boundaries == CheckIn.Scale.HARD:
        parts.append(_("setting boundaries is hard"))
    if c.own_recovery == CheckIn.Scale.HARD:
        parts.append(_("her own recovery is hard"))
    if c.text:
        parts.append(_("wrote a few words to you"))
    return names_joined(parts)


def _groups(programme_ids, *, today: dt.date, now: dt.datetime, peer_ids=None):
    """(kind, queryset, row -> PeerSignal) for each kind, narrowed to ``peer_ids`` if given."""

    def only(qs, key="peer_id"):
        return qs if peer_ids is None else qs.filter(**{f"{key}__in": peer_ids})

    week = periods.week_of(today).start.isoformat()

    def budget_signal(p):
        return PeerSignal(
            Kind.OVER_BUDGET,
            p.pk,
            p.user.name,
            week,
            _(
                "%(hours)s hours logged this week against %(budget)s in the budget: a good "
                "moment to ask how it is going and share the load"
            )
            % {"hours": _hours(p.week_minutes), "budget": _hours(round(p.budget * 60))},
        )

    def checkin_signal(c):
        return PeerSignal(
            Kind.CHECKIN,
            c.peer_id,
            c.peer.user.name,
            str(c.pk),
            _("Check-in %(date)s: %(what)s. Perhaps offer a conversation?")
            % {
                "date": timezone.localtime(c.submitted_at).strftime("%d.%m"),
                "what": _checkin_what(c),
            },
        )

    def request_signal(r):
        return PeerSignal(
            Kind.CONVERSATION,
            r.peer_id,
            r.peer.user.name,
            str(r.pk),
            _("Would like a conversation (asked %(date)s)")
            % {"date": timezone.localtime(r.requested_at).strftime("%d.%m")},
        )

    def pause_signal(p):
        return PeerSignal(
            Kind.PAUSE_REQUESTED,
            p.peer_id,
            p.peer.user.name,
            str(p.pk),
            _("Asks for a pause from %(start)s, back %(end)s")
            % {
                "start": p.starts_on.strftime("%d.%m.%Y"),
                "end": p.expected_return_on.strftime("%d.%m.%Y"),
            },
            can_handle=False,
        )

    def return_signal(p):
        return PeerSignal(
            Kind.RETURN_DUE,
            p.peer_id,
            p.peer.user.name,
            p.expected_return_on.isoformat(),
            _("Expected back from the pause %(date)s: a good time to talk about coming back")
            % {"date": p.expected_return_on.strftime("%d.%m.%Y")},
        )

    def silence_signal(p):
        return PeerSignal(
            Kind.SILENCE,
            p.pk,
            p.user.name,
            p.cause,
            ngettext(
                "No contacts or check-ins for %(days)d day or more: perhaps hear how things are",
                "No contacts or check-ins for %(days)d days or more: perhaps hear how things are",
                SILENCE_DAYS,
            )
            % {"days": SILENCE_DAYS},
        )

    return [
        (Kind.UNCOVERED, only(uncovered_peers(programme_ids, today), "pk"), None),
        (Kind.CONVERSATION, only(conversation_requests(programme_ids)), request_signal),
        (Kind.CHECKIN, only(worrying_checkins(programme_ids, now)), checkin_signal),
        (Kind.OVER_BUDGET, only(over_budget(programme_ids, today, peer_ids), "pk"), budget_signal),
        (Kind.PAUSE_REQUESTED, only(pause_requests(programme_ids)), pause_signal),
        (Kind.RETURN_DUE, only(returns_due(programme_ids, today)), return_signal),
        (Kind.SILENCE, only(silent_peers(programme_ids, now), "pk"), silence_signal),
    ]


# The kinds whose order is computed per peer (hours this week, a name): their queries read every
# candidate, and a window counts them in the same query.
READ_WHOLE = frozenset({Kind.OVER_BUDGET, Kind.UNCOVERED})


def _uncovered_signals(peers: list[PeerWorker], programme_ids, today: dt.date):
    names: dict[int, list[str]] = {}
    rows = uncovered_matches(programme_ids, today).filter(peer_id__in=[p.pk for p in peers])
    for m in rows.values_list("peer_id", "participant__name"):
        names.setdefault(m[0], []).append(m[1])
    out = []
    for p in peers:
        who = names_joined(names.get(p.pk, []))
        if p.resource_status == PeerWorker.ResourceStatus.PAUSED:
            text = _("%(names)s need another peer worker while %(peer)s is on pause")
        else:
            text = _("%(names)s need another peer worker while %(peer)s is away")
        out.append(
            PeerSignal(
                Kind.UNCOVERED,
                p.pk,
                p.user.name,
                p.cause,
                text % {"names": who, "peer": p.user.name},
            )
        )
    return out


def peer_signals(
    user: User,
    *,
    peer_ids: list[int] | None = None,
    limit: int = 10,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[SignalGroup]:
    """The signals about the peers a coordinator coordinates, by kind (empty kinds left out):
    up to ``limit`` of each and how many there are. ``peer_ids`` narrows to some peers."""
    programme_ids = programme_ids_for_role(user, Role.COORDINATOR)
    if not programme_ids:
        return []
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    groups = []
    for kind, qs, build in _groups(programme_ids, today=today, now=now, peer_ids=peer_ids):
        if kind in READ_WHOLE:
            # The query reads all its candidates to order them: it counts them on the way.
            qs = qs.annotate(**{WHOLE_COUNT: Window(Count("pk"))})
        # Otherwise the first rows come in order through an index, and a second query counts
        # up to ATTENTION_COUNT_CAP: each bounded, whatever the number of signals.
        rows, count = first_and_total(qs, limit)
        if not rows:
            continue
        if kind == Kind.UNCOVERED:
            items = _uncovered_signals(rows, programme_ids, today)
        else:
            items = [build(r) for r in rows]
        groups.append(SignalGroup(kind, str(KINDS[kind]), items, count))
    return groups


def signal_badges(user: User, peer_ids: list[int]) -> dict[int, list[str]]:
    """{peer id: [badge text, ...]} for the peers on one page of the peer list: one query per
    kind, narrowed to those peers."""
    programme_ids = programme_ids_for_role(user, Role.COORDINATOR)
    if not programme_ids or not peer_ids:
        return {}
    now = timezone.now()
    today = timezone.localdate(now)
    badges: dict[int, list[str]] = {}
    for kind, qs, _build in _groups(programme_ids, today=today, now=now, peer_ids=peer_ids):
        key = "pk" if qs.model is PeerWorker else "peer_id"
        for peer_id in set(qs.values_list(key, flat=True)):
            badges.setdefault(peer_id, []).append(str(KINDS[kind]))
    return badges


# --- marking a signal handled --------------------------------------------------------------------


@transaction.atomic
def signal_mark_handled(*, actor: User, peer: PeerWorker, kind: str, cause: str) -> bool:
    """Mark one signal handled (who, when; audited). A conversation request is resolved, as a
    supervision would. Returns False if it was already handled."""
    if peer.programme_id not in programme_ids_for_role(actor, Role.COORDINATOR):
        raise ValidationError(_("Only the programme's coordinator can do this."))
    if kind not in KINDS or kind == Kind.PAUSE_REQUESTED or not cause or len(cause) > 40:
        raise ValidationError(_("This signal cannot be marked handled."))
    if kind == Kind.CONVERSATION:
        return conversation_resolve(actor=actor, peer=peer) > 0
    try:
        with transaction.atomic():
            mark = SignalHandled.objects.create(
                organisation_id=peer.organisation_id,
                programme_id=peer.programme_id,
                peer=peer,
                kind=kind,
                cause=cause,
                handled_by=actor,
                handled_at=timezone.now(),
            )
    except IntegrityError:
        return False
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=mark,
        event=events.SIGNAL_HANDLED,
        data={"peer_id": peer.pk, "kind": kind},
    )
    return True


def handled_marks(peer: PeerWorker, *, limit: int = 10) -> list[SignalHandled]:
    """The latest handled marks of a peer (who and when), for her page."""
    return list(
        SignalHandled.objects.filter(peer=peer)
        .select_related("handled_by")
        .order_by("-handled_at")[:limit]
    )
