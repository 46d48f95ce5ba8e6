"""``due_for`` (bounded queries, no list of ids, dates worked out once per anchor) finds exactly
what the plain reference below finds (the rules as first written: every participant, every point,
in Python), on random participants, matches, goals, answers and schedules, at fixed days: no
dependence on today's date."""

import datetime as dt
import random

import pytest
from django.db.models import Max, Min, Q
from django.utils import timezone

from ettervern.matching.access import current_matches
from ettervern.matching.models import Match
from ettervern.outcomes.models import Instrument, Mode, Response, Schedule
from ettervern.outcomes.selectors import (
    GRACE_DAYS,
    MISSED_DAYS,
    OPEN_DAYS,
    _point_dates,
    current_instruments,
    due_first,
    due_for,
    due_for_participant,
    schedules_for,
)
from ettervern.participants.models import Goal, Participant


def reference(participants, on: dt.date) -> list[tuple]:
    """The rules, plainly: (participant, code, point, due day, overdue), in the list's order."""
    instruments = current_instruments()
    rows = list(
        participants.annotate(
            anchor=Min("matches__started_on", filter=~Q(matches__status=Match.Status.PROPOSED))
        )
        .filter(anchor__isnull=False, anchor__lte=on)
        .values("pk", "name", "programme_id", "status", "status_since", "anchor")
    )
    ids = [r["pk"] for r in rows]
    schedules = schedules_for({r["programme_id"] for r in rows}, instruments)
    matched = set(
        current_matches().filter(participant_id__in=ids).values_list("participant_id", flat=True)
    )
    goals = Goal.objects.filter(participant_id__in=ids).exclude(status=Goal.Status.DROPPED)
    with_goals = set(goals.values_list("participant_id", flat=True))
    answered = {
        (r["participant_id"], r["instrument__code"]): r["last"]
        for r in Response.objects.filter(participant_id__in=ids, complete=True)
        .values("participant_id", "instrument__code")
        .annotate(last=Max("answered_on"))
    }
    found = []
    for row in rows:
        ended = None
        if row["status"] == Participant.Status.ENDED:
            ended = timezone.localdate(row["status_since"])
        for code, instrument in instruments.items():
            if instrument.requires_match and row["pk"] not in matched:
                continue
            if instrument.kind == Instrument.Kind.GOALS and row["pk"] not in with_goals:
                continue
            points = schedules[row["programme_id"]].get(code, [])
            opened = [
                (day, point)
                for day, point in _point_dates(row["anchor"], ended, points)
                if day - dt.timedelta(days=OPEN_DAYS) <= on
            ]
            if not opened:
                continue
            day, point = opened[-1]
            last = answered.get((row["pk"], code))
            if last is not None and last >= day - dt.timedelta(days=OPEN_DAYS):
                continue
            if (on - day).days > MISSED_DAYS:
                continue
            overdue = (on - day).days > GRACE_DAYS
            found.append((not overdue, day, row["name"], row["pk"], code, point))
    return [
        (pk, code, point, day, not in_grace) for in_grace, day, _n, pk, code, point in sorted(found)
    ]


def _as_tuples(due) -> list[tuple]:
    return [(d.participant_id, d.instrument_code, d.point, d.due_on, d.overdue) for d in due]


ON_DAYS = [dt.date(2027, 3, 31), dt.date(2027, 2, 28), dt.date(2028, 2, 29), dt.date(2027, 7, 1)]
# Month ends and leap days make the clamped dates; a year either side of the days above.
BASE = dt.date(2026, 1, 31)
SPAN = 900
POINTS = ["intake", "m3", "m6", "m12", "end"]


def _day(rng) -> dt.date:
    # Month ends more often than by chance: they are where adding months is tricky.
    if rng.random() < 0.3:
        month = BASE.replace(day=1) + dt.timedelta(days=rng.randrange(0, SPAN))
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return nxt - dt.timedelta(days=rng.choice([1, 2, 3]))
    return BASE + dt.timedelta(days=rng.randrange(0, SPAN))


def _build(personas, seed: int, n: int = 60) -> None:
    rng = random.Random(seed)
    programmes = [personas.programme_a, personas.programme_b]
    peers = {personas.programme_a.pk: personas.other_peer, personas.programme_b.pk: personas.peer_b}
    instruments = {i.code: i for i in Instrument.objects.all()}
    for programme in programmes:
        for code in instruments:
            if rng.random() < 0.5:
                Schedule.objects.create(
                    organisation_id=programme.organisation_id,
                    programme=programme,
                    instrument_code=code,
                    points=rng.sample(POINTS + ["bogus"], rng.randrange(0, 4)),
                )
    # One programme's own schedule at least, with points that fall due (the lists differ).
    Schedule.objects.update_or_create(
        organisation_id=programmes[1].organisation_id,
        programme=programmes[1],
        instrument_code="barc10",
        defaults={"points": ["m6", "intake", "end"]},
    )
    names = ["Ada", "Bo", "Cato", "Dina", "Ada"]  # a shared name: the order needs the id too
    for i in range(n):
        programme = rng.choice(programmes)
        status = rng.choice(["matched", "paused", "ended", "waiting", "ended"])
        since = timezone.make_aware(
            dt.datetime.combine(_day(rng), dt.time(rng.choice([0, 1, 12, 23]), 30))
        )
        p = Participant.objects.create(
            organisation_id=programme.organisation_id,
            programme=programme,
            name=f"{rng.choice(names)} {i % 3}",
            birth_year=1980,
            status=status,
            status_since=since,
        )
        common = {"organisation_id": programme.organisation_id, "programme": programme}
        peer = peers[programme.pk]
        for _ in range(rng.randrange(0, 3)):
            start = _day(rng) if rng.random() < 0.9 else None
            kind = rng.choice(["ended", "proposed"])
            end = (
                start + dt.timedelta(days=rng.randrange(0, 200))
                if start and kind == "ended"
                else None
            )
            Match.objects.create(
                participant=p, peer=peer, status=kind, started_on=start, ended_on=end, **common
            )
        if status == "ended" and rng.random() < 0.7:
            # The follow-up that ended: its match began some months before (the end point).
            day = timezone.localdate(since)
            Match.objects.create(
                participant=p,
                peer=peer,
                status="ended",
                started_on=day - dt.timedelta(days=rng.randrange(0, 500)),
                ended_on=day,
                **common,
            )
        if status in ("matched", "paused"):
            Match.objects.create(
                participant=p,
                peer=peer,
                status="active" if status == "matched" else "paused",
                started_on=_day(rng),
                **common,
            )
        for _ in range(rng.randrange(0, 3)):
            Goal.objects.create(
                participant=p,
                life_area="housing",
                description="x",
                status=rng.choice(["active", "reached", "dropped"]),
                **common,
            )
        for _ in range(rng.randrange(0, 4)):
            instrument = rng.choice(list(instruments.values()))
            complete = rng.random() < 0.8
            day = _day(rng)
            Response.objects.create(
                participant=p,
                instrument=instrument,
                mode=Mode.PEER_PHONE,
                answered_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
                answered_on=day,
                complete=complete,
                total=10 if complete else None,
                **common,
            )


def _first_of_reference(expected: list[tuple], limit: int, cap: int) -> dict:
    """What ``due_first`` must give: per kind the first ``limit`` and the total up to ``cap``."""
    kinds = {overdue: [row for row in expected if row[4] == overdue] for overdue in (True, False)}
    return {overdue: (rows[:limit], min(len(rows), cap)) for overdue, rows in kinds.items()}


def _check_first(participants, on: dt.date, expected: list[tuple]) -> None:
    """Through the windows (small caps cut them off, some with too few due: both ways of
    finishing) and deciding for everyone at once."""
    for limit, cap in ((1, 2), (3, 5), (3, 500), (8, 500), (500, 10_000)):
        for windows in (True, False):
            got = due_first(participants, on, limit=limit, cap=cap, windows=windows)
            assert {k: (_as_tuples(rows), total) for k, (rows, total) in got.items()} == (
                _first_of_reference(expected, limit, cap)
            ), (on, limit, cap, windows)


def _situations(participants, on: dt.date, expected: list[tuple]) -> set[str]:
    """Which of the tricky cases the expected list at ``on`` shows (to check the random data
    reaches them all)."""
    seen = set()
    instruments = current_instruments()
    programme_of = dict(participants.values_list("pk", "programme_id"))
    own = set(Schedule.objects.values_list("programme_id", "instrument_code"))
    for pk, code, point, _day, overdue in expected:
        seen.add("overdue" if overdue else "due")
        if point == "end":
            seen.add("end")
        if (programme_of[pk], code) in own:
            seen.add("own schedule")
        if instruments[code].requires_match:
            seen.add("needs a match")
        if instruments[code].kind == Instrument.Kind.GOALS:
            seen.add("needs a goal")
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_due_for_finds_exactly_what_the_reference_finds(personas, seed):
    _build(personas, seed)
    everyone = Participant.objects.all()
    found = 0
    seen = set()
    for on in ON_DAYS + [BASE + dt.timedelta(days=d) for d in range(0, SPAN, 13)]:
        expected = reference(everyone, on)
        assert _as_tuples(due_for(everyone, on)) == expected, on
        for participant in everyone.order_by("pk")[:12]:
            own = [row for row in expected if row[0] == participant.pk]
            assert _as_tuples(due_for_participant(participant, on)) == own, (on, participant)
        _check_first(everyone, on, expected)
        seen |= _situations(everyone, on, expected)
        found += len(expected)
    assert found > 50  # the random data makes something due
    assert seen == {"overdue", "due", "end", "own schedule", "needs a match", "needs a goal"}


def test_due_first_at_every_day_of_a_year(personas):
    """Every day of a year (the windows' edges, month ends, a later point opening while the
    earlier one is still due): the first rows and capped totals are the reference's."""
    _build(personas, 7, n=40)
    everyone = Participant.objects.all()
    day = dt.date(2026, 10, 1)
    while day < dt.date(2027, 10, 1):
        expected = reference(everyone, day)
        for limit, cap in ((2, 3), (4, 500)):
            got = due_first(everyone, day, limit=limit, cap=cap)
            assert {k: (_as_tuples(rows), total) for k, (rows, total) in got.items()} == (
                _first_of_reference(expected, limit, cap)
            ), (day, limit, cap)
        day += dt.timedelta(days=3)


def test_the_rules_the_reference_holds(personas):
    """Hand-made cases the comparison relies on, so that a rule dropped from both would show:
    a later point that opened replaces the earlier one, an answer since the point opened
    removes it, the end point after the follow-up ended, the trust scale needs a current match,
    goal progress a goal that is not dropped, and a programme's own schedule applies."""
    programme = personas.programme_a
    common = {"organisation_id": programme.organisation_id, "programme": programme}
    on = dt.date(2027, 3, 31)

    def person(name, anchor, *, status="matched", since=None, goal=None):
        p = Participant.objects.create(
            name=name,
            birth_year=1980,
            status=status,
            status_since=timezone.make_aware(dt.datetime.combine(since or anchor, dt.time(12))),
            **common,
        )
        current = "active" if status == "matched" else "ended"
        Match.objects.create(
            participant=p,
            peer=personas.other_peer,
            status=current,
            started_on=anchor,
            ended_on=None if current == "active" else since,
            **common,
        )
        if goal:
            Goal.objects.create(
                participant=p, life_area="housing", description="x", status=goal, **common
            )
        return p

    # m3 on 15.03 (overdue since 29.03); intake (15.12) is replaced by it.
    a = person("A", dt.date(2026, 12, 15), goal="active")
    # m3 on 10.04 opens on 27.03: it replaces intake (10.01, still in its 90 days).
    b = person("B", dt.date(2027, 1, 10), goal="dropped")
    # Ended on 20.03: the end point, due; no current match (no trust scale).
    c = person("C", dt.date(2026, 9, 1), status="ended", since=dt.date(2027, 3, 20))
    # As A, but answered BARC-10 on 02.03 (the m3 point opened on 01.03).
    d = person("D", dt.date(2026, 12, 15))
    Response.objects.create(
        participant=d,
        instrument=Instrument.objects.get(code="barc10"),
        mode=Mode.PEER_PHONE,
        answered_at=timezone.make_aware(dt.datetime(2027, 3, 2, 12)),
        answered_on=dt.date(2027, 3, 2),
        complete=True,
        total=10,
        **common,
    )
    everyone = Participant.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk])
    expected = reference(everyone, on)
    codes = set(current_instruments())
    by = {(pk, code): (point, overdue) for pk, code, point, _d, overdue in expected}
    assert by[(a.pk, "barc10")] == ("m3", True)
    assert (a.pk, "goals") in by and (b.pk, "goals") not in by
    assert by[(b.pk, "barc10")] == ("m3", False)
    assert by[(c.pk, "barc10")] == ("end", False)
    assert (c.pk, "trust") not in by and (a.pk, "trust") in by
    assert (d.pk, "barc10") not in by and (d.pk, "trust") in by
    assert {code for _pk, code in by} <= codes
    _check_first(everyone, on, expected)
    # A programme that asks BARC-10 only at the start: nothing of it is due at m3 any more
    # (intake is replaced by nothing later; A's intake is 106 days old, missed).
    Schedule.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        instrument_code="barc10",
        points=["intake"],
    )
    expected = reference(everyone, on)
    assert not [row for row in expected if row[1] == "barc10" and row[0] in (a.pk, d.pk)]
    assert [row[2] for row in expected if row[1] == "barc10" and row[0] == b.pk] == ["intake"]
    _check_first(everyone, on, expected)


def test_a_scoped_queryset_gives_the_same_as_the_reference(personas):
    _build(personas, 5)
    on = dt.date(2027, 3, 31)
    one_programme = Participant.objects.filter(programme=personas.programme_a)
    assert _as_tuples(due_for(one_programme, on)) == reference(one_programme, on)
    assert {d.participant_id for d in due_for(one_programme, on)} <= set(
        one_programme.values_list("pk", flat=True)
    )
