import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from ettervern.accounts.models import Role
from ettervern.audit.models import AuditEvent
from ettervern.followup import selectors as budget_selectors
from ettervern.peers import selectors, services
from ettervern.peers.models import PeerWorker
from ettervern.peers.tests.conftest import oslo

TODAY = dt.date(2026, 11, 18)  # a Wednesday


@pytest.fixture
def started(personas):
    personas.match.started_on = dt.date(2026, 10, 1)
    personas.match.save()
    return personas.match


def test_time_budget_shows_logged_contacts(personas, started, log_contact):
    log_contact(oslo(2026, 11, 16, 10), 90)  # Monday daytime
    log_contact(oslo(2026, 11, 17, 20), 30)  # Tuesday evening
    log_contact(oslo(2026, 11, 18, 10), 60, "cancelled")
    log_contact(oslo(2026, 11, 2, 10), 120)  # earlier this month
    log_contact(oslo(2026, 10, 31, 23, 30), 60)  # last month, Saturday night
    tb = budget_selectors.time_budget(personas.peer, TODAY)
    week, month, last_month = tb.weeks[0], tb.months[0], tb.months[1]
    assert (week.allotted_hours, week.logged_hours) == (Decimal("3.75"), Decimal("2.00"))
    assert week.out_of_hours_percent == 25
    assert week.cancelled == 1
    assert month.allotted_hours == Decimal("16.07")  # 30 days of 3.75/7
    assert month.logged_hours == Decimal("4.00")
    assert last_month.logged_hours == Decimal("1.00")
    assert last_month.out_of_hours_percent == 100
    assert len(tb.weeks) == 6 and len(tb.months) == 3


def test_contacts_of_other_peers_are_not_counted(personas, started, log_contact):
    log_contact(oslo(2026, 11, 16, 10), 90, match=personas.match_b)
    assert budget_selectors.time_budget(personas.peer, TODAY).weeks[0].logged_minutes == 0


def test_peer_far_over_budget_for_weeks_is_flagged(personas, started, log_contact):
    for monday in (dt.date(2026, 10, 19) + dt.timedelta(weeks=n) for n in range(4)):
        log_contact(oslo(monday.year, monday.month, monday.day, 10), 8 * 60)
    assert budget_selectors.time_budget(personas.peer, TODAY).balance == "over"
    rows = budget_selectors.peer_overview(personas.coordinator, today=TODAY, balance="over")
    assert [r.peer for r in rows] == [personas.peer]


def test_overview_sorts_filters_and_stays_in_the_programme(personas, started):
    rows = budget_selectors.peer_overview(personas.coordinator, today=TODAY, sort="-capacity")
    assert [r.peer.user.name for r in rows] == ["Per Likeperson", "Olga Likeperson"]
    assert rows[0].participants == ["Dag Deltaker"]
    assert rows[0].capacity_percent == 50
    rows = budget_selectors.peer_overview(personas.coordinator, today=TODAY, query="olga")
    assert [r.peer for r in rows] == [personas.other_peer]
    assert budget_selectors.peer_overview(personas.peer_user, today=TODAY) == []


def admitted_long_ago() -> None:
    # Relative to the test's fixed day, never the clock.
    admitted = dt.datetime.combine(TODAY - dt.timedelta(days=120), dt.time(12), tzinfo=dt.UTC)
    PeerWorker.objects.update(created_at=admitted)


def test_group_supervision_warning_clears_when_one_is_planned(personas):
    admitted_long_ago()
    status = selectors.group_supervision_status(personas.coordinator, TODAY)[0]
    assert status.missing_this_month
    assert {p.pk for p in status.absent} == {personas.peer.pk, personas.other_peer.pk}
    services.group_supervision_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        held_on=TODAY + dt.timedelta(days=9),
        theme="Grenser",
    )
    assert not selectors.group_supervision_status(personas.coordinator, TODAY)[0].missing_this_month


def test_absence_counts_attendance_in_the_last_two_months(personas):
    admitted_long_ago()
    today = timezone.localdate()
    session = services.group_supervision_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        held_on=today - dt.timedelta(days=30),
        theme="Egen bedring",
    )
    services.group_supervision_set_attendance(
        actor=personas.coordinator, session=session, peers=[personas.peer]
    )
    status = selectors.group_supervision_status(personas.coordinator, today)[0]
    assert [p.pk for p in status.absent] == [personas.other_peer.pk]
    assert selectors.group_supervision_status(personas.coordinator_b, today)[0].absent == [
        personas.peer_b
    ]


def test_group_supervision_counts_from_admission_not_from_the_course(personas):
    # Both completed the course long ago; Olga was admitted to the resource base today.
    today = timezone.localdate()
    PeerWorker.objects.filter(pk=personas.peer.pk).update(
        created_at=timezone.now() - dt.timedelta(days=120)
    )
    status = selectors.group_supervision_status(personas.coordinator, today)[0]
    assert [p.pk for p in status.absent] == [personas.peer.pk]


def test_checkin_is_due_after_the_programme_interval(personas):
    peer = personas.peer
    assert selectors.checkin_due(peer, peer.created_at + dt.timedelta(days=22))
    assert not selectors.checkin_due(peer, peer.created_at + dt.timedelta(days=5))
    services.checkin_submit(
        actor=personas.peer_user, peer=peer, workload="right", boundaries=3, own_recovery=3
    )
    assert not selectors.checkin_due(peer)


def test_supervision_notes_only_for_the_coordinator_who_held_it_and_the_peer(
    personas, second_coordinator
):
    services.supervision_create(
        actor=personas.coordinator,
        peer=personas.peer,
        held_on=timezone.localdate(),
        topics=["boundaries"],
        notes="Notat",
    )
    assert selectors.supervisions_for(personas.coordinator, personas.peer)[0].show_notes
    assert selectors.supervisions_for(personas.peer_user, personas.peer)[0].show_notes
    assert not selectors.supervisions_for(second_coordinator, personas.peer)[0].show_notes
    reads = AuditEvent.objects.filter(data__event="supervisions_read")
    assert reads.count() == 3
    assert "Notat" not in str(list(reads.values_list("data", "summary")))


def test_checkins_only_for_the_peer_and_their_coordinators(personas):
    services.checkin_submit(
        actor=personas.peer_user, peer=personas.peer, workload="right", boundaries=3, own_recovery=3
    )
    assert len(selectors.checkins_for(personas.peer_user, personas.peer)) == 1
    assert len(selectors.checkins_for(personas.coordinator, personas.peer)) == 1
    for user in (personas.other_peer_user, personas.coordinator_b, personas.admin):
        with pytest.raises(Http404):
            selectors.checkins_for(user, personas.peer)
    assert AuditEvent.objects.filter(data__event="checkins_read").count() == 2


@pytest.fixture
def first_of_november(db, request):
    """The people and matches are made on 1 November 2026; the month is read on TODAY."""
    with time_machine.travel(oslo(2026, 11, 1, 9), tick=False):
        yield request.getfixturevalue("personas")


def test_overview_by_hours_per_participant_this_month(first_of_november, log_contact):
    """Hours held this month per participant followed now, most first (none followed last),
    ties by name; pages follow one another; other months, other outcomes and other
    programmes do not count."""
    from conftest import make_match, make_participant, make_peer, make_user, member

    personas = first_of_november

    def peer_with(name: str, participants: int):
        user = make_user(f"{name.lower()}@a.test", f"{name} Likeperson")
        member(user, personas.programme_a, Role.PEER_WORKER)
        peer = make_peer(user, personas.programme_a)
        matches = [
            make_match(make_participant(personas.programme_a, f"{name} {n}"), peer)
            for n in range(participants)
        ]
        return peer, matches

    anna, (a1, a2) = peer_with("Anna", 2)
    log_contact(oslo(2026, 11, 2, 10), 120, match=a1)
    log_contact(oslo(2026, 11, 16, 10), 120, match=a2)  # 240 minutes for two: 2 hours each
    bodil, (b1,) = peer_with("Bodil", 1)
    log_contact(oslo(2026, 11, 3, 10), 120, match=b1)  # 2 hours for one: a tie with Anna
    log_contact(oslo(2026, 11, 4, 10), 300, "cancelled", match=b1)
    log_contact(oslo(2026, 10, 30, 10), 600, match=b1)  # last month
    cecilie, (c1,) = peer_with("Cecilie", 1)
    log_contact(oslo(2026, 11, 17, 20), 300, match=c1)  # 5 hours for one
    log_contact(oslo(2026, 11, 17, 10), 600, match=personas.match_b)  # programme B
    # Per follows Dag (0 hours); Olga follows no one.
    most_first = ["Cecilie", "Anna", "Bodil", "Per", "Olga"]

    def names(sort, **kw):
        rows = budget_selectors.peer_overview(personas.coordinator, today=TODAY, sort=sort, **kw)
        return [r.peer.user.name.split()[0] for r in rows]

    assert names("-hours") == most_first
    assert names("hours") == ["Olga", "Per", "Anna", "Bodil", "Cecilie"]
    assert names("-hours", limit=2) == most_first[:2]
    assert names("-hours", query="li") == ["Cecilie", "Anna", "Bodil", "Per", "Olga"]
    pages, number = [], 1
    while True:
        page = budget_selectors.peer_overview_page(
            personas.coordinator, page=number, per_page=2, today=TODAY, sort="-hours"
        )
        pages += [r.peer.user.name.split()[0] for r in page.rows]
        if not page.has_next:
            break
        number += 1
    assert (pages, number) == (most_first, 3)
