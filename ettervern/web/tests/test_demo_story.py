"""The demo data is relative to today but must tell a plausible story on any date.

The clock is fixed (time-machine) at instants that used to matter: the day the demo's waiting
list stopped beating one-by-one matching, 00:30 on a Monday in Oslo (still Sunday in UTC, at a
month's end) and the night daylight saving starts. On each, once seeded:

- nothing that records what happened is in the future: every date and time field of every
  Ettervern model is at most now/today, except the fields that are plans or deadlines by nature
  (``FORWARD_LOOKING``) and planned contacts;
- each participant's status history runs forward in time and ends in the current status;
- matches fit the participant's history, start no later than today and end after they start;
- waiting is plausible: while a peer in the resource base has a free slot, nobody has waited
  longer than twice the programme's waiting alert (the alert shows, a year's wait does not);
- the waiting list still shows a plan that matches more people than one-by-one matching;
- seeding again adds nothing.
"""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from ettervern.audit.models import AuditEvent
from ettervern.followup.models import Contact
from ettervern.matching.engine import batch_plan_for
from ettervern.matching.models import Match
from ettervern.participants.models import Participant, StatusChange
from ettervern.peers.models import PeerWorker
from ettervern.peers.selectors import peers_with_load
from ettervern.web.demo import ORGS

INSTANTS = {
    "2026-12-01": dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
    "oslo-monday-0030": dt.datetime(2027, 2, 28, 23, 30, tzinfo=dt.UTC),
    "dst-starts": dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC),
}
# Dates that name something ahead: a release, a course or supervision planned, a review due, the
# end of an agreement or of stepped-up follow-up.
FORWARD_LOOKING = {
    "participants.Participant.transition_date",
    "peers.Course.ends_on",
    "peers.CourseSession.held_on",
    "peers.GroupSupervision.held_on",
    "followup.Agreement.review_on",
    "employment.IntentAgreement.valid_to",
    "employment.Placement.intensified_until",
    "employment.RelapseEvent.intensified_until",
    # Social-arena events are planned ahead (sign-ups and attendance are not).
    "arenas.Event.starts_at",
    "arenas.Event.ends_at",
    "arenas.Event.series_day",
    "arenas.Series.starts_on",
    "arenas.Series.ends_on",
    # A pause asked for from next week, and its expected return.
    "matching.PeerPause.starts_on",
    "matching.PeerPause.expected_return_on",
    "research.ResearchProject.ends_on",
}
WAITING_FACTOR = 2


def _ettervern_models():
    return [m for m in apps.get_models() if m.__module__.startswith("ettervern.")]


def _in_the_future(now: dt.datetime) -> list[str]:
    today = timezone.localdate(now)
    found = []
    for model in _ettervern_models():
        for f in model._meta.concrete_fields:
            name = f"{model._meta.app_label}.{model.__name__}.{f.name}"
            if name in FORWARD_LOOKING:
                continue
            if isinstance(f, models.DateTimeField):
                rows = model.objects.filter(**{f"{f.name}__gt": now})
            elif isinstance(f, models.DateField):
                rows = model.objects.filter(**{f"{f.name}__gt": today})
            else:
                continue
            if model is Contact:
                rows = rows.exclude(outcome="planned")
            if n := rows.count():
                found.append(f"{name}: {n}")
    return found


def nothing_recorded_lies_in_the_future(seeded_at):
    assert _in_the_future(seeded_at) == []
    assert not AuditEvent.objects.filter(at__gt=seeded_at).exists()
    assert not Contact.objects.filter(occurred_at__gt=seeded_at, outcome="held").exists()


def status_histories_run_forward_and_end_in_the_current_status(seeded_at):
    for participant in Participant.objects.all():
        steps = list(StatusChange.objects.filter(participant=participant).order_by("at", "pk"))
        assert steps, participant
        assert [s.from_status for s in steps[1:]] == [s.to_status for s in steps[:-1]]
        assert all(a.at < b.at for a, b in zip(steps, steps[1:], strict=False)), participant
        assert steps[-1].to_status == participant.status, participant
        assert steps[-1].at == participant.status_since <= seeded_at, participant


def matches_fit_the_participants_history(seeded_at):
    """A match starts after the referral, by the time of the current status (the day the
    participant was matched, for a current match) and no later than today; it ends after."""
    today = timezone.localdate(seeded_at)
    for match in Match.objects.select_related("participant"):
        steps = StatusChange.objects.filter(participant=match.participant).order_by("at")
        referred = timezone.localdate(steps.first().at)
        matched = timezone.localdate(steps.get(to_status="matched").at)
        since = timezone.localdate(match.participant.status_since)
        assert referred <= match.started_on <= since <= today, match
        assert match.ended_on is None or match.started_on <= match.ended_on <= today, match
        if match.status == "active":
            assert match.participant.status == "matched", match
            assert match.started_on == matched, match


def nobody_waits_long_while_a_peer_has_room(seeded_at):
    for spec in ORGS:
        peers = peers_with_load(
            PeerWorker.objects.filter(
                programme__slug=spec.programme_slug,
                resource_status=PeerWorker.ResourceStatus.ACTIVE,
            )
        )
        assert any(p.load < p.max_participants for p in peers), spec.slug  # the rule applies
        waiting = Participant.objects.filter(
            programme__slug=spec.programme_slug, status="waiting"
        ).select_related("programme")
        assert waiting.exists()
        for participant in waiting:
            limit = dt.timedelta(days=WAITING_FACTOR * participant.programme.waiting_alert_days)
            assert seeded_at - participant.status_since <= limit, participant
        alert = dt.timedelta(days=participant.programme.waiting_alert_days)
        assert any(seeded_at - p.status_since > alert for p in waiting), "the alert shows"


def the_plan_beats_one_by_one_matching(seeded_at):
    programme = Participant.objects.filter(programme__slug=ORGS[0].programme_slug).first().programme
    comparison = batch_plan_for(programme).comparison
    assert comparison.plan_matched > comparison.greedy_matched


def seeding_again_on_another_day_adds_nothing(seeded_at):
    def counts():
        return {m.__name__: m.objects.count() for m in _ettervern_models()}

    first = counts()
    with time_machine.travel(seeded_at + dt.timedelta(days=40), tick=False):
        call_command("seed_demo", "--quiet-logins")
    assert counts() == first


CHECKS = [
    nothing_recorded_lies_in_the_future,
    status_histories_run_forward_and_end_in_the_current_status,
    matches_fit_the_participants_history,
    nobody_waits_long_while_a_peer_has_room,
    the_plan_beats_one_by_one_matching,
    seeding_again_on_another_day_adds_nothing,
]


# One seed per instant (seeding is the slow part), every check on it, at that instant.
@pytest.mark.parametrize("instant", list(INSTANTS.values()), ids=list(INSTANTS))
def test_demo_tells_a_plausible_story_on_any_date(db, instant):
    with time_machine.travel(instant, tick=False):
        call_command("seed_demo", "--quiet-logins")
        for check in CHECKS:
            check(instant)
