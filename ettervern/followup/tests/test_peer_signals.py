"""Signals about peer workers: each kind shows on the day its cause appears, can be marked
handled (who, when, audited) and shows again when a new cause comes."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone, translation

from conftest import make_match, make_participant, make_peer, make_user, member
from ettervern.accounts.models import Membership, Role, User
from ettervern.audit.models import AuditEvent
from ettervern.followup import peer_signals as peer_signals_module
from ettervern.followup import selectors
from ettervern.followup.models import SignalHandled
from ettervern.followup.peer_signals import (
    SILENCE_DAYS,
    Kind,
    names_joined,
    peer_signals,
    signal_badges,
    signal_mark_handled,
)
from ettervern.followup.services import contact_log, last_logged_refresh
from ettervern.matching import pauses
from ettervern.orgadmin.services import membership_set_role, user_deactivate
from ettervern.peers.models import CheckIn, PeerWorker
from ettervern.peers.services import activity_noted, checkin_submit, last_checkin_refresh
from ettervern.web.demo import ORGS

# Thursday 4 March 2027, 13:00 in Oslo.
THURSDAY = dt.datetime(2027, 3, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def at_thursday(db, request):
    with time_machine.travel(THURSDAY, tick=False) as traveller:
        personas = request.getfixturevalue("personas")
        personas.traveller = traveller
        yield personas


def kinds(user, **kw) -> dict[str, list]:
    return {g.kind: g.items for g in peer_signals(user, **kw)}


def log_hours(personas, hours: int, *, day_offset: int = 0) -> None:
    """Held contacts this week (Monday..today), four hours each at most."""
    now = timezone.now()
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    left, n = hours * 60, 0
    while left > 0:
        minutes = min(240, left)
        at = timezone.make_aware(
            dt.datetime.combine(monday + dt.timedelta(days=n % 4), dt.time(8 + 4 * (n // 4) % 12))
        )
        at = min(at, now - dt.timedelta(minutes=1))
        contact_log(
            actor=personas.peer_user,
            match=personas.match,
            kind="conversation",
            occurred_at=at,
            duration_minutes=minutes,
        )
        left -= minutes
        n += 1


def test_a_week_far_over_budget_shows_the_same_week(at_thursday):
    personas = at_thursday
    personas.programme_a.hours_per_participant_week = 6.4
    personas.programme_a.save()
    log_hours(personas, 9)  # 9 h against 6.4 h: not far over (150 % is 9.6 h)
    assert Kind.OVER_BUDGET not in kinds(personas.coordinator)
    log_hours(personas, 17)  # 26 h in all
    [signal] = kinds(personas.coordinator)[Kind.OVER_BUDGET]
    assert signal.peer_id == personas.peer.pk
    assert "26 timer" in signal.text and "mot 6,4 i" in signal.text
    assert signal_badges(personas.coordinator, [personas.peer.pk, personas.other_peer.pk]) == {
        personas.peer.pk: ["mange timer denne uka"]
    }
    # Not for the other organisation, not for a peer worker.
    assert Kind.OVER_BUDGET not in kinds(personas.coordinator_b)
    assert peer_signals(personas.peer_user) == []

    assert signal_mark_handled(
        actor=personas.coordinator, peer=personas.peer, kind=Kind.OVER_BUDGET, cause=signal.cause
    )
    assert Kind.OVER_BUDGET not in kinds(personas.coordinator)
    mark = SignalHandled.objects.get()
    assert mark.handled_by == personas.coordinator and mark.handled_at == timezone.now()
    assert AuditEvent.objects.filter(data__event="signal_handled").count() == 1
    # A new week far over budget shows again.
    personas.traveller.move_to(THURSDAY + dt.timedelta(days=7))
    log_hours(personas, 26)
    assert Kind.OVER_BUDGET in kinds(personas.coordinator)


def test_a_hard_checkin_shows_until_handled_and_a_new_one_shows_again(at_thursday):
    personas = at_thursday
    checkin_submit(
        actor=personas.peer_user, peer=personas.peer, workload="right", boundaries=3, own_recovery=2
    )
    assert Kind.CHECKIN not in kinds(personas.coordinator)
    hard = checkin_submit(
        actor=personas.peer_user,
        peer=personas.peer,
        workload=CheckIn.Workload.TOO_MUCH,
        boundaries=CheckIn.Scale.HARD,
        own_recovery=CheckIn.Scale.HARD,
    )
    [signal] = kinds(personas.coordinator)[Kind.CHECKIN]
    assert signal.cause == str(hard.pk)
    assert "arbeidsmengden er for stor" in signal.text
    signal_mark_handled(
        actor=personas.coordinator, peer=personas.peer, kind=Kind.CHECKIN, cause=signal.cause
    )
    assert Kind.CHECKIN not in kinds(personas.coordinator)
    personas.traveller.shift(dt.timedelta(days=1))
    checkin_submit(
        actor=personas.peer_user,
        peer=personas.peer,
        workload="right",
        boundaries=3,
        own_recovery=3,
        text="Kan vi snakke om en deltaker?",
    )
    assert Kind.CHECKIN in kinds(personas.coordinator)


def test_a_conversation_request_is_handled_by_resolving_it(at_thursday):
    personas = at_thursday
    checkin_submit(
        actor=personas.peer_user,
        peer=personas.peer,
        workload="right",
        boundaries=3,
        own_recovery=3,
        support_wanted=True,
    )
    [signal] = kinds(personas.coordinator)[Kind.CONVERSATION]
    signal_mark_handled(
        actor=personas.coordinator, peer=personas.peer, kind=Kind.CONVERSATION, cause=signal.cause
    )
    assert Kind.CONVERSATION not in kinds(personas.coordinator)
    assert personas.peer.conversation_requests.get().resolved_by == personas.coordinator


def test_pausing_a_peer_flags_her_participants_at_once(at_thursday):
    personas = at_thursday
    siv = make_participant(personas.programme_a, "Siv Deltaker")
    make_match(siv, personas.peer)
    pauses.pause_start(
        actor=personas.coordinator,
        peer=personas.peer,
        reason="holiday",
        starts_on=timezone.localdate(),
        expected_return_on=timezone.localdate() + dt.timedelta(days=14),
    )
    [signal] = kinds(personas.coordinator)[Kind.UNCOVERED]
    assert (
        signal.text
        == "Dag Deltaker og Siv Deltaker trenger en annen likeperson mens Per Likeperson har pause"
    )
    pause = pauses.open_pause(personas.peer)
    pauses.pause_covers_set(
        actor=personas.coordinator, pause=pause, covers={siv.pk: personas.other_peer}
    )
    [signal] = kinds(personas.coordinator)[Kind.UNCOVERED]
    assert signal.text.startswith("Dag Deltaker trenger")
    # The return date comes: a reminder.
    personas.traveller.move_to(THURSDAY + dt.timedelta(days=14))
    [signal] = kinds(personas.coordinator)[Kind.RETURN_DUE]
    assert "18.03.2027" in signal.text


@pytest.mark.parametrize("how", ["deactivated", "another role"])
def test_a_peer_without_a_login_to_follow_with_leaves_her_participants_uncovered(at_thursday, how):
    """Away is not only a pause: the login closed, or her role in the programme changed."""
    personas = at_thursday
    assert Kind.UNCOVERED not in kinds(personas.coordinator)
    if how == "deactivated":
        user_deactivate(actor=personas.admin, organisation=personas.org_a, user=personas.peer_user)
        personas.peer_user.refresh_from_db()
        assert not personas.peer_user.is_active
    else:
        membership = Membership.objects.get(user=personas.peer_user, programme=personas.programme_a)
        membership_set_role(actor=personas.admin, membership=membership, role=Role.REFERRER)
    [signal] = kinds(personas.coordinator)[Kind.UNCOVERED]
    assert signal.peer_id == personas.peer.pk and "Dag Deltaker" in signal.text


def test_long_silence_from_a_peer(at_thursday):
    personas = at_thursday
    assert Kind.SILENCE in kinds(personas.coordinator)  # matched 30 days ago, nothing since
    [signal] = kinds(personas.coordinator)[Kind.SILENCE]
    assert signal.cause == "none"
    signal_mark_handled(
        actor=personas.coordinator, peer=personas.peer, kind=Kind.SILENCE, cause=signal.cause
    )
    assert Kind.SILENCE not in kinds(personas.coordinator)


def test_her_own_contact_ends_a_silence_and_a_new_one_shows_again(at_thursday):
    personas = at_thursday
    # A contact the coordinator logs for her is not a sign from her.
    contact_log(actor=personas.coordinator, match=personas.match, kind="phone")
    assert Kind.SILENCE in kinds(personas.coordinator)
    contact_log(actor=personas.peer_user, match=personas.match, kind="phone")
    assert Kind.SILENCE not in kinds(personas.coordinator)
    personas.traveller.shift(dt.timedelta(days=SILENCE_DAYS - 1))
    assert Kind.SILENCE not in kinds(personas.coordinator)
    personas.traveller.shift(dt.timedelta(days=2))
    [signal] = kinds(personas.coordinator)[Kind.SILENCE]
    assert signal.cause not in ("", "none")  # the time of her last contact


def test_a_checkin_ends_a_silence(at_thursday):
    personas = at_thursday
    checkin_submit(
        actor=personas.peer_user, peer=personas.peer, workload="right", boundaries=3, own_recovery=3
    )
    assert Kind.SILENCE not in kinds(personas.coordinator)
    personas.traveller.shift(dt.timedelta(days=SILENCE_DAYS + 1))
    assert Kind.SILENCE in kinds(personas.coordinator)


def test_the_times_kept_on_the_peer_match_the_contacts_and_checkins(at_thursday):
    """The services keep the times the silence is read from; derived again from the rows (as
    for bulk data), they are the same."""
    personas = at_thursday
    contact_log(actor=personas.peer_user, match=personas.match, kind="phone")
    checkin_submit(
        actor=personas.peer_user, peer=personas.peer, workload="right", boundaries=3, own_recovery=3
    )
    personas.traveller.shift(dt.timedelta(hours=1))
    contact_log(actor=personas.peer_user, match=personas.match, kind="sms")
    peer = PeerWorker.objects.get(pk=personas.peer.pk)
    assert peer.last_logged_at == timezone.now()
    assert peer.last_checkin_at == timezone.now() - dt.timedelta(hours=1)
    # An earlier time never moves them back.
    activity_noted(PeerWorker.objects.filter(pk=peer.pk), last_logged_at=THURSDAY)
    assert PeerWorker.objects.get(pk=peer.pk).last_logged_at == timezone.now()
    PeerWorker.objects.filter(pk=peer.pk).update(last_logged_at=None, last_checkin_at=None)
    last_logged_refresh(PeerWorker.objects.filter(pk=peer.pk))
    last_checkin_refresh(PeerWorker.objects.filter(pk=peer.pk))
    again = PeerWorker.objects.get(pk=peer.pk)
    assert (again.last_logged_at, again.last_checkin_at) == (
        peer.last_logged_at,
        peer.last_checkin_at,
    )


def test_marking_handled_is_for_the_coordinator_only(at_thursday):
    personas = at_thursday
    with pytest.raises(ValidationError):
        signal_mark_handled(
            actor=personas.coordinator_b, peer=personas.peer, kind=Kind.SILENCE, cause="none"
        )
    with pytest.raises(ValidationError):
        signal_mark_handled(
            actor=personas.coordinator, peer=personas.peer, kind="nonsense", cause="x"
        )


def test_names_are_joined_in_norwegian():
    assert names_joined(["Pål"]) == "Pål"


def test_the_demo_coordinator_sees_a_pause_asked_for(db):
    call_command("seed_demo", "--quiet-logins")
    user = User.objects.get(email=f"koordinator@{ORGS[0].email_domain}")
    assert Kind.PAUSE_REQUESTED in kinds(user)


def test_many_signals_of_a_kind_are_counted_up_to_a_cap(at_thursday, monkeypatch):
    """The first signals come in order and a count stops at the cap ("at least"), so the panel
    does bounded work however many peers there are; below the cap the count is exact."""
    personas = at_thursday
    monkeypatch.setattr(selectors, "ATTENTION_COUNT_CAP", 3)
    monkeypatch.setattr(peer_signals_module, "ATTENTION_COUNT_CAP", 3)
    peers = [personas.peer]
    for n in range(3):
        user = make_user(f"hard{n}@example.org", f"Hard {n}")
        member(user, personas.programme_a, Role.PEER_WORKER)
        peers.append(make_peer(user, personas.programme_a))
    for n, peer in enumerate(peers):
        personas.traveller.shift(dt.timedelta(minutes=1))
        checkin_submit(
            actor=peer.user, peer=peer, workload="too_much", boundaries=3, own_recovery=3
        )
        [group] = [g for g in peer_signals(personas.coordinator, limit=1) if g.kind == Kind.CHECKIN]
        assert [s.peer_id for s in group.items] == [peer.pk]  # the newest first
        assert (group.count, group.capped) == (min(n + 1, 3), n + 1 >= 3)
    with translation.override("nb"):
        html = render_to_string(
            "followup/_peer_signals.html", {"panel": {"groups": [group], "where": "home"}}
        )
    assert "3+" in html and "minst 2 til" in html
