"""The funder report's sections: each one function from (programme, period) to plain data.

A section is a dict that survives JSON (an export job stores it between steps)::

    {"key": "contacts", "title": "...", "has_data": bool, "note": "...",
     "tables": [{"title": "...", "columns": ["...", ...], "chart": bool,
                 "rows": [{"label": "...", "cells": [{"k": "count", "v": 12}, ...]}]}]}

Cell kinds: ``count`` (people or events: hidden as "<5" in copies shared outside the
organisation when 1-4), ``hours``, ``percent``, ``days``. Every figure is aggregated in the
database with a fixed number of queries, whatever the number of participants.

To add a section, write one function and register it with ``@section(key, title, order)``.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ettervern.accounts.models import Programme
from ettervern.employment.models import AgreementVersion, Meeting, Party, Placement
from ettervern.followup.budget import Share, allotted_hours
from ettervern.followup.models import NIGHT_STARTS, Contact
from ettervern.lib.periods import Period
from ettervern.matching.models import Match
from ettervern.participants.models import Participant, Referral, StatusChange
from ettervern.peers.models import Candidate, GroupSupervision, Supervision

Builder = Callable[[Programme, Period], dict]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Promise
    order: int
    build: Builder


SECTIONS: dict[str, SectionSpec] = {}


def section(key: str, title: Promise, order: int) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        if key in SECTIONS:
            raise ValueError(f"report section {key!r} is registered twice")
        SECTIONS[key] = SectionSpec(key, title, order, build)
        return build

    return register


def registered() -> list[SectionSpec]:
    return sorted(SECTIONS.values(), key=lambda s: s.order)


# Sections that come with other parts of issue 11, each one function registered like those below
# (the lead adds them after merging; until then the report has no such section and no figures):
#   - "outcomes" (order 75): outcome change (BARC-10, trust) for participants with two
#     measurements, from ettervern.outcomes.selectors.outcome_change(programme=, start=, end=),
#     one row per instrument total and subscale:
#         row(c.label, count(c.n), mean(c.mean_first, of=c.n), mean(c.mean_latest, of=c.n),
#             mean(c.mean_change, of=c.n))
#   - "arenas" (order 85): social-arena events held and attendance, from the arenas app.


# --- plain data ------------------------------------------------------------------------------


def count(n: int | None) -> dict:
    return {"k": "count", "v": int(n or 0)}


def hours(minutes: int | None) -> dict:
    return {"k": "hours", "v": round((minutes or 0) / 60, 1)}


def percent(part: int | None, whole: int | None) -> dict:
    return {"k": "percent", "v": round(100 * (part or 0) / whole) if whole else None}


def days(n: float | int | None) -> dict:
    return {"k": "days", "v": None if n is None else round(float(n), 1)}


def mean(value: float | None, *, of: int) -> dict:
    """An average over ``of`` people: hidden with the count in shared copies when ``of`` is 1-4
    (the mean of one person is that person's score)."""
    return {"k": "number", "v": None if value is None else round(float(value), 1), "of": of}


def row(label, *cells: dict, total: bool = False) -> dict:
    return {"label": str(label), "cells": list(cells), "total": total}


def table(title, columns: list, rows: list[dict], *, chart: bool = False) -> dict:
    return {
        "title": str(title),
        "columns": [str(c) for c in columns],
        "rows": rows,
        "chart": chart,
    }


def _result(key: str, tables: list[dict], has_data: bool, note: str = "") -> dict:
    return {
        "key": key,
        "title": str(SECTIONS[key].title),
        "tables": tables,
        "has_data": has_data,
        "note": note,
    }


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _during(field: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


# --- the sections ----------------------------------------------------------------------------


@section("referrals", gettext_lazy("New referrals"), order=10)
def referrals(programme: Programme, period: Period) -> dict:
    by_source = dict(
        Referral.objects.filter(_during("created_at", period), programme=programme)
        .values_list("source")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [row(name, count(by_source.get(value))) for value, name in Referral.Source.choices]
    total = sum(by_source.values())
    rows.append(row(_("All referrals"), count(total), total=True))
    return _result(
        "referrals",
        [table(_("Referrals by source"), [_("Referrals")], rows, chart=True)],
        has_data=total > 0,
    )


def _status_at(moment: dt.datetime):
    return Subquery(
        StatusChange.objects.filter(participant=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )


@section("participants", gettext_lazy("Participants by status"), order=20)
def participants(programme: Programme, period: Period) -> dict:
    """From the status history: each participant's last status before the first moment of the
    period, and before the first moment after it."""
    start, end = period.bounds()
    pairs = (
        Participant.objects.filter(programme=programme)
        .annotate(at_start=_status_at(start), at_end=_status_at(end))
        .values_list("at_start", "at_end")
        .annotate(n=Count("id"))
        .order_by()
    )
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for at_start, at_end, n in pairs:
        if at_start:
            first[at_start] = first.get(at_start, 0) + n
        if at_end:
            last[at_end] = last.get(at_end, 0) + n
    rows = [
        row(name, count(first.get(value)), count(last.get(value)))
        for value, name in Participant.Status.choices
    ]
    rows.append(
        row(
            _("All participants"), count(sum(first.values())), count(sum(last.values())), total=True
        )
    )
    return _result(
        "participants",
        [
            table(
                _("Participants by status"),
                [_("At the start"), _("At the end")],
                rows,
                chart=True,
            )
        ],
        has_data=bool(first or last),
    )


def _waiting_since(participant_ref: str, before):
    return Subquery(
        StatusChange.objects.filter(
            participant=OuterRef(participant_ref), to_status=Participant.Status.WAITING
        )
        .filter(before)
        .order_by("-at", "-id")
        .values("at")[:1]
    )


@section("waiting", gettext_lazy("Waiting for a peer worker"), order=30)
def waiting(programme: Programme, period: Period) -> dict:
    """Days from joining the waiting list to the match's start, for matches started in the
    period; and those still waiting at its end, with the longest wait so far."""
    _start, end = period.bounds()
    started = (
        Match.objects.filter(_between("started_on", period), programme=programme)
        .annotate(since=_waiting_since("participant", Q(at__date__lte=OuterRef("started_on"))))
        .values_list("started_on", "since")
    )
    waits = [
        (started_on - timezone.localdate(since)).days
        for started_on, since in started
        if since is not None
    ]
    still = (
        Participant.objects.filter(programme=programme)
        .annotate(status_then=_status_at(end), since=_waiting_since("pk", Q(at__lt=end)))
        .filter(status_then=Participant.Status.WAITING)
        .aggregate(n=Count("id"), first=Min("since"))
    )
    longest_now = (period.end - timezone.localdate(still["first"])).days if still["first"] else None
    rows = [
        row(_("Matched in the period"), count(len(waits))),
        row(_("Median wait (days)"), days(median(waits) if waits else None)),
        row(_("Longest wait (days)"), days(max(waits) if waits else None)),
        row(_("Still waiting at the end of the period"), count(still["n"])),
        row(_("Longest wait so far among them (days)"), days(longest_now)),
    ]
    return _result(
        "waiting",
        [table(_("Waiting times"), [_("Figure")], rows)],
        has_data=bool(waits or still["n"]),
    )


@section("matches", gettext_lazy("Matches started and ended"), order=40)
def matches(programme: Programme, period: Period) -> dict:
    """The reason a match ended is the participant's end reason that day (the status history);
    a match ended without one sent the participant back to the waiting list for a new peer."""
    started = Match.objects.filter(_between("started_on", period), programme=programme).count()
    reason = Subquery(
        StatusChange.objects.filter(
            participant=OuterRef("participant"),
            to_status=Participant.Status.ENDED,
            at__date=OuterRef("ended_on"),
        )
        .order_by("-at", "-id")
        .values("end_reason")[:1]
    )
    by_reason = dict(
        Match.objects.filter(
            _between("ended_on", period), programme=programme, started_on__isnull=False
        )
        .annotate(reason=reason)
        .values_list("reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    ended = sum(by_reason.values())
    reasons = [
        row(name, count(by_reason.get(value))) for value, name in StatusChange.EndReason.choices
    ]
    reasons.append(row(_("Back on the waiting list for a new peer"), count(by_reason.get(None))))
    return _result(
        "matches",
        [
            table(
                _("Matches"),
                [_("Number")],
                [row(_("Started"), count(started)), row(_("Ended"), count(ended))],
            ),
            table(_("Matches ended, by reason"), [_("Matches")], reasons, chart=True),
        ],
        has_data=bool(started or ended),
    )


class _Epoch(Func):
    """Seconds since 1970 (UTC) of a datetime column, computed natively by the database (Django's
    time-zone extraction runs a Python function per row on SQLite: seconds for a year's contacts).
    """

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        return self.as_sqlite(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)",
        )


def _offsets(period: Period) -> list[tuple[dt.datetime, int]]:
    """The local time zone's UTC offset (seconds) in the period, as (until, offset) pieces:
    daylight saving changes at most twice a year, so the database adds a constant per piece."""
    tz = timezone.get_current_timezone()
    start, end = period.bounds()
    pieces, moment = [], start
    offset = int(moment.astimezone(tz).utcoffset().total_seconds())
    while moment < end:
        nxt = moment + dt.timedelta(hours=1)
        now = int(nxt.astimezone(tz).utcoffset().total_seconds())
        if now != offset or nxt >= end:
            pieces.append((nxt, offset))
            offset = now
        moment = nxt
    return pieces


def _local_clock(field: str, period: Period) -> dict:
    """Local minute of the day and ISO weekday (1 = Monday) of a datetime column, in SQL."""
    pieces = _offsets(period)
    offset = Case(
        *(When(**{f"{field}__lt": until}, then=Value(seconds)) for until, seconds in pieces[:-1]),
        default=Value(pieces[-1][1]),
        output_field=BigIntegerField(),
    )
    local = ExpressionWrapper(_Epoch(field) + offset, output_field=BigIntegerField())
    day = ExpressionWrapper(local / 86400, output_field=BigIntegerField())
    return {
        "local_seconds": local,
        "local_day": day,
    }


def _out_of_hours(programme: Programme) -> Q:
    """The programme's office hours, as in ``followup.models.out_of_hours_kind``: weekends,
    before opening, from closing time (or from 22:00, night) in local time."""
    opens = programme.office_opens.hour * 60 + programme.office_opens.minute
    closes = programme.office_closes.hour * 60 + programme.office_closes.minute
    night = NIGHT_STARTS.hour * 60 + NIGHT_STARTS.minute
    return Q(weekday__gte=6) | Q(minute_of_day__lt=opens) | Q(minute_of_day__gte=min(closes, night))


def _contacts(programme: Programme, period: Period):
    return Contact.objects.filter(_during("occurred_at", period), programme=programme)


@section("contacts", gettext_lazy("Contacts and activities"), order=50)
def contacts(programme: Programme, period: Period) -> dict:
    held = Q(outcome=Contact.Outcome.HELD)
    by_kind = {
        r["kind"]: r
        for r in _contacts(programme, period)
        .annotate(**_local_clock("occurred_at", period))
        .annotate(
            # 1 January 1970 was a Thursday (ISO weekday 4).
            minute_of_day=(F("local_seconds") - F("local_day") * 86400) / 60,
            weekday=F("local_day") + 3 - ((F("local_day") + 3) / 7) * 7 + 1,
        )
        .annotate(
            outside=Case(
                When(_out_of_hours(programme), then=1), default=0, output_field=IntegerField()
            )
        )
        .values("kind")
        .annotate(
            n=Count("id", filter=held),
            minutes=Sum("duration_minutes", filter=held),
            outside_n=Sum("outside", filter=held),
            own=Count("id", filter=held & Q(initiative=Contact.Initiative.PARTICIPANT)),
            cancelled=Count("id", filter=Q(outcome=Contact.Outcome.CANCELLED)),
            no_show=Count("id", filter=Q(outcome=Contact.Outcome.NO_SHOW)),
        )
        .order_by()
    }

    def total(name: str) -> int:
        return sum(r[name] or 0 for r in by_kind.values())

    rows = [
        row(
            name,
            count(by_kind.get(value, {}).get("n")),
            hours(by_kind.get(value, {}).get("minutes")),
        )
        for value, name in Contact.Kind.choices
    ]
    n = total("n")
    rows.append(row(_("All contacts"), count(n), hours(total("minutes")), total=True))
    facts = [
        row(_("Contacts held"), count(n)),
        row(_("Hours"), hours(total("minutes"))),
        row(_("Share out of office hours"), percent(total("outside_n"), n)),
        row(_("Share at the participant's initiative"), percent(total("own"), n)),
        row(_("Cancelled"), count(total("cancelled"))),
        row(_("Did not show up"), count(total("no_show"))),
    ]
    return _result(
        "contacts",
        [
            table(_("Contacts in figures"), [_("Figure")], facts),
            table(_("Contacts held, by kind"), [_("Contacts"), _("Hours")], rows, chart=True),
        ],
        has_data=bool(n or total("cancelled") or total("no_show")),
    )


@section("peers", gettext_lazy("Peer workers"), order=60)
def peers(programme: Programme, period: Period) -> dict:
    """Peers active: at least one contact held in the period. The time budget: each match held
    in the period counts per day at the programme's hours per participant and week."""
    logged = (
        _contacts(programme, period)
        .filter(outcome=Contact.Outcome.HELD)
        .aggregate(peers=Count("peer", distinct=True), minutes=Sum("duration_minutes"))
    )
    shares = [
        Share(started_on, ended_on)
        for started_on, ended_on in Match.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=period.start),
            programme=programme,
            started_on__isnull=False,
            started_on__lte=period.end,
        ).values_list("started_on", "ended_on")
    ]
    budget = allotted_hours(shares, period, programme.hours_per_participant_week)
    minutes = logged["minutes"] or 0
    budget_minutes = int(budget * 60)
    completed = Candidate.objects.filter(
        _between("course_completed_on", period), programme=programme
    ).count()
    supervisions = Supervision.objects.filter(
        _between("held_on", period), programme=programme
    ).count()
    rows = [
        row(_("Peer workers with contacts held"), count(logged["peers"])),
        row(_("Hours logged"), hours(minutes)),
        row(_("Hours in the time budget"), hours(budget_minutes)),
        row(_("Share of the time budget used"), percent(minutes, budget_minutes)),
        row(_("Completed the peer course"), count(completed)),
        row(_("Individual supervisions"), count(supervisions)),
    ]
    return _result(
        "peers",
        [table(_("Peer workers in figures"), [_("Figure")], rows)],
        has_data=bool(logged["peers"] or budget or completed or supervisions),
    )


@section("supervision", gettext_lazy("Group supervision"), order=70)
def supervision(programme: Programme, period: Period) -> dict:
    """Held means dated in the period and not in the future (a future date is planned)."""
    last = min(period.end, timezone.localdate())
    held = GroupSupervision.objects.filter(
        programme=programme, held_on__gte=period.start, held_on__lte=last
    ).aggregate(
        sessions=Count("id", distinct=True),
        attendances=Count("attendees"),
        peers=Count("attendees", distinct=True),
    )
    sessions, attendances = held["sessions"], held["attendances"]
    average = round(attendances / sessions, 1) if sessions else None
    rows = [
        row(_("Group supervisions held"), count(sessions)),
        row(_("Attendances"), count(attendances)),
        row(_("Different peer workers attending"), count(held["peers"])),
        row(_("Average attendance per session"), {"k": "number", "v": average}),
    ]
    return _result(
        "supervision",
        [table(_("Group supervision in figures"), [_("Figure")], rows)],
        has_data=bool(sessions),
    )


@section("employment", gettext_lazy("Work and work training"), order=80)
def employment(programme: Programme, period: Period) -> dict:
    placements = Placement.objects.filter(programme=programme)
    started = dict(
        placements.filter(_between("started_on", period))
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    ended = dict(
        placements.filter(_between("ended_on", period))
        .values_list("end_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    ongoing = placements.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=period.end), started_on__lte=period.end
    ).count()
    start, end = period.bounds()
    signed = (
        AgreementVersion.objects.filter(programme=programme)
        .annotate(
            parties=Count("confirmations__party", distinct=True),
            last=Max("confirmations__confirmed_at"),
        )
        .filter(parties=len(Party.choices), last__gte=start, last__lt=end)
        .count()
    )
    meetings = Meeting.objects.filter(
        _between("held_on", period), programme=programme, status=Meeting.Status.HELD
    ).count()
    started_rows = [row(name, count(started.get(v))) for v, name in Placement.Kind.choices]
    ended_rows = [row(name, count(ended.get(v))) for v, name in Placement.EndReason.choices]
    facts = [
        row(_("Placements started"), count(sum(started.values()))),
        row(_("Placements ended"), count(sum(ended.values()))),
        row(_("Placements ongoing at the end of the period"), count(ongoing)),
        row(_("Triangle agreements signed by all three"), count(signed)),
        row(_("Follow-up meetings held at the workplace"), count(meetings)),
    ]
    return _result(
        "employment",
        [
            table(_("Work in figures"), [_("Number")], facts),
            table(_("Placements started, by kind"), [_("Placements")], started_rows),
            table(
                _("Job outcomes: placements ended, by reason"),
                [_("Placements")],
                ended_rows,
                chart=True,
            ),
        ],
        has_data=bool(started or ended or ongoing or signed or meetings),
    )
