"""Reads of questionnaires: what is due, each participant's scores over time, and the figures
other parts use (the funder report, the daily digest, the research export).

When is a questionnaire due? Each programme asks each instrument at some points
(``Schedule``, or the file's ``default_schedule``): at the start, after 3, 6 and 12 months (counted
from the start of the participant's first match) and at the end (the day her follow-up ended).
A point opens ``OPEN_DAYS`` before its date and is answered by a complete response from then on;
it is *overdue* ``GRACE_DAYS`` after its date, and dropped as missed ``MISSED_DAYS`` after it or
when the next point opens. Only the latest open point of an instrument is shown.
"""

import calendar
import datetime as dt
import functools
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import Case, DateField, Exists, Max, Min, OuterRef, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ettervern.accounts.models import Programme, Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.lib.sql import id_set
from ettervern.matching.access import (
    Need,
    current_matches,
    matches_of_followed,
    participants_for,
)
from ettervern.matching.models import Match
from ettervern.outcomes.models import (
    POINT_MONTHS,
    Answer,
    Instrument,
    Item,
    Point,
    Response,
    Schedule,
)
from ettervern.participants.models import Goal, Participant

OPEN_DAYS = 14
GRACE_DAYS = 14
MISSED_DAYS = 90


def _date(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


# Pure, and asked again and again for the same days by the due lists.
@functools.lru_cache(maxsize=8192)
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, on the last day of a shorter month (31.01 + 1 = 28/29.02)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- instruments and schedules -----------------------------------------------------------------


def current_instruments() -> dict[str, Instrument]:
    """The newest version of each instrument, by code, in a stable order."""
    latest: dict[str, Instrument] = {}
    for instrument in Instrument.objects.order_by("code", "-version"):
        latest.setdefault(instrument.code, instrument)
    return latest


def get_current_instrument(pk: int) -> Instrument | None:
    """The instrument with this id if it is the newest version of its code (answers are given in
    the newest version only)."""
    instrument = Instrument.objects.filter(pk=pk).first()
    if instrument is None:
        return None
    newest = current_instruments().get(instrument.code)
    return instrument if newest is not None and newest.pk == instrument.pk else None


def items_of(instrument: Instrument) -> list[Item]:
    return list(Item.objects.filter(instrument=instrument).order_by("position"))


def schedules_for(programme_ids, instruments: dict[str, Instrument]) -> dict[int, dict[str, list]]:
    """{programme id: {instrument code: [points]}}: the programme's own rows, else the default."""
    own: dict[int, dict[str, list]] = defaultdict(dict)
    ids = list(programme_ids)
    # Queried even for no programme (an empty IN list is not sent), so that a page runs the
    # same queries whether or not anyone has a questionnaire due.
    for row in Schedule.objects.filter(Q(programme_id__in=ids) | Q(programme_id=-1)):
        own[row.programme_id][row.instrument_code] = list(row.points)
    return {
        pid: {
            code: own.get(pid, {}).get(code, instrument.default_schedule)
            for code, instrument in instruments.items()
        }
        for pid in programme_ids
    }


def programme_schedule(programme: Programme) -> dict[str, list[str]]:
    return schedules_for([programme.pk], current_instruments())[programme.pk]


# --- what is due --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    participant_id: int
    participant_name: str
    instrument_id: int
    instrument_code: str
    instrument_name: str
    point: str
    due_on: dt.date
    overdue: bool

    @property
    def point_label(self) -> str:
        return str(Point(self.point).label)

    @property
    def text(self) -> str:
        values = {
            "name": self.instrument_name,
            "point": self.point_label.lower(),
            "date": _date(self.due_on),
        }
        if self.overdue:
            return _("%(name)s overdue (%(point)s, due %(date)s)") % values
        return _("%(name)s due (%(point)s, %(date)s)") % values


def _point_dates(anchor: dt.date, ended: dt.date | None, points: list[str]) -> list[tuple]:
    dates = []
    for point in points:
        if point == Point.END:
            if ended is not None:
                dates.append((ended, point))
        elif point in POINT_MONTHS:
            day = add_months(anchor, POINT_MONTHS[point])
            if ended is None or day <= ended:
                dates.append((day, point))
    return sorted(dates)


def _scheduled_points(instruments: dict[str, Instrument]) -> set[str]:
    """Every point any schedule of these instruments asks at."""
    points = set()
    for instrument in instruments.values():
        points.update(instrument.default_schedule)
    for row in Schedule.objects.filter(instrument_code__in=list(instruments)).values_list(
        "points", flat=True
    ):
        points.update(row)
    return points


def _instruments_and_points() -> tuple[dict[str, Instrument], set[str]]:
    instruments = current_instruments()
    return instruments, _scheduled_points(instruments)


def _may_be_due(on: dt.date, points: set[str]) -> tuple[Q, Q]:
    """Filters that every participant with something due on ``on`` passes: (one on the anchor,
    one on the end). A point's day lies between MISSED_DAYS before ``on`` and OPEN_DAYS after
    it, so the anchor lies in one window per month point of any schedule (three days wider each
    way, for the shorter months), or the follow-up ended in that span. ``due_for`` still decides
    exactly; this only spares it the participants whose points are all long past or far ahead."""
    first, last = on - dt.timedelta(days=MISSED_DAYS), on + dt.timedelta(days=OPEN_DAYS)
    slack = dt.timedelta(days=3)
    anchor = Q(pk__in=[])
    for point, months in POINT_MONTHS.items():
        if point in points:
            anchor |= Q(
                anchor__gte=add_months(first, -months) - slack,
                anchor__lte=add_months(last, -months) + slack,
            )
    end = Q(pk__in=[])
    if Point.END in points:
        day = dt.timedelta(days=1)
        end = Q(
            status=Participant.Status.ENDED,
            status_since__gte=_day_start(first - day),
            status_since__lt=_day_start(last + day + day),
        )
    return anchor, end


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _due_rows(
    participants: QuerySet[Participant],
    on: dt.date,
    *,
    ordered: bool = True,
    candidates: list[int] | None = None,
    known: tuple[dict[str, Instrument], set[str]] | None = None,
):
    """(tuples (in grace, day, name, participant id, code, point), sorted unless ``ordered`` is
    false, instruments). With ``candidates`` (ids of some of ``participants``), for those only:
    the windows are not searched again. ``known``: the instruments and their points, if read
    already."""
    instruments, points = known or _instruments_and_points()
    if not instruments:
        return [], instruments
    begun = ~Q(matches__status=Match.Status.PROPOSED)
    # Whether each has a current match and a goal not dropped is asked for these rows only (a
    # subquery per row in the due windows), not read for everyone the user follows.
    live_goal = Goal.objects.filter(participant=OuterRef("pk")).exclude(status=Goal.Status.DROPPED)
    in_window, ended_lately = _may_be_due(on, points)
    # Those whose first match began in a window, found from the matches (fewer rows than the
    # participants followed), before each one's anchor is worked out again below.
    first_in_window = (
        Match.objects.filter(started_on__isnull=False)
        .exclude(status=Match.Status.PROPOSED)
        .order_by()
        .values("participant_id")
        .annotate(anchor=Min("started_on"))
        .filter(in_window)
        .values("participant_id")
    )
    if candidates is None:
        chosen = participants.filter(Q(pk__in=first_in_window) | ended_lately)
        answering = participants
    else:
        chosen = answering = participants.filter(pk__in=id_set(candidates))
    rows = list(
        chosen.annotate(anchor=Min("matches__started_on", filter=begun))
        .filter(anchor__isnull=False, anchor__lte=on)
        .filter(in_window | ended_lately)
        .annotate(
            ended=Case(
                When(status=Participant.Status.ENDED, then=TruncDate("status_since")),
                output_field=DateField(),
            ),
            matched=Exists(current_matches().filter(participant=OuterRef("pk"))),
            with_goal=Exists(live_goal),
        )
        .values_list("pk", "name", "programme_id", "ended", "anchor", "matched", "with_goal")
    )
    # No early return without rows: the page's query count does not depend on the data.
    # Answers are read for the same participants by a subquery, not a list of ids: a
    # coordinator of a large organisation follows thousands.
    anchored = answering.filter(
        Exists(
            Match.objects.filter(participant=OuterRef("pk"), started_on__isnull=False).exclude(
                status=Match.Status.PROPOSED
            )
        )
    ).values("pk")
    schedules = schedules_for({r[2] for r in rows}, instruments)
    answered = {
        (r["participant_id"], r["instrument__code"]): r["last"]
        for r in Response.objects.filter(participant_id__in=anchored, complete=True)
        .values("participant_id", "instrument__code")
        .annotate(last=Max("answered_on"))
    }
    open_days = dt.timedelta(days=OPEN_DAYS)
    opened_by = on + open_days
    # Many participants share an anchor day: their point dates are worked out once.
    latest_open: dict[tuple, tuple | None] = {}
    found: list[tuple] = []
    for pk, name, programme_id, ended, anchor, matched, with_goal in rows:
        schedule = schedules[programme_id]
        for code, instrument in instruments.items():
            if instrument.requires_match and not matched:
                continue
            if instrument.kind == Instrument.Kind.GOALS and not with_goal:
                continue
            points = schedule.get(code, [])
            key = (anchor, ended, tuple(points))
            if key not in latest_open:
                opened = [d for d in _point_dates(anchor, ended, points) if d[0] <= opened_by]
                latest_open[key] = opened[-1] if opened else None
            point_day = latest_open[key]
            if point_day is None:
                continue
            day, point = point_day
            last = answered.get((pk, code))
            if last is not None and last >= day - open_days:
                continue
            late = (on - day).days
            if late > MISSED_DAYS:
                continue
            found.append((late <= GRACE_DAYS, day, name, pk, code, point))
    if ordered:
        found.sort()
    return found, instruments


def _as_due(row: tuple, instruments: dict[str, Instrument]) -> Due:
    in_grace, day, name, pk, code, point = row
    return Due(
        participant_id=pk,
        participant_name=name,
        instrument_id=instruments[code].pk,
        instrument_code=code,
        instrument_name=instruments[code].name,
        point=point,
        due_on=day,
        overdue=not in_grace,
    )


def due_for(participants: QuerySet[Participant], on: dt.date) -> list[Due]:
    """The open questionnaire of each instrument for these participants on ``on``, in a fixed
    number of queries. Needs a started match (the follow-up's start is the anchor); the trust
    scale needs a current match and goal progress a goal that is not dropped. Overdue first,
    then by date, name, participant and instrument."""
    found, instruments = _due_rows(participants, on)
    return [_as_due(row, instruments) for row in found]


def due_for_participant(participant: Participant, on: dt.date) -> list[Due]:
    """``due_for`` of one participant (her page, her own home, the answer form): she alone is
    decided, without searching the windows of everyone."""
    found, instruments = _due_rows(
        Participant.objects.filter(pk=participant.pk), on, candidates=[participant.pk]
    )
    return [_as_due(row, instruments) for row in found]


# Totals of ``due_first`` are counted up to this many by default ("more than ..."); the
# attention lists pass their own cap.
DUE_COUNT_CAP = 500


def _kind_days(on: dt.date, overdue: bool) -> tuple[dt.date, dt.date]:
    """The first and last day a point of this kind can fall on, seen on ``on``."""
    if overdue:
        return on - dt.timedelta(days=MISSED_DAYS), on - dt.timedelta(days=GRACE_DAYS + 1)
    return on - dt.timedelta(days=GRACE_DAYS), on + dt.timedelta(days=OPEN_DAYS)


def _anchors_between(first: dt.date, last: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The first and last anchor whose point ``months`` after falls in ``first``..``last``
    (``add_months`` never goes back as the anchor moves on, so they are one range)."""
    low = add_months(first, -months) - dt.timedelta(days=4)
    while add_months(low, months) < first:
        low += dt.timedelta(days=1)
    high = add_months(last, -months) + dt.timedelta(days=4)
    while add_months(high, months) > last:
        high -= dt.timedelta(days=1)
    return low, high


def _windows(
    participants: QuerySet[Participant],
    matches: QuerySet[Match],
    on: dt.date,
    points: set[str],
    window: int,
):
    """Per kind (overdue: True), for every point a query of the participants whose point falls
    in the kind's days, the earliest first, ``window`` of them: (query, months or None for the
    end). Candidates only: who is due is decided for them all at once afterwards. ``matches``
    are the matches of ``participants``."""
    begun = Match.objects.filter(started_on__isnull=False).exclude(status=Match.Status.PROPOSED)
    # The first match that began is the anchor's (two on one day both count: ids are merged).
    earlier = begun.filter(
        participant=OuterRef("participant"), started_on__lt=OuterRef("started_on")
    )
    first_match = (
        matches.filter(started_on__isnull=False)
        .exclude(status=Match.Status.PROPOSED)
        .exclude(Exists(earlier))
    )
    windows: dict[bool, list] = {True: [], False: []}
    for overdue in (True, False):
        first, last = _kind_days(on, overdue)
        for point, months in POINT_MONTHS.items():
            if point not in points:
                continue
            low, high = _anchors_between(first, last, months)
            rows = (
                first_match.filter(started_on__gte=low, started_on__lte=min(high, on))
                .order_by("started_on", "pk")
                .values_list("participant_id", "started_on")[:window]
            )
            windows[overdue].append((rows, months))
        if Point.END in points:
            rows = (
                participants.filter(
                    status=Participant.Status.ENDED,
                    status_since__gte=_day_start(first),
                    status_since__lt=_day_start(last + dt.timedelta(days=1)),
                )
                .order_by("status_since", "pk")
                .annotate(ended=TruncDate("status_since"))
                .values_list("pk", "ended")[:window]
            )
            windows[overdue].append((rows, None))
    return windows


def due_first(
    participants: QuerySet[Participant],
    on: dt.date,
    *,
    limit: int,
    cap: int = DUE_COUNT_CAP,
    matches: QuerySet[Match] | None = None,
    windows: bool = True,
) -> dict[bool, tuple[list[Due], int]]:
    """{overdue: (the first ``limit`` of ``due_for`` of that kind, how many there are, up to
    ``cap``)}, without deciding for everyone followed.

    For each kind and point, the ``cap`` participants whose point falls earliest in the kind's
    days are candidates (a point's day follows its anchor, the end's day the day it ended);
    ``due_for``'s rules decide for them. Where a point's query was cut off at a day, every item
    before that day was seen: if at least ``cap`` of them are due, the total is ``cap`` and the
    first ones are those, exactly. Otherwise (candidates answered or not due) every
    participant is decided, as ``due_for`` does. ``matches`` are those of ``participants`` (a
    cheaper filter for the same rows); without ``windows`` everyone is decided at once (for a
    set known to be small, it saves the window queries)."""
    known = _instruments_and_points()
    instruments, points = known
    if not windows:
        found, _instruments = _due_rows(participants, on, ordered=False, known=known)
        return {
            overdue: _first_of_kind(found, overdue, limit, cap, instruments)
            for overdue in (True, False)
        }
    window = max(cap, limit)
    if matches is None:
        matches = Match.objects.filter(participant__in=participants)
    candidates: set[int] = set()
    # Per kind, the day from which items may be unseen (None: nothing was cut off).
    unseen_from: dict[bool, dt.date | None] = {True: None, False: None}
    for overdue, queries in _windows(participants, matches, on, points, window).items():
        for query, months in queries:
            rows = list(query)
            candidates.update(pk for pk, _day in rows)
            if len(rows) == window:
                day = rows[-1][1] if months is None else add_months(rows[-1][1], months)
                seen = unseen_from[overdue]
                unseen_from[overdue] = day if seen is None else min(seen, day)
    found, _instruments = _due_rows(
        participants, on, ordered=False, candidates=sorted(candidates), known=known
    )
    result = {}
    everyone = None
    for overdue in (True, False):
        bound = unseen_from[overdue]
        if bound is not None and sum(1 for r in found if r[0] != overdue and r[1] < bound) < cap:
            # Too few due among the candidates to be sure: decide for everyone.
            if everyone is None:
                everyone, _instruments = _due_rows(participants, on, ordered=False, known=known)
            result[overdue] = _first_of_kind(everyone, overdue, limit, cap, instruments)
        else:
            seen = found if bound is None else [r for r in found if r[1] < bound]
            result[overdue] = _first_of_kind(seen, overdue, limit, cap, instruments)
    return result


def _first_of_kind(found: list[tuple], overdue: bool, limit: int, cap: int, instruments):
    """The first ``limit`` rows of the kind as ``Due`` and how many there are, up to ``cap``."""
    kind = [row for row in found if row[0] == (not overdue)]
    # Only the first ones are shown: no need to sort them all.
    first = heapq.nsmallest(limit, kind)
    return [_as_due(row, instruments) for row in first], min(len(kind), cap)


def questionnaires_due(*, user: User, on: dt.date) -> list[Due]:
    """The due and overdue questionnaires of the participants ``user`` follows on ``on``: a
    coordinator's programmes and a peer worker's current matches (``Need.FOLLOW``), overdue
    first. Used by the attention lists and the daily digest."""
    return due_for(participants_for(user, Need.FOLLOW), on)


def questionnaires_due_first(
    *, user: User, on: dt.date, limit: int, cap: int = DUE_COUNT_CAP
) -> dict[bool, tuple[list[Due], int]]:
    """The first ``limit`` of ``questionnaires_due`` of each kind (overdue: True) and how many
    there are (up to ``cap``), for the attention list. A coordinator's programme grows with the
    organisation: candidates are found by the windows. A peer worker follows only her own
    participants (no more than her places): they are decided at once."""
    return due_first(
        participants_for(user, Need.FOLLOW),
        on,
        limit=limit,
        cap=cap,
        matches=matches_of_followed(user),
        windows=bool(programme_ids_for_role(user, Role.COORDINATOR)),
    )


def open_point(participant: Participant, instrument: Instrument, on: dt.date) -> str:
    """The schedule point a response given on ``on`` answers ("" if none is open)."""
    for due in due_for_participant(participant, on):
        if due.instrument_code == instrument.code:
            return due.point
    return ""


# --- scores over time --------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    answered_on: dt.date
    total: int
    subscales: dict[str, int]
    version: int


@dataclass
class Series:
    """One instrument's complete measurements of one participant, oldest first."""

    instrument: Instrument
    measurements: list[Measurement]
    incomplete: int = 0
    subscale_names: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> Measurement | None:
        return self.measurements[0] if self.measurements else None

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    def _change(self, name: str, first: int, latest: int) -> str:
        values = {"name": name, "first": first, "latest": latest}
        if latest > first:
            return _("%(name)s rose from %(first)s to %(latest)s") % values
        if latest < first:
            return _("%(name)s fell from %(first)s to %(latest)s") % values
        return _("%(name)s stayed at %(latest)s") % values

    @property
    def summary(self) -> str:
        """The change in words: "BARC-10 rose from 31 to 44" (from the first to the latest)."""
        if not self.measurements:
            return ""
        first, latest = self.first, self.latest
        name = self.instrument.name
        if len(self.measurements) == 1:
            return _("%(name)s: %(total)s on %(date)s (one measurement so far)") % {
                "name": name,
                "total": latest.total,
                "date": _date(latest.answered_on),
            }
        text = self._change(name, first.total, latest.total)
        return _("%(change)s (%(first)s to %(latest)s)") % {
            "change": text,
            "first": _date(first.answered_on),
            "latest": _date(latest.answered_on),
        }

    @property
    def subscale_summaries(self) -> list[str]:
        if len(self.measurements) < 2:
            return []
        first, latest = self.first, self.latest
        return [
            self._change(name, first.subscales[code], latest.subscales[code])
            for code, name in self.subscale_names.items()
            if code in first.subscales and code in latest.subscales
        ]

    @property
    def cutoff_text(self) -> str:
        latest = self.latest
        if latest is None:
            return ""
        texts = []
        for cutoff in self.instrument.cutoffs:
            values = {"score": cutoff["score"]}
            if latest.total >= cutoff["score"]:
                texts.append(
                    _("The latest score is at or above the cut-off of %(score)s (the dashed line).")
                    % values
                )
            else:
                texts.append(
                    _("The latest score is below the cut-off of %(score)s (the dashed line).")
                    % values
                )
        return " ".join(texts)


def series_for(participant: Participant) -> list[Series]:
    """Every instrument this participant has answered, with its complete measurements.

    The caller has been allowed to see the scores (``Need.CURRENT``); the read is audited there."""
    instruments = current_instruments()
    responses = list(
        Response.objects.filter(participant=participant)
        .select_related("instrument")
        .order_by("answered_at", "pk")
    )
    by_code: dict[str, Series] = {}
    for code, instrument in instruments.items():
        by_code[code] = Series(
            instrument=instrument,
            measurements=[],
            subscale_names={s["code"]: s["name"] for s in instrument.subscales},
        )
    for r in responses:
        series = by_code.get(r.instrument.code)
        if series is None:
            continue
        if not r.complete:
            series.incomplete += 1
            continue
        series.measurements.append(
            Measurement(r.answered_on, r.total, dict(r.subscale_scores), r.instrument.version)
        )
    return [s for s in by_code.values() if s.measurements or s.incomplete]


def responses_of(participant: Participant, *, limit: int = 50) -> list[Response]:
    return list(
        Response.objects.filter(participant=participant)
        .select_related("instrument", "answered_by")
        .order_by("-answered_at", "-pk")[:limit]
    )


def answers_of(response: Response) -> list[Answer]:
    return list(
        Answer.objects.filter(response=response).select_related("item", "goal").order_by("pk")
    )


# --- for other parts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeChange:
    instrument_code: str
    instrument_name: str
    # "" for the total, else the subscale's code.
    subscale: str
    label: str
    n: int
    mean_first: float
    mean_latest: float
    mean_change: float


def outcome_change(*, programme: Programme, start: dt.date, end: dt.date) -> list[OutcomeChange]:
    """Change in the rating scales (not goal progress) for the funder report.

    Counted: participants of ``programme`` whose latest complete measurement up to ``end`` lies in
    ``start``..``end`` and who have an earlier complete one. For each instrument (by code, across
    versions) the total and each subscale: n, the mean of the first measurements, the mean of
    the latest, and the mean change (latest - first). Instruments with nobody counted are left
    out; the caller hides small n where the copy leaves the organisation. Not scoped to a user:
    the report checks who may see the programme.
    """
    instruments = current_instruments()
    names = {code: i.name for code, i in instruments.items()}
    subscale_names = {
        code: {s["code"]: s["name"] for s in i.subscales} for code, i in instruments.items()
    }
    rows = (
        Response.objects.filter(
            programme=programme,
            complete=True,
            answered_on__lte=end,
            instrument__kind=Instrument.Kind.SCALE,
        )
        .order_by("participant_id", "answered_at", "pk")
        .values_list(
            "participant_id", "instrument__code", "answered_on", "total", "subscale_scores"
        )
    )
    per: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for participant_id, code, day, total, subscales in rows:
        per[(participant_id, code)].append((day, total, subscales or {}))
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (_pid, code), measured in per.items():
        if len(measured) < 2 or measured[-1][0] < start:
            continue
        first, latest = measured[0], measured[-1]
        pairs[(code, "")].append((first[1], latest[1]))
        for sub in subscale_names.get(code, {}):
            if sub in first[2] and sub in latest[2]:
                pairs[(code, sub)].append((first[2][sub], latest[2][sub]))
    result = []
    for (code, sub), values in sorted(pairs.items()):
        firsts = [a for a, _b in values]
        latests = [b for _a, b in values]
        result.append(
            OutcomeChange(
                instrument_code=code,
                instrument_name=names.get(code, code),
                subscale=sub,
                label=subscale_names.get(code, {}).get(sub, "") if sub else names.get(code, code),
                n=len(values),
                mean_first=round(fmean(firsts), 2),
                mean_latest=round(fmean(latests), 2),
                mean_change=round(fmean(b - a for a, b in values), 2),
            )
        )
    return result


@dataclass(frozen=True)
class Score:
    participant_id: int
    answered_on: dt.date
    instrument_version: int
    total: int
    subscales: dict[str, int]


def scores_by_participant(*, participant_ids, instrument_code: str) -> dict[int, list[Score]]:
    """{participant id: [complete scores, oldest first]} of one instrument (all versions), for
    the research export. Not scoped to a user: the caller passes only participants whose
    research consent is current. Incomplete responses are never included."""
    found: dict[int, list[Score]] = defaultdict(list)
    rows = (
        Response.objects.filter(
            participant_id__in=list(participant_ids),
            instrument__code=instrument_code,
            complete=True,
        )
        .order_by("participant_id", "answered_at", "pk")
        .values_list(
            "participant_id", "answered_on", "instrument__version", "total", "subscale_scores"
        )
    )
    for pid, day, version, total, subscales in rows:
        found[pid].append(Score(pid, day, version, total, dict(subscales or {})))
    return dict(found)
